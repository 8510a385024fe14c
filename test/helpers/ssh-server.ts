// An in-process SSH server for integration tests: 127.0.0.1, random port, generated ed25519 host key,
// public-key auth for a generated client key. Exec requests run for real as `bash -c <command>` in a
// new session (like sshd's setsid), so quoting and kill semantics are the real ones. Honours `pty`
// (SIGHUP to the process group when the channel closes, as a hung-up terminal would) and `signal` (to
// the direct child only, like OpenSSH ≥ 7.9; note ssh2's server drops signal requests that arrive after
// the client's EOF, i.e. for every labkit command, so tests exercise the group kill). Closing a channel
// kills nothing, as with sshd. The commands need a Linux shell (the `linux-shell` tool, test/helpers/tools.ts):
// suites using this server register with describeWithTools(['linux-shell'], ...).
import { spawn, type ChildProcess } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';
import type { HostKeyPolicy } from '../../src/inventory/host.ts';
import type { SshTarget } from '../../src/ssh/types.ts';
import { toolPath } from './tools.ts';

const { Server, utils } = ssh2;

export interface TestSshServerOptions {
  /** Session channels allowed at once per connection (sshd MaxSessions); more are refused. Default 10. */
  readonly maxSessions?: number;
  /** Refuse every authentication attempt. */
  readonly rejectAuth?: boolean;
  /** Reuse a host key (to restart "the same" server); default: generate one. */
  readonly hostKey?: string;
  /** Listen on this port (default: any free port). */
  readonly port?: number;
  /** Directories put in front of PATH for commands (e.g. a `sudo` shim). */
  readonly pathPrepend?: readonly string[];
  /** Hold every packet of an exec's reply (request success, output, exit status, EOF, close) and send them
   *  in one TCP write, as a busy sshd's replies arrive: the client then parses them all in one go. */
  readonly batchReplies?: boolean;
  /** Free a session slot this long after its channel closed, as OpenSSH frees it only once the close is
   *  fully processed (a new channel opened in between is refused although the client saw the close). */
  readonly releaseDelayMs?: number;
}

export interface GeneratedKey {
  readonly privateKey: string;
  readonly publicKey: string;
  /** Where the private key was written (mode 0600). */
  readonly file: string;
}

export interface TestSshServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  readonly hostKey: { readonly privateKey: string; readonly publicKey: string };
  readonly clientKey: GeneratedKey;
  /** Session channels open right now, and the most ever open at once. */
  readonly openSessions: number;
  readonly peakSessions: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Session channels refused so far because `maxSessions` were open. */
  readonly refusedSessions: number;
  /** `[127.0.0.1]:port ssh-ed25519 AAAA…` for a known_hosts file. */
  knownHostsLine(): string;
  /** An SshTarget for this server (host-key check off unless `hostKey` is given). */
  target(overrides?: Partial<SshTarget> & { hostKey?: HostKeyPolicy }): SshTarget;
  /** Generates another key pair in `dir` (e.g. a key the server does not accept). */
  generateKey(name: string): GeneratedKey;
  /** Cuts every client connection at the TCP level (like sshd dying), killing running commands. */
  dropConnections(): void;
  /** Stops listening and drops every connection; keys and files stay until close(). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** ssh2's generator drops a leading zero byte of the ed25519 public key (about 1 key in 256), producing
 *  keys its own parser rejects ("Malformed OpenSSH public key"): generate until both halves parse. */
function generateEd25519(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error))
      return pair;
  }
}

function writeKey(dir: string, name: string): GeneratedKey {
  const pair = generateEd25519();
  const file = join(dir, name);
  writeFileSync(file, pair.private, { mode: 0o600 });
  return { privateKey: pair.private, publicKey: pair.public, file };
}

