// A ContainerRuntime whose processes are plain child processes of the test (no namespaces, no TTY): enough
// to prove the stream protocol (framing, stdin CLOSE, exit Status, kill on disconnect) without root.
// Under `tty` the runtime of the real pods (src/sim/runtime) is needed; this one refuses it.
import { spawn } from 'node:child_process';
import {
  ProcessStartError,
  type ContainerRuntime,
  type PodProcess,
  type ProcessExit,
} from '../../src/sim/apiserver/streams/types.ts';
import { constants } from 'node:os';

/** containerd's words for an executable missing from the image. */
export function notFoundMessage(program: string): string {
  return `failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;
}

export const hostRuntime: ContainerRuntime = {
  start: (command, options) =>
    new Promise<PodProcess>((resolve, reject) => {
      const [program, ...args] = command;
      if (program === undefined) return reject(new ProcessStartError('no command given'));
      if (options.tty) return reject(new ProcessStartError('the host runtime of the tests has no TTY'));
      const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new ProcessStartError(error.code === 'ENOENT' ? notFoundMessage(program) : error.message)),
      );
      child.once('spawn', () => {
        if (!options.stdin) child.stdin.end();
        const exit = new Promise<ProcessExit>((done) =>
          child.once('close', (code, signal) =>
            done(signal ? { code: 128 + (constants.signals[signal] ?? 0), signal } : { code: code ?? 0 }),
          ),
        );
        resolve({
          stdin: child.stdin,
          stdout: child.stdout,
          stderr: child.stderr,
          exit,
          resize: () => undefined,
          kill: () => void child.kill('SIGKILL'),
        });
      });
    }),
};
