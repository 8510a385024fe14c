// Runs one command on one connection: stdin, streaming, timeout and cancel that kill the remote process
// group (see command-line.ts for why and how), duration. Resolves with the result whatever the exit code.
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { buildRemoteLine, displayCommand, killGroupLine } from './command-line.ts';
import type { Connection } from './connection.ts';
import { SshError } from './errors.ts';
import { createResult } from './result.ts';
import { StderrMarker } from './stderr-marker.ts';
import type { ExecOptions, ExecResult, RemoteCommand } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs a short control command (the group kill) on a free channel; the pool gives it priority. */
export type KillRunner = (line: string) => Promise<void>;

/** Raised when the server refused to open a session channel on a live connection (OpenSSH answers
 *  "open failed" when MaxSessions sessions exist, counting closes it has not finished processing). Nothing
 *  ran: the open may be retried. */
export class ChannelOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelOpenError';
  }
}

/** Opens channels for one command; the pool's version waits out refusals (session-limit.ts). */
export type ChannelOpener = <T>(open: () => Promise<T>) => Promise<T>;
export const openDirectly: ChannelOpener = (open) => open();

/** ssh2 marks a refused channel open with a `reason` (the protocol's code, or '' when the server closed
 *  the half-open channel); a refused exec request has none. */
function isOpenRefusal(error: Error): boolean {
  return (error as Error & { reason?: unknown }).reason !== undefined;
}

/**
 * Opens an exec channel and hands it to `use` synchronously, inside ssh2's callback: ssh2 parses every
 * packet of one TCP read in a loop, so the exit-status (and EOF, close) that often arrive in the same read
 * as the exec reply are emitted before any promise continuation runs. Listeners attached later miss the
 * exit status (the bench's "closed before the command reported an exit status" under load).
 * Rejects with ChannelOpenError (refused, nothing ran) or, if the connection is gone, SshError.
 */
export function openExecChannel<T>(
  conn: Connection,
  line: string,
  command: string | undefined,
  use: (channel: ClientChannel) => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const lost = (): SshError =>
      new SshError(conn.target, { message: 'connection lost', code: 'ECONNRESET' }, { command });
    if (conn.closed) {
      reject(lost());
      return;
    }
    try {
      conn.client.exec(line, (error, channel) => {
        if (!error) {
          conn.track(channel);
          try {
            resolve(use(channel));
          } catch (useError) {
            reject(useError as Error);
          }
        } else if (conn.closed) reject(lost());
        else if (isOpenRefusal(error)) reject(new ChannelOpenError(error.message));
        else
          reject(
            new SshError(
              conn.target,
              { message: `the server refused to run the command (${error.message})` },
              { command },
            ),
          );
      });
    } catch {
      // ssh2 throws "Not connected" when the socket closed before our close handler ran.
      reject(lost());
    }
  });
}

/** Runs `line` with a deadline and waits for it to end; errors are swallowed (best effort). */
export async function runControlLine(
  conn: Connection,
  line: string,
  opener: ChannelOpener = openDirectly,
  timeoutMs = 5_000,
): Promise<void> {
  await opener(() =>
    openExecChannel(
      conn,
      line,
      undefined,
      (channel) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            channel.close();
            resolve();
          }, timeoutMs);
          channel.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
          channel.resume();
          channel.stderr.resume();
          channel.end();
        }),
    ),
  );
}

/** A `signal` channel request. ssh2's `channel.signal()` drops it once our stdin is at EOF (the channel is no
 *  longer "writable"), which is always the case here, so this goes to the protocol object directly. */
function sendSignal(channel: ClientChannel, name: string): void {
  const raw = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
  };
  const id = raw.outgoing?.id;
  const protocol = raw._client?._protocol;
  const state = raw.outgoing?.state;
  if ((state !== 'open' && state !== 'eof') || id === undefined || typeof protocol?.signal !== 'function')
    return;
  try {
    protocol.signal(id, name);
  } catch {
    // the channel is closing: nothing to signal
  }
}

/** Ends a running command: a TERM signal request (cheap; honoured by some sshd versions, and `timeout`
 *  forwards it to the group), then the reliable way, killing the process group over another channel,
 *  then closing our channel. Never rejects. */
