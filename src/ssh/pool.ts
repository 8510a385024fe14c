// A RemoteExecutor over SSH: one connection per host, reused; channels capped per host (queued beyond);
// a connection found dropped is re-established once per command, then the error is explained.
import { openConnection, type ConnectOptions, type Connection } from './connection.ts';
import { ExecError, SshError, UnknownHostError } from './errors.ts';
import { ChannelOpenError, DEFAULT_TIMEOUT_MS, execOnConnection, runControlLine } from './exec.ts';
import { isSuccess } from './result.ts';
import { ChannelSlots } from './slots.ts';
import type { ExecOptions, ExecResult, RemoteCommand, RemoteExecutor, SshTarget } from './types.ts';

export interface SshPoolOptions {
  /** Channels open at once per host (OpenSSH MaxSessions, default 10); one is kept for kills. */
  readonly maxSessionsPerHost?: number;
  /** Defaults under every call's options (env and secrets are merged, the rest overridden). */
  readonly defaults?: ExecOptions;
  readonly connect?: ConnectOptions;
}

export interface HostStats {
  /** Connections opened so far (1 + reconnects). */
  readonly connects: number;
  /** Most channels open at once. */
  readonly peakChannels: number;
}

interface HostState {
  readonly target: SshTarget;
  readonly slots: ChannelSlots;
  conn?: Connection;
  connecting?: Promise<Connection>;
  connects: number;
}

/** Merges call options over defaults without mutating either (zx's snapshot rule). */
export function mergeExecOptions(defaults: ExecOptions, options: ExecOptions): ExecOptions {
  return {
    ...defaults,
    ...options,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env: { ...defaults.env, ...options.env },
    secrets: [...(defaults.secrets ?? []), ...(options.secrets ?? [])],
  };
}

export class SshPool implements RemoteExecutor {
  private readonly hosts = new Map<string, HostState>();
  private closed = false;

  constructor(
    targets: readonly SshTarget[],
    private readonly options: SshPoolOptions = {},
  ) {
    const limit = options.maxSessionsPerHost ?? 10;
    for (const target of targets) {
      if (this.hosts.has(target.name)) throw new Error(`duplicate SSH target name "${target.name}"`);
      this.hosts.set(target.name, { target, slots: new ChannelSlots(limit), connects: 0 });
    }
  }

  /** Target names this pool can reach. */
  get hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  stats(host: string): HostStats {
    const state = this.state(host);
    return { connects: state.connects, peakChannels: state.slots.peak };
  }

  async exec(host: string, command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const state = this.state(host);
    const merged = mergeExecOptions(this.options.defaults ?? {}, options);
    const release = await state.slots.acquire();
    try {
      return await this.execWithReconnect(state, command, merged);
    } finally {
      release();
    }
  }

  async run(host: string, command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const merged = mergeExecOptions(this.options.defaults ?? {}, options);
    const result = await this.exec(host, command, merged);
    if (!isSuccess(result))
      throw new ExecError(result, { timeoutMs: merged.timeoutMs, secrets: merged.secrets });
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const ends = [...this.hosts.values()].map(async (state) => {
      const conn = state.conn ?? (await state.connecting?.catch(() => undefined));
      if (!conn || conn.closed) return;
      await new Promise<void>((resolve) => {
        conn.onClose(resolve);
        conn.end();
        setTimeout(resolve, 1_000).unref();
      });
    });
    await Promise.all(ends);
  }

  private state(host: string): HostState {
    const state = this.hosts.get(host);
    if (!state) throw new UnknownHostError(host, this.hostNames);
    return state;
  }

  private async execWithReconnect(
    state: HostState,
    command: RemoteCommand,
    options: ExecOptions,
  ): Promise<ExecResult> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.connection(state);
      const runKill = async (line: string): Promise<void> => {
        const release = await state.slots.acquire(true);
        try {
          await runControlLine(conn, line);
        } finally {
          release();
        }
      };
      try {
        return await execOnConnection(conn, state.target.name, command, options, runKill);
      } catch (error) {
        // The connection was found dead before the command started: reconnect once and try again.
        if (error instanceof SshError && !error.commandStarted && attempt === 0) continue;
        if (error instanceof ChannelOpenError)
          throw new SshError(state.target, {
            message: `the server refused a new session channel (${error.message}); its MaxSessions may be below ${state.slots.limit}`,
          });
        throw error;
      }
    }
  }

  /** The live connection, or one new attempt to make it (shared by concurrent callers). */
  private async connection(state: HostState): Promise<Connection> {
    if (this.closed) throw new Error(`${state.target.name}: the SSH pool is closed`);
    if (state.conn && !state.conn.closed) return state.conn;
    if (!state.connecting) {
      state.connects++;
      state.connecting = openConnection(state.target, this.options.connect)
        .then((conn) => {
          state.conn = conn;
          return conn;
        })
        .finally(() => {
          state.connecting = undefined;
        });
    }
    return state.connecting;
  }
}

/** Builds an SshPool (the RemoteExecutor the rest of labkit uses) for these targets. */
export function createSshPool(targets: readonly SshTarget[], options: SshPoolOptions = {}): SshPool {
  return new SshPool(targets, options);
}
