// `npm run lab:ssh -- NODE [-- COMMAND...]`: an interactive shell (or one command) on a lab VM via `vagrant ssh`.
import { execa } from 'execa';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { vagrantEnv } from '../vagrant/run.ts';
import { loadLabEnv } from './lab-env.ts';
import { readCurrentLab, simulatedSsh } from '../sim/provider.ts';
import { quoteArgv } from '../ssh/quote.ts';

export async function sshCommand(
  node: string | undefined,
  command: readonly string[],
  options: { config?: string },
): Promise<number> {
  const env = await loadLabEnv(options);
  const simulated = await readCurrentLab(env.stateDir);
  if (simulated) return simulatedSsh(simulated, node, command);
  const names = env.config.nodes.map((n) => n.name);
  if (!node)
    throw new UserError(
      `lab:ssh needs a node: one of ${names.join(', ')} (e.g. npm run lab:ssh -- ${names[0] ?? 'master-node'})`,
      EXIT.usage,
    );
  if (!names.includes(node))
    throw new UserError(`lab:ssh: unknown node "${node}"; the lab has ${names.join(', ')}`, EXIT.usage);
  // vagrant ssh -c hands the string to the remote shell: quote the argv so it arrives intact.
  const args = ['ssh', node, ...(command.length > 0 ? ['-c', quoteArgv(command)] : [])];
  const result = await execa(env.vagrant.bin ?? 'vagrant', args, {
    cwd: env.vagrant.cwd,
    env: vagrantEnv(env.vagrant),
    stdio: 'inherit',
    reject: false,
  });
  if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new UserError('vagrant was not found on PATH: install Vagrant first.', EXIT.usage);
  return result.exitCode ?? EXIT.checkFailed;
}
