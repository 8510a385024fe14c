// A scripted RemoteExecutor for runner tests: answers by the command's text, records every call with its
// options, honours timeouts and AbortSignals the way the SSH pool does (resolves canceled/timedOut results).
import { quoteArgv } from '../../../src/ssh/quote.ts';
import type { ExecOptions, ExecResult, RemoteCommand, RemoteExecutor } from '../../../src/ssh/types.ts';
import type { LabTarget } from '../../../src/lab/session.ts';

export interface Answer {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Never finishes by itself: ends only by timeout or abort. */
  hang?: boolean;
  /** Throw this instead (e.g. an SshError). */
  throws?: Error;
}

export type Responder = (host: string, text: string, options: ExecOptions) => Answer | undefined;

export interface Call {
  host: string;
  text: string;
  command: RemoteCommand;
  options: ExecOptions;
}

export function commandText(command: RemoteCommand): string {
  return 'argv' in command ? quoteArgv(command.argv) : command.script;
}

export class FakeExecutor implements RemoteExecutor {
  readonly calls: Call[] = [];
  closed = false;

  constructor(private readonly respond: Responder) {}

  async exec(host: string, command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const text = commandText(command);
    this.calls.push({ host, text, command, options });
    const answer = this.respond(host, text, options) ?? {
      exitCode: 127,
      stderr: `fake: unexpected command: ${text}`,
    };
    if (answer.throws) throw answer.throws;
    const started = Date.now();
    const base = {
      host,
      command: text,
      signal: null,
      stdout: answer.stdout ?? '',
      stderr: answer.stderr ?? '',
    };
    if (answer.hang) {
      const how = await new Promise<'timeout' | 'abort'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 60_000);
        const onAbort = () => (clearTimeout(timer), resolve('abort'));
        if (options.signal?.aborted) onAbort();
        else options.signal?.addEventListener('abort', onAbort, { once: true });
      });
      return {
        ...base,
        exitCode: null,
        durationMs: Date.now() - started,
        timedOut: how === 'timeout',
        canceled: how === 'abort',
      };
    }
    return { ...base, exitCode: answer.exitCode ?? 0, durationMs: 1, timedOut: false, canceled: false };
  }

  async run(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult> {
    const result = await this.exec(host, command, options);
    if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}`);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  texts(): string[] {
    return this.calls.map((c) => c.text);
  }
}

/** A target over the fake executor; host names pass through unchanged. */
export function fakeTarget(executor: FakeExecutor, name = 'test'): LabTarget {
  return { name, executor, resolveHost: (h) => h, close: () => executor.close() };
}
