// Phase "kubeconfig": copy admin.conf to .lab/kubeconfig (mode 600) so `kubectl` works from the host
// (`KUBECONFIG=.lab/kubeconfig kubectl get nodes`). It holds a client key: never printed.
import { t } from '../i18n/index.ts';
import { readFile, writeFile, mkdir, chmod } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { controlPlaneOf } from '../config/schema.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { PhaseError, type UpContext } from './context.ts';

export function kubeconfigPath(ctx: Pick<UpContext, 'stateDir'>): string {
  return join(ctx.stateDir, 'kubeconfig');
}

export async function exportKubeconfig(ctx: UpContext, ssh: RemoteExecutor): Promise<string> {
  const master = controlPlaneOf(ctx.config);
  const result = await ssh.run(
    master.name,
    { argv: ['cat', '/etc/kubernetes/admin.conf'] },
    { sudo: true, timeoutMs: 30_000 },
  );
  const text = result.stdout;
  const server = /server:\s*(\S+)/.exec(text)?.[1];
  if (!server) throw new PhaseError('kubeconfig', t().up.errors.noServer(master.name));
  const expected = `https://${master.ip}:6443`;
  if (server !== expected) {
    throw new PhaseError('kubeconfig', t().up.errors.wrongServer(master.name, server, expected, master.ip));
  }
  const path = kubeconfigPath(ctx);
  const shown = relative(ctx.projectDir, path);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === text) return `unchanged: ${shown}`;
  await mkdir(ctx.stateDir, { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
  return `written: ${shown} (server ${server})`;
}
