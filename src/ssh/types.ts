// The contract between labkit and the machines it drives. Everything that runs a command on a lab host
// (lab:up, checks, grading) depends on these types only, so the transport can change underneath.
import type { HostKeyPolicy } from '../inventory/host.ts';

/** One SSH endpoint, resolved from `vagrant ssh-config` or an inventory file. */
export interface SshTarget {
  /** Logical name used in messages and as the pool key, e.g. `master-node` or `alice/master-node`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Path to a private key file. */
  readonly identityFile?: string;
  /** Optional bastion reached first; its own host-key policy applies to it. */
  readonly jump?: SshTarget;
  readonly hostKey: HostKeyPolicy;
  /** Seconds to wait for TCP + handshake (default 20). */
  readonly connectTimeoutSec?: number;
  /** Where the target came from; chooses the fix suggested when connecting fails. */
  readonly origin?: 'vagrant' | 'inventory';
}

/** A remote command: an argv (each word quoted, run as a program: no shell syntax) or a bash script, run as
 *  `bash -c <script>` so the script's own commands keep stdin (no command inside it can swallow the rest
 *  of the script, as with `bash -s`) and `options.stdin` works for scripts too. */
export type RemoteCommand = { readonly argv: readonly string[] } | { readonly script: string };

export interface ExecOptions {
  /** Kill the remote process and close the channel after this many milliseconds. Always set (default 60 s). */
  readonly timeoutMs?: number;
  /** Extra environment, set by the remote command line (values quoted), not via the SSH env request
   *  (sshd's AcceptEnv drops those). Names must be shell identifiers. */
  readonly env?: Readonly<Record<string, string>>;
  /** Data written to the command's stdin, then EOF. Without it, stdin is closed at once. */
  readonly stdin?: string;
  /** Cancels the command; the remote process is killed. */
  readonly signal?: AbortSignal;
  /** Wrap the command in `timeout` on the host so it dies 2 s after the deadline even when the connection
   *  is lost and no kill can be sent (default true). Costs one fork + exec on the host per command. */
  readonly backstop?: boolean;
  /** Run as root through `sudo -n --` (never prompts; env is passed with `env K=V` so sudo keeps it). */
  readonly sudo?: boolean;
  /** Streaming for long commands. */
  readonly onStdout?: (chunk: string) => void;
  readonly onStderr?: (chunk: string) => void;
  /** Values never to show in messages or logs (tokens, registry passwords): replaced by `***`. */
  readonly secrets?: readonly string[];
}

export interface ExecResult {
  readonly host: string;
  /** The command as displayed (secrets redacted). */
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** The command outlived `timeoutMs` and was killed (its whole process group). */
  readonly timedOut: boolean;
  /** `signal` aborted the command and it was killed. */
  readonly canceled: boolean;
}

/** Runs commands on named hosts. `exec` resolves with the result whatever the exit code (and on timeout or
 *  cancel); `run` rejects with an ExecError (src/ssh/errors.ts) carrying the result when the command did
 *  not exit 0. Both reject with SshError when the host cannot be reached at all. stdout/stderr in results
 *  are raw; messages are redacted. */
export interface RemoteExecutor {
  exec(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  run(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