async function killRemote(
  channel: ClientChannel,
  marker: StderrMarker,
  runKill: KillRunner,
  sudo: boolean,
): Promise<void> {
  sendSignal(channel, 'TERM');
  const pid = await marker.waitForPid(2_000);
  if (pid !== undefined) await runKill(killGroupLine(pid, sudo)).catch(() => undefined);
  try {
    channel.close();
  } catch {
    // already closed
  }
}

/** Runs `command` on `conn`. `host` is the name used in the result. */
export async function execOnConnection(
  conn: Connection,
  host: string,
  command: RemoteCommand,
  options: ExecOptions,
  runKill: KillRunner,
  opener: ChannelOpener = openDirectly,
): Promise<ExecResult> {
  const startedAt = performance.now();
  const shown = displayCommand(command, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = { host, command: shown, startedAt };
  if (options.signal?.aborted)
    return createResult({ ...base, exitCode: null, signal: null, stdout: '', stderr: '', canceled: true });
  const line = buildRemoteLine(command, options, timeoutMs);
  const ctx = { ...base, timeoutMs, options, runKill };
  try {
    return await opener(() => openExecChannel(conn, line, shown, (channel) => collect(conn, channel, ctx)));
  } catch (error) {
    // Canceled while waiting for the server to accept a channel: nothing ran.
    if (error instanceof ChannelOpenError && options.signal?.aborted)
      return createResult({ ...base, exitCode: null, signal: null, stdout: '', stderr: '', canceled: true });
    throw error;
  }
}

interface CollectContext {
  host: string;
  command: string;
  startedAt: number;
  timeoutMs: number;
  options: ExecOptions;
  runKill: KillRunner;
}

function collect(conn: Connection, channel: ClientChannel, ctx: CollectContext): Promise<ExecResult> {
  const { options } = ctx;
  const marker = new StderrMarker();
  const outDecoder = new StringDecoder('utf8');
  const errDecoder = new StringDecoder('utf8');
  let stdout = '';
  let stderr = '';
  let exitCode: number | null = null;
  let signal: string | null = null;
  let timedOut = false;
  let canceled = false;
  let killing: Promise<void> | undefined;

  const addOut = (text: string): void => {
    if (text === '') return;
    stdout += text;
    options.onStdout?.(text);
  };
  const addErr = (text: string): void => {
    if (text === '') return;
    stderr += text;
    options.onStderr?.(text);
  };

  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    };
    const finish = (): void => {
      if (settled) return;
      addOut(outDecoder.end());
      addErr(marker.push(errDecoder.end()) + marker.flush());
      cleanup();
      resolve(
        createResult({
          host: ctx.host,
          command: ctx.command,
          exitCode,
          signal,
          stdout,
          stderr,
          startedAt: ctx.startedAt,
          timedOut,
          canceled,
        }),
      );
    };
    const kill = (): void => {
      killing ??= killRemote(channel, marker, ctx.runKill, options.sudo ?? false).then(() => {
        // If the server never confirms the close, end anyway.
        setTimeout(finish, 2_000).unref();
      });
    };
    const onAbort = (): void => {
      if (settled || timedOut) return;
      canceled = true;
      kill();
    };
    const timer = setTimeout(() => {
      if (settled || canceled) return;
      timedOut = true;
      kill();
    }, ctx.timeoutMs);
    const unsubscribe = conn.onClose(() => {
      if (settled || killing) return;
      cleanup();
      if (conn.ending) {
        reject(new Error(`${ctx.host}: the SSH pool was closed while the command ran: ${ctx.command}`));
        return;
      }
      const cause = conn.lastError ?? { message: 'connection lost', code: 'ECONNRESET' };
      const lost = { message: `connection lost: ${cause.message}`, code: 'ECONNRESET' };
      reject(
        new SshError(conn.target, lost, {
          command: ctx.command,
          secrets: options.secrets,
          commandStarted: true,
        }),
      );
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });

    channel.on('data', (chunk: Buffer) => addOut(outDecoder.write(chunk)));
    channel.stderr.on('data', (chunk: Buffer) => addErr(marker.push(errDecoder.write(chunk))));
    channel.on('exit', (code: number | null, signalName?: string) => {
      if (typeof code === 'number') exitCode = code;
      else if (signalName) signal = `SIG${signalName}`;
    });
    channel.on('close', finish);
    if (options.stdin !== undefined) channel.write(options.stdin);
    channel.end();
  });
}
