// Phase "join": workers join with a join command created on demand on the control plane (never a stale
// join.sh: bootstrap tokens expire after 24 h).
import { t } from '../i18n/index.ts';
import { parseJoinCommand } from '../cluster/join-command.ts';
import { controlPlaneOf, workersOf } from '../config/schema.ts';
import { provisionScript } from '../provision/script.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { PhaseError, type UpContext } from './context.ts';
import { outputTail } from './output-tail.ts';

export const JOIN_TTL = '30m';

export async function joinWorkers(
  ctx: UpContext,
  ssh: RemoteExecutor,
  report: (text: string) => void,
): Promise<string> {
  const master = controlPlaneOf(ctx.config);
  const pending: string[] = [];
  for (const worker of workersOf(ctx.config)) {
    const joined = await ssh.exec(
      worker.name,
      { argv: ['test', '-f', '/etc/kubernetes/kubelet.conf'] },
      { sudo: true, timeoutMs: 30_000 },
    );
    if (joined.exitCode !== 0) pending.push(worker.name);
  }
  if (pending.length > 0) {
    report(`creating a join token on ${master.name}`);
    const created = await ssh.run(
      master.name,
      { argv: ['kubeadm', 'token', 'create', '--print-join-command', '--ttl', JOIN_TTL] },
      { sudo: true, timeoutMs: 60_000 },
    );
    const joinCommand = parseJoinCommand(created.stdout);
    if (!joinCommand) {
      throw new PhaseError('join', t().up.errors.noJoinCommand(master.name));
    }
    const script = await provisionScript(ctx.projectDir, 'worker');
    for (const name of pending) {
      report(`joining ${name}`);
      const worker = ctx.config.nodes.find((n) => n.name === name);
      // The token goes on stdin, never in env or argv: `sudo -n -- env K=V ...` puts every value on the
      // remote command line (ps, /proc/*/cmdline, sudo's log). worker.sh reads it as its first line.
      const result = await ssh.exec(
        name,
        { script },
        {
          sudo: true,
          timeoutMs: 10 * 60_000,
          secrets: [joinCommand.token],
          stdin: `${joinCommand.token}\n`,
          env: {
            LAB_NODE_NAME: name,
            LAB_NODE_IP: worker?.ip ?? '',
            LAB_JOIN_ENDPOINT: joinCommand.endpoint,
            LAB_JOIN_CA_HASH: joinCommand.caCertHash,
          },
        },
      );
      if (result.exitCode !== 0) {
        const tail = outputTail(result);
        throw new PhaseError(
          'join',
          t().up.errors.joinFailed(name, String(result.exitCode ?? result.signal), tail),
        );
      }
    }
  }
  return pending.length > 0 ? `joined ${pending.join(', ')}` : 'skipped: all workers already joined';
}
