// Error text in layers (execa's shape): a first line `host: reason: command` chosen by *why* it failed,
// then stderr, then stdout, trimmed. The short form (first line) feeds the console and JUnit; the long form
// feeds --verbose and JSON. Secrets are redacted in both.
import { redact } from './redact.ts';
import type { ExecResult } from './types.ts';

export interface Messages {
  /** One line: `host: reason: command`. */
  readonly shortMessage: string;
  /** The short message, then stderr, then stdout (each trimmed, omitted when empty). */
  readonly message: string;
}

export interface MessageOptions {
  /** The timeout that applied, so "timed out after 1 s" can say how long. */
  readonly timeoutMs?: number;
  readonly secrets?: readonly string[];
}

const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGHUP: 'hang-up',
  SIGINT: 'interrupted',
  SIGQUIT: 'quit',
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
};

const EXIT_WORDS: Readonly<Record<number, string>> = {
  126: 'command found but not executable',
  127: 'command not found',
};

/** `1 s`, `1.5 s`, `250 ms`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}

/** `SIGTERM` from ssh2's `TERM` (or an already prefixed name). */
export function normalizeSignal(signal: string): string {
  return signal.startsWith('SIG') ? signal : `SIG${signal}`;
}

/** Why the command did not succeed, in words ('' when it did). */
export function describeFailure(result: ExecResult, timeoutMs?: number): string {
  if (result.timedOut)
    return timeoutMs === undefined ? 'timed out' : `timed out after ${formatDuration(timeoutMs)}`;
  if (result.canceled) return 'canceled';
  if (result.signal !== null) {
    const name = normalizeSignal(result.signal);
    const words = SIGNAL_WORDS[name];
    return words ? `killed by ${name} (${words})` : `killed by ${name}`;
  }
  if (result.exitCode === null) return 'the connection closed before the command reported an exit status';
  if (result.exitCode === 0) return '';
  const words = EXIT_WORDS[result.exitCode];
  return words ? `exit code ${result.exitCode} (${words})` : `exit code ${result.exitCode}`;
}

/** The first line of a (possibly multi-line) command, with ` …` when lines were cut. */
export function commandHeadline(command: string): string {
  const lines = command.trim().split('\n');
  const first = lines[0] ?? '';
  return lines.length > 1 ? `${first} …` : first;
}

/** `host: reason: command` on one line. */
export function formatFirstLine(host: string, reason: string, command: string): string {
  return `${host}: ${reason}: ${commandHeadline(command)}`;
}

/** Short and long messages for a failed result. */
export function createMessages(result: ExecResult, options: MessageOptions = {}): Messages {
  const { secrets } = options;
  const reason = describeFailure(result, options.timeoutMs) || 'succeeded';
  const shortMessage = redact(formatFirstLine(result.host, reason, result.command), secrets);
  const details = [result.stderr, result.stdout]
    .map((s) => redact(s.trim(), secrets))
    .filter((s) => s !== '');
  return { shortMessage, message: [shortMessage, ...details].join('\n') };
}