function parsePublic(text: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startTestSshServer(options: TestSshServerOptions = {}): Promise<TestSshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-ssh-'));
  const hostPrivate = options.hostKey ?? generateEd25519().private;
  const hostParsed = utils.parseKey(hostPrivate);
  if (hostParsed instanceof Error) throw hostParsed;
  const hostPublic = `${hostParsed.type} ${hostParsed.getPublicSSH().toString('base64')}`;
  const clientKey = writeKey(dir, 'client_key');
  const allowed = parsePublic(clientKey.publicKey);
  const maxSessions = options.maxSessions ?? 10;
  const sockets = new Set<Socket>();
  const children = new Set<ChildProcess>();
  const stats = { open: 0, peak: 0, connections: 0, refused: 0 };
  const commandEnv = {
    ...process.env,
    PATH: [...(options.pathPrepend ?? []), process.env['PATH'] ?? '/usr/bin:/bin'].join(':'),
  };

  const onSession = (sock: Socket, accept: () => ssh2.Session, reject: () => void): void => {
    if (stats.open >= maxSessions) {
      stats.refused++;
      reject();
      return;
    }
    stats.open++;
    stats.peak = Math.max(stats.peak, stats.open);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (options.releaseDelayMs) setTimeout(() => stats.open--, options.releaseDelayMs);
      else stats.open--;
    };
    const session = accept();
    let pty = false;
    let child: ChildProcess | undefined;
    session.on('close', release);
    session.on('pty', (acceptPty) => {
      pty = true;
      acceptPty?.();
    });
    session.on('env', (acceptEnv) => acceptEnv?.());
    session.on('signal', (acceptSignal, _rejectSignal, info) => {
      acceptSignal?.();
      if (child?.pid !== undefined) child.kill(`SIG${info.name}` as NodeJS.Signals);
    });
    session.on('exec', (acceptExec, _rejectExec, info) => {
      let corked = false;
      const uncork = (): void => {
        if (corked) sock.uncork();
        corked = false;
      };
      if (options.batchReplies) {
        sock.cork();
        corked = true;
      }
      const stream = acceptExec();
      const proc = spawn(toolPath('linux-shell'), ['-c', info.command], {
        detached: true,
        stdio: 'pipe',
        cwd: dir,
        env: commandEnv,
      });
      child = proc;
      children.add(proc);
      proc.stdin.on('error', () => undefined);
      stream.on('error', () => undefined);
      stream.pipe(proc.stdin);
      proc.stdout.pipe(stream, { end: false });
      proc.stderr.pipe(stream.stderr, { end: false });
      let outputsOpen = 2;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      const done = (): void => {
        if (outputsOpen > 0 || !exit) return;
        children.delete(proc);
        try {
          if (exit.signal) stream.exit(exit.signal.replace(/^SIG/, ''), false, '');
          else stream.exit(exit.code ?? 255);
          stream.end();
        } catch {
          // the channel is already gone (client closed it)
        }
        uncork();
      };
      proc.stdout.on('end', () => (outputsOpen--, done()));
      proc.stderr.on('end', () => (outputsOpen--, done()));
      proc.on('exit', (code, signal) => {
        exit = { code, signal };
        done();
      });
      stream.on('close', () => {
        uncork();
        release();
        // sshd closes the pipes; only a pty hang-up signals the command.
        proc.stdout.unpipe(stream);
        proc.stderr.unpipe(stream.stderr);
        proc.stdout.resume();
        proc.stderr.resume();
        if (pty) killGroup(proc, 'SIGHUP');
      });
    });
  };

  const server = new Server({ hostKeys: [hostPrivate] }, (client: Connection) => {
    stats.connections++;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (options.rejectAuth || ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const sameKey =
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === allowed.getPublicSSH().length &&
        timingSafeEqual(ctx.key.data, allowed.getPublicSSH());
      if (!sameKey) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
        return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => {
      const sock = (client as unknown as { _sock: Socket })._sock;
      client.on('session', (accept, reject) => onSession(sock, accept, reject));
      // direct-tcpip, so the server can be a jump host (ProxyJump) for another one.
      client.on('tcpip', (accept, reject, info) => {
        const upstream = connect(info.destPort, info.destIP);
        upstream.once('error', () => reject());
        upstream.once('connect', () => {
          const channel = accept();
          channel.on('error', () => upstream.destroy());
          upstream.on('error', () => channel.destroy());
          channel.pipe(upstream).pipe(channel);
        });
      });
    });
  });
  const raw = (server as unknown as { _srv: NetServer })._srv;
  raw.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
    for (const child of children) killGroup(child, 'SIGKILL');
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    dropConnections();
    stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return stopped;
  };

  return {
    host: '127.0.0.1',
    port,
    dir,
    hostKey: { privateKey: hostPrivate, publicKey: hostPublic },
    clientKey,
    get openSessions() {
      return stats.open;
    },
    get peakSessions() {
      return stats.peak;
    },
    get connections() {
      return stats.connections;
    },
    get refusedSessions() {
      return stats.refused;
    },
    knownHostsLine: () => `[127.0.0.1]:${port} ${hostPublic}`,
    target: (overrides = {}) => ({
      name: 'test-host',
      host: '127.0.0.1',
      port,
      user: 'vagrant',
      identityFile: clientKey.file,
      hostKey: { mode: 'ignore' },
      connectTimeoutSec: 5,
      ...overrides,
    }),
    generateKey: (name) => writeKey(dir, name),
    dropConnections,
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
