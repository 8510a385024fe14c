// The contract between labkit and the machines it drives. Everything that runs a command on a lab host
// (lab:up, checks, grading) depends on these types only, so the transport can change underneath.

/** How a server's host key is checked. Vagrant's local VMs opt out; everything else verifies. */
export type HostKeyPolicy =
  /** The key must already be in knownHostsFile (OpenSSH format). */
  | { readonly mode: 'strict'; readonly knownHostsFile: string }
  /** Unknown hosts are trusted on first use and appended; a changed key is refused. */
  | { readonly mode: 'accept-new'; readonly knownHostsFile: string }
  /** No check at all: only for Vagrant VMs on a host-only network (Vagrant itself ignores host keys). */
  | { readonly mode: 'ignore' };

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
  /** Seconds to wait for TCP + handshake. */
  readonly connectTimeoutSec?: number;
}

/** A remote command: an argv (quoted with a library, never concatenated) or a bash script fed on stdin. */
export type RemoteCommand = { readonly argv: readonly string[] } | { readonly script: string };

export interface ExecOptions {
  /** Kill the remote process and close the channel after this many milliseconds. Always set (default 60 s). */
  readonly timeoutMs?: number;
  /** Extra environment, exported by the remote shell (values quoted), not via the SSH env request. */
  readonly env?: Readonly<Record<string, string>>;
  /** Data written to the command's stdin (argv commands only; a script already uses stdin). */
  readonly stdin?: string;
  /** Cancels the command; the remote process is killed. */
  readonly signal?: AbortSignal;
  /** Run as root through `sudo -n`. */
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
  readonly timedOut: boolean;
  readonly canceled: boolean;
}

/** Runs commands on named hosts. `exec` resolves with the result whatever the exit code; `run` rejects
 *  with an error carrying the result when the exit code is not 0. */
export interface RemoteExecutor {
  exec(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  run(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
