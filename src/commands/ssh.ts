// `npm run lab:ssh -- NODE [-- COMMAND...]`: an interactive shell (or one command) on a lab VM via `vagrant ssh`.
// The terminal belongs to the ssh client Vagrant starts (stdio inherited): it puts the terminal in raw mode,
// forwards window size changes and sends Ctrl-C to the remote side as a keystroke, in Windows Terminal and
// PowerShell as on macOS and Linux. labkit only stays out of the way: it ignores Ctrl-C itself while ssh
// runs, so an interrupt never kills labkit and leaves ssh writing to a console that has moved on.
import { execa } from 'execa';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { vagrantEnv } from '../vagrant/run.ts';
import { loadLabEnv } from './lab-env.ts';
import { readCurrentLab, simulatedSsh } from '../sim/provider.ts';
import { quoteArgv } from '../ssh/quote.ts';

export interface SshArgs {
  readonly node: string | undefined;
  readonly command: readonly string[];
  readonly config?: string;
}

/**
 * lab:ssh's own arguments, read as given: `--config FILE` before the node, the node, then the command
 * word for word (a `--` before it is optional). Not parsed as options: `kubectl get pods -o wide` must reach
 * the VM whole, also when PowerShell's npm.ps1 of older npm releases swallowed the first `--`
 * (npm/cli#3136) so that the command arrives without its separator.
 */
export function parseSshArgs(args: readonly string[]): SshArgs {
  let config: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--config') {
      config = args[++i];
      continue;
    }
    if (arg.startsWith('--config=')) {
      config = arg.slice('--config='.length);
      continue;
    }
    break;
  }
  const node = args[i];
  const rest = args.slice(i + 1);
  const command = rest[0] === '--' ? rest.slice(1) : rest;
  return { node, command, ...(config !== undefined ? { config } : {}) };
}

/** `vagrant ssh` arguments. A command gets a terminal only when there is one (`kubectl exec -it`, Ctrl-C to
 *  `kubectl get -w`); piped, `--no-tty` keeps its output free of `\r` and of ssh's "Pseudo-terminal will
 *  not be allocated" warning. */
export function vagrantSshArgs(node: string, command: readonly string[], stdinIsTTY: boolean): string[] {
  if (command.length === 0) return ['ssh', node];
  // vagrant ssh -c hands the string to the remote shell: quote the argv so it arrives intact.
  return ['ssh', node, ...(stdinIsTTY ? ['--tty'] : ['--no-tty']), '-c', quoteArgv(command)];
}

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
  // Ctrl-C (and Ctrl-Break on Windows) reach every process on the console; ssh decides what they mean.
  const ignore = () => undefined;
  const signals: NodeJS.Signals[] =
    process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGQUIT'];
  for (const s of signals) process.on(s, ignore);
  try {
    const result = await execa(
      env.vagrant.bin ?? 'vagrant',
      vagrantSshArgs(node, command, Boolean(process.stdin.isTTY)),
      {
        cwd: env.vagrant.cwd,
        env: vagrantEnv(env.vagrant),
        stdio: 'inherit',
        reject: false,
      },
    );
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
      throw new UserError('vagrant was not found on PATH: install Vagrant first.', EXIT.usage);
    return result.exitCode ?? EXIT.checkFailed;
  } finally {
    for (const s of signals) process.off(s, ignore);
  }
}
