// The DNS server's sockets: UDP and TCP on one port (53 in the pod), every query answered from the
// current ClusterView (packet.ts). While `silent()` is true (the dns-broken fault) queries are read and
// dropped, so clients time out exactly as with a hung CoreDNS. TCP messages carry RFC 1035's two-byte
// length prefix; one connection may carry many queries.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { respond, type Exchange, type RespondOptions, type Transport } from './packet.ts';
import type { ClusterView } from './view.ts';

export interface DnsServerOptions extends RespondOptions {
  readonly address: string;
  readonly port: number;
  readonly view: () => ClusterView;
  readonly silent: () => boolean;
  /** One line per failed lookup, as the `errors` plugin of kubeadm's Corefile logs it. */
  readonly log: (line: string) => void;
}

export interface RunningDnsServer {
  /** The bound port (the one asked for, or the one picked for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;

function answer(options: DnsServerOptions, message: Buffer, transport: Transport): Buffer | undefined {
  if (options.silent()) return undefined;
  const exchange: Exchange | undefined = respond(options.view(), message, transport, options);
  if (!exchange) return undefined;
  if (exchange.rcode === 'SERVFAIL' && !exchange.flags.includes('aa'))
    options.log(
      `[ERROR] plugin/errors: 2 ${exchange.qname} ${exchange.qtype}: no upstream resolver: the simulated lab has no network outside the cluster`,
    );
  return exchange.response;
}

function serveTcp(options: DnsServerOptions, socket: TcpSocket): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const message = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      const response = answer(options, message, 'tcp');
      if (!response) continue;
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(response.length);
      socket.write(Buffer.concat([prefix, response]));
    }
  });
}

export async function listenDns(options: DnsServerOptions): Promise<RunningDnsServer> {
  const udp: Socket = createSocket({ type: 'udp4', reuseAddr: false });
  udp.on('message', (message, rinfo) => {
    const response = answer(options, message, 'udp');
    if (response) udp.send(response, rinfo.port, rinfo.address);
  });
  udp.on('error', (error) => options.log(`[ERROR] udp :${options.port}: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port, options.address, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const port = udp.address().port;
  const tcp: Server = createServer((socket) => serveTcp(options, socket));
  const open = new Set<TcpSocket>();
  tcp.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, options.address, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    udp.close();
    throw error;
  }
  return {
    port,
    async close() {
      for (const s of open) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
