// `kubectl exec` into a running container: nsenter into all of its namespaces and its root (-a -r -w:
// PID, mount, UTS, network, IPC, cgroup namespaces, chroot into /proc/PID/root, its cwd), in its cgroups,
// with the container's environment. Without a TTY: three pipes. With one: the shim (shim.py) holds a real pty
// (python3's pty module; fd 3 carries resizes).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { INIT_SCRIPT, SHIM, isRunning, resolveInRoot, type ContainerRecord } from './container.ts';
import { killTree } from './proc.ts';
import { exitFromChild } from './exit.ts';
import {
  ProcessStartError,
  type ContainerRuntime,
  type PodProcess,
  type ProcessExit,
  type StartOptions,
  type TerminalSize,
} from '../apiserver/streams/types.ts';

/** containerd's words for an exec whose executable is not in the image. */
export const execNotFoundMessage = (program: string): string =>
  `failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;

/** The ContainerRuntime of one running container (its exec). */
export function containerRuntime(record: ContainerRecord): ContainerRuntime {
  return { start: (command, options) => execInContainer(record, command, options) };
}

export async function execInContainer(
  record: ContainerRecord,
  command: readonly string[],
  options: StartOptions,
): Promise<PodProcess> {
  const program = command[0];
  if (program === undefined) throw new ProcessStartError('no command given');
  if (!(await isRunning(record)))
    throw new ProcessStartError('failed to exec in container: container is not running');
  const env = [...record.env, ...(options.env ?? [])];
  if (resolveInRoot(`/proc/${record.pid}/root`, program, env) === undefined)
    throw new ProcessStartError(execNotFoundMessage(program));
  const nsenter = ['/usr/bin/nsenter', '-t', String(record.pid), '-a', '-r', '-w', ...command];
  const join = ['join', String(record.cgroups.length), ...record.cgroups];
  const size = options.size ?? { width: 80, height: 24 };
  const argv = options.tty
    ? [
        '/usr/bin/python3',
        SHIM,
        '--tty',
        '--rows',
        String(size.height),
        '--cols',
        String(size.width),
        '--resize-fd',
        '3',
        '--',
        '/bin/sh',
        INIT_SCRIPT,
        ...join,
        ...nsenter,
      ]
    : ['/bin/sh', INIT_SCRIPT, ...join, ...nsenter];
  const child = spawn(argv[0] as string, argv.slice(1), {
    stdio: options.tty ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    // python3 and sh are found on the host PATH; the command itself on the container's (nsenter execs it
    // after entering the root, with this environment).
    env: Object.fromEntries(env),
    detached: true,
  });
  return new ChildPodProcess(child, options);
}

class ChildPodProcess implements PodProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exit: Promise<ProcessExit>;
  private readonly resizes: Writable | undefined;

  constructor(
    private readonly child: ChildProcess,
    options: StartOptions,
  ) {
    this.stdin = child.stdin as Writable;
    this.stdin.on('error', () => undefined); // EPIPE once the process is gone
    this.stdout = child.stdout as Readable;
    this.stderr = options.tty ? endedStream() : (child.stderr as Readable);
    if (options.tty) (child.stderr as Readable).resume();
    this.resizes = options.tty ? (child.stdio[3] as Writable) : undefined;
    this.resizes?.on('error', () => undefined);
    if (!options.stdin) this.stdin.end();
    this.exit = exitFromChild(child);
  }

  resize(size: TerminalSize): void {
    this.resizes?.write(`${size.height} ${size.width}\n`);
  }

  kill(): void {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null) void killTree(pid);
  }
}

function endedStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}

export const hasPtyHelper = (): boolean => existsSync(SHIM);
