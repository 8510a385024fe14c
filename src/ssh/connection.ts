// One ssh2 Client per target: TCP with Nagle off (45 ms → 2.6 ms per command, measured), keepalive, host-key
// verification by policy, and an optional jump host reached first (its channel becomes our socket).
import { readFile } from 'node:fs/promises';
import { Client, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { SshError } from './errors.ts';
import { expandHome, verifyHostKey } from './host-key.ts';
import type { SshTarget } from './types.ts';

export interface ConnectOptions {
  /** Keepalive probe interval (default 15 s); after `keepaliveCountMax` (3) silent probes, the link is dead. */
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_SEC = 20;

/** A live SSH connection; `closed` turns true once the transport ends (for any reason). */
export class Connection {
  closed = false;
  /** True once end() was called: a close that follows is ours, not a failure. */
  ending = false;
  /** The low-level reason the connection ended, when it ended with an error. */
  lastError: Error | undefined;
  /** Channels open now on this connection, the most ever open at once, and how many were opened. */
  openChannels = 0;
  peakChannels = 0;
  opened = 0;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    readonly target: SshTarget,
    readonly client: Client,
    private readonly jump?: Connection,
  ) {
    client.on('error', (error) => {
      this.lastError = error;
    });
    client.on('close', () => {
      this.closed = true;
      for (const listener of this.closeListeners) listener();
      this.closeListeners.clear();
      this.jump?.end();
    });
  }

  /** Counts `channel` as open until it closes (what the server's session limit is compared with). */
  track(channel: { once(event: 'close', listener: () => void): unknown }): void {
    this.openChannels++;
    this.opened++;
    this.peakChannels = Math.max(this.peakChannels, this.openChannels);
    channel.once('close', () => this.openChannels--);
  }

  /** Listeners waiting for this connection to close (a leak check: one per running command). */
  get closeListenerCount(): number {
    return this.closeListeners.size;
  }

  /** Calls `listener` once when the connection closes; returns a function that unsubscribes. */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  end(): void {
    this.ending = true;
    if (!this.closed) this.client.end();
    this.jump?.end();
  }
}

async function readKey(target: SshTarget): Promise<Buffer | undefined> {
  if (!target.identityFile) return undefined;
  const path = expandHome(target.identityFile);
  try {
    return await readFile(path);
  } catch (error) {
    throw new SshError(target, error as NodeJS.ErrnoException);
  }
}

function forward(jump: Connection, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
      // OpenSSH answers a failed direct-tcpip open with "Connection refused" whatever the cause.
      if (error) reject(new SshError(target, { message: error.message, code: 'ECONNREFUSED' }));
      else resolve(stream);
    });
  });
}

/** Opens (and authenticates) a connection to `target`; rejects with an explained SshError. */
export async function openConnection(target: SshTarget, options: ConnectOptions = {}): Promise<Connection> {
  const privateKey = await readKey(target);
  const jump = target.jump ? await openConnection(target.jump, options) : undefined;
  let sock: Duplex | undefined;
  try {
    sock = jump ? await forward(jump, target) : undefined;
  } catch (error) {
    jump?.end();
    throw error;
  }
  const client = new Client();
  let refusal: string | undefined;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: (target.connectTimeoutSec ?? DEFAULT_CONNECT_TIMEOUT_SEC) * 1000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 3,
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      verifyHostKey(target, key).then(
        (decision) => {
          if (!decision.ok) refusal = decision.refusal;
          verify(decision.ok);
        },
        (error: unknown) => {
          refusal = `${target.name}: cannot check the host key: ${String(error)}`;
          verify(false);
        },
      );
    },
    ...(privateKey ? { privateKey } : {}),
    ...(sock ? { sock } : {}),
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    // `on`, not `once`: ssh2 can emit a second error (e.g. ECONNRESET after a refused handshake).
    client.on('error', (error: Error & { code?: string; level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      jump?.end();
      reject(
        new SshError(target, {
          message: error.message,
          code: error.code,
          level: error.level,
          hostKeyRefusal: refusal,
        }),
      );
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      client.setNoDelay(true);
      resolve(new Connection(target, client, jump));
    });
    client.connect(config);
    client.setNoDelay(true);
  });
}
