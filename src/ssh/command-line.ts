// What actually goes over the wire for one command, and what is shown to people.
//
// The remote login shell receives:   printf 'labkit-pid:%s\n' "$$" >&2; exec timeout -k 5 <T+2>s [sudo -n --] [env K=V…] <argv | bash -c SCRIPT>
// - `exec` keeps the shell's PID, and GNU `timeout` (not in --foreground mode) makes that PID a process
//   group leader holding the whole command tree. The first stderr line reports it, so a cancel or timeout
//   can kill the group (`kill -- -PID`) over a second channel: OpenSSH ignores or narrowly applies channel
//   signal requests, and closing a channel without a pty kills nothing.
// - `timeout` is also the backstop: if the connection is gone and nothing can be sent, the group still dies
//   2 s after the client-side deadline.
// - `backstop: false` drops `timeout` (one fork + exec on the host, ~1.9 ms of a 4.3 ms round trip on the
//   testbed). The group kill still works: sshd starts every session with setsid(), so the shell's PID is
//   already its process group (checked on OpenSSH 9.2: PID = PGID = SID); only the "connection gone"
//   backstop is lost.
// - env goes through `env K=V` (after sudo, so sudo's env_reset keeps it) instead of `export`.
import { envAssignments, quoteArgv, quoteWord } from './quote.ts';
import { redact } from './redact.ts';
import type { ExecOptions, RemoteCommand } from './types.ts';

export const PID_MARKER = 'labkit-pid:';
/** Seconds between the client's deadline and the remote `timeout` backstop. */
export const BACKSTOP_GRACE_SEC = 2;
/** Linux limits one argument to 128 KiB; scripts travel as one argument of `bash -c`. */
export const MAX_SCRIPT_BYTES = 100 * 1024;

/** The user's command as argv: `bash -c SCRIPT` for scripts, with `env` and `sudo -n --` in front. */
export function commandArgv(command: RemoteCommand, options: Pick<ExecOptions, 'env' | 'sudo'>): string[] {
  let argv: string[];
  if ('argv' in command) {
    if (command.argv.length === 0) throw new TypeError('a remote command needs at least one word');
    argv = [...command.argv];
  } else {
    if (Buffer.byteLength(command.script) > MAX_SCRIPT_BYTES)
      throw new TypeError(
        `script too large (${Buffer.byteLength(command.script)} bytes, limit ${MAX_SCRIPT_BYTES}): copy a file instead`,
      );
    argv = ['bash', '-c', command.script];
  }
  const env = options.env ?? {};
  if (Object.keys(env).length > 0) argv = ['env', ...envAssignments(env), ...argv];
  if (options.sudo) argv = ['sudo', '-n', '--', ...argv];
  return argv;
}

/** The full line for the SSH exec request (see the top of this file). */
export function buildRemoteLine(
  command: RemoteCommand,
  options: Pick<ExecOptions, 'env' | 'sudo' | 'backstop'>,
  timeoutMs: number,
): string {
  const backstop = Math.ceil(timeoutMs / 1000) + BACKSTOP_GRACE_SEC;
  const wrapped =
    options.backstop === false
      ? commandArgv(command, options)
      : ['timeout', '-k', '5', `${backstop}s`, ...commandArgv(command, options)];
  return `printf '${PID_MARKER}%s\\n' "$$" >&2; exec ${quoteArgv(wrapped)}`;
}

/** The command as shown in results and messages: no wrapper, env values hidden, secrets redacted. */
export function displayCommand(
  command: RemoteCommand,
  options: Pick<ExecOptions, 'env' | 'sudo' | 'secrets'>,
): string {
  const base = 'argv' in command ? quoteArgv(command.argv) : `bash -c ${quoteWord(command.script)}`;
  const env = Object.keys(options.env ?? {}).map((k) => `${k}=…`);
  const words = [...(options.sudo ? ['sudo -n --'] : []), ...(env.length > 0 ? ['env', ...env] : []), base];
  return redact(words.join(' '), options.secrets);
}

/** The shell line that ends a process group: TERM, up to 1 s of grace, then KILL. */
export function killGroupLine(pid: number, sudo: boolean): string {
  // No `--` before the negative PID: dash's kill (Debian's /bin/sh) rejects it.
  const script = `kill -TERM -${pid} 2>/dev/null || exit 0; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; kill -0 -${pid} 2>/dev/null || exit 0; done; kill -KILL -${pid} 2>/dev/null; exit 0`;
  return quoteArgv([...(sudo ? ['sudo', '-n', '--'] : []), 'sh', '-c', script]);
}
