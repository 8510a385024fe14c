// The two ways a remote command fails: it ran and did not succeed (ExecError, carrying the result), or the
// host could not be reached / the connection broke (SshError, carrying the explanation).
import { explainSshError, formatAddress, type ErrorLike, type SshFailureKind } from './explain.ts';
import { createMessages, formatFirstLine, type MessageOptions } from './message.ts';
import { redact } from './redact.ts';
import type { ExecResult, SshTarget } from './types.ts';

/** Rejected by `run` when the command did not exit 0 (also timeouts, cancels, signals). */
export class ExecError extends Error {
  readonly result: ExecResult;
  /** First line only: `host: reason: command`. */
  readonly shortMessage: string;

  constructor(result: ExecResult, options: MessageOptions = {}) {
    const { shortMessage, message } = createMessages(result, options);
    super(message);
    this.name = 'ExecError';
    this.result = result;
    this.shortMessage = shortMessage;
  }
}

/** The host could not be reached, refused us, or the connection was lost mid-command. */
export class SshError extends Error {
  readonly host: string;
  readonly address: string;
  readonly kind: SshFailureKind;
  readonly shortMessage: string;
  /** The sentence that says what to do. */
  readonly hint: string;

  /** True when the command had started before the connection broke (it may have had effects). */
  readonly commandStarted: boolean;

  constructor(
    target: SshTarget,
    error: ErrorLike,
    options: { command?: string; secrets?: readonly string[]; commandStarted?: boolean } = {},
  ) {
    const { kind, reason, hint } = explainSshError(error, target);
    const first = options.command
      ? formatFirstLine(target.name, reason, options.command)
      : `${target.name}: ${reason}`;
    const shortMessage = redact(first, options.secrets);
    super(`${shortMessage}\n${redact(hint, options.secrets)}`, { cause: error });
    this.name = 'SshError';
    this.host = target.name;
    this.address = formatAddress(target);
    this.kind = kind;
    this.shortMessage = shortMessage;
    this.hint = hint;
    this.commandStarted = options.commandStarted ?? false;
  }
}

/** Thrown for a host name the executor does not know. */
export class UnknownHostError extends Error {
  constructor(host: string, known: readonly string[]) {
    super(`unknown host "${host}": known hosts are ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownHostError';
  }
}
