// Puts a simulated cluster on disk: <dir>/state.json (the cluster), <dir>/kubectl.mjs (the CLI bundled
// with esbuild into one file, so each call starts in tens of ms) and <dir>/bin/kubectl (a wrapper that
// runs it with this machine's node and names the state file). The master host gets <dir>/bin on its PATH.
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { quoteArgv } from '../ssh/quote.ts';
import { bootstrapCluster, type NodeAddress } from './model/bootstrap.ts';
import type { SimConfig } from './model/state.ts';
import { STATE_ENV, writeStateFile } from './store.ts';

const KUBECTL_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'kubectl', 'bin.ts');

export interface ClusterFiles {
  readonly dir: string;
  readonly stateFile: string;
  readonly binDir: string;
  readonly kubectl: string;
}

export function clusterFiles(dir: string): ClusterFiles {
  const root = resolve(dir);
  return {
    dir: root,
    stateFile: join(root, 'state.json'),
    binDir: join(root, 'bin'),
    kubectl: join(root, 'bin', 'kubectl'),
  };
}

export async function bundleKubectl(outfile: string): Promise<void> {
  await build({
    entryPoints: [KUBECTL_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Bundled CommonJS dependencies (proper-lockfile) call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __labkitCreateRequire } from 'node:module'; const require = __labkitCreateRequire(import.meta.url);",
    },
  });
}

export interface InstallOptions {
  readonly nodes: readonly NodeAddress[];
  readonly config?: Partial<SimConfig>;
  /** Owner of the cluster directory (the user whose kubectl writes the state), e.g. vagrant's uid/gid. */
  readonly owner?: { uid: number; gid: number };
  /** Reuse an existing bundle instead of building (tests that install several clusters). */
  readonly bundle?: string;
}

export async function installSimulatedCluster(dir: string, options: InstallOptions): Promise<ClusterFiles> {
  const files = clusterFiles(dir);
  await mkdir(files.binDir, { recursive: true, mode: 0o755 });
  if (options.owner) await chown(files.dir, options.owner.uid, options.owner.gid);
  const bundle = join(files.dir, 'kubectl.mjs');
  if (options.bundle)
    await writeFile(
      bundle,
      await import('node:fs/promises').then((fs) => fs.readFile(options.bundle ?? bundle)),
    );
  else await bundleKubectl(bundle);
  await chmod(bundle, 0o644);
  const wrapper = `#!/bin/sh\n# labkit simulated cluster: kubectl for ${files.dir}\n${STATE_ENV}=${quoteArgv([files.stateFile])} exec ${quoteArgv([process.execPath, bundle])} "$@"\n`;
  await writeFile(files.kubectl, wrapper, { mode: 0o755 });
  await chmod(files.kubectl, 0o755);
  await writeStateFile(
    files.stateFile,
    bootstrapCluster(options.nodes, { ...(options.config ? { config: options.config } : {}) }),
  );
  return files;
}
