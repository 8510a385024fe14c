// A RemoteExecutor over SSH: one connection per host, reused; channels capped per host (queued beyond), a
// refused channel waited out (session-limit.ts); a connection found dropped is re-established once per
// command, then the error is explained.
import { openConnection, type ConnectOptions, type Connection } from './connection.ts';
import { ExecError, SshError, UnknownHostError } from './errors.ts';
import { ChannelOpenError, DEFAULT_TIMEOUT_MS, execOnConnection, runControlLine } from './exec.ts';
import { isSuccess } from './result.ts';
import { SessionLimit } from './session-limit.ts';
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
  /** Most channel slots held at once. */
  readonly peakChannels: number;
  /** Channels the pool opens at once on this host now (lowered when the server allows fewer). */
  readonly sessionLimit: number;
  /** Channel opens the server refused (each was retried). */
  readonly refusals: number;
}

/** Counts that must not grow with the number of commands run (for leak tests). */
export interface HostDiagnostics {
  readonly slotsInUse: number;
  readonly queued: number;
  readonly openChannels: number;
  readonly connectionCloseListeners: number;
  /** Listeners on the ssh2 client, all events together. */
  readonly clientListeners: number;
}

/** Kill lines wait at most this long for a channel. */
const KILL_CHANNEL_WAIT_MS = 5_000;

interface HostState {
  readonly target: SshTarget;
  readonly slots: ChannelSlots;
  readonly sessions: SessionLimit;
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
      const slots = new ChannelSlots(limit);
      this.hosts.set(target.name, { target, slots, sessions: new SessionLimit(slots), connects: 0 });
    }
  }

  /** Target names this pool can reach. */
  get hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  stats(host: string): HostStats {
    const state = this.state(host);
    return {
      connects: state.connects,
      peakChannels: state.slots.peak,
      sessionLimit: state.slots.limit,
      refusals: state.sessions.stats().refusals,
    };
  }

  diagnostics(host: string): HostDiagnostics {
    const state = this.state(host);
    const client = state.conn?.client;
    return {
      slotsInUse: state.slots.inUse,
      queued: state.slots.queued,
      openChannels: state.conn?.openChannels ?? 0,
      connectionCloseListeners: state.conn?.closeListenerCount ?? 0,
      clientListeners: client
        ? client.eventNames().reduce((sum, name) => sum + client.listenerCount(name), 0)
        : 0,
    };
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
    // Waiting for a channel the server refuses is bounded by the command's own deadline.
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (let attempt = 0; ; attempt++) {
      const conn = await this.connection(state);
      const runKill = async (line: string): Promise<void> => {
        const release = await state.slots.acquire(true);
        try {
          const killDeadline = performance.now() + KILL_CHANNEL_WAIT_MS;
          await runControlLine(conn, line, state.sessions.opener(conn, killDeadline));
        } finally {
          release();
        }
      };
      const opener = state.sessions.opener(conn, deadline, () => options.signal?.aborted ?? false);
      try {
        return await execOnConnection(conn, state.target.name, command, options, runKill, opener);
      } catch (error) {
        // The connection was found dead before the command started: reconnect once and try again.
        if (error instanceof SshError && !error.commandStarted && attempt === 0) continue;
        if (error instanceof ChannelOpenError) {
          const { refusals } = state.sessions.stats();
          throw new SshError(
            state.target,
            {
              message:
                `the server refused a new session channel for ${Math.round(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)} ms ` +
                `(${error.message}; ${refusals} refusals on this host so far, ${conn.openChannels} channels open). ` +
                `Its MaxSessions may be below ${state.slots.limit}, or its sessions are not being freed: ` +
                "raise MaxSessions in the host's sshd_config or lower maxSessionsPerHost",
            },
            { secrets: options.secrets },
          );
        }
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
