// A tiny dig for the DNS integration test, run inside the client's network namespace (the test process
// cannot enter one): sends each query as real packets (UDP or TCP, dns-packet) or through Node's
// resolver (c-ares, a stub resolver as a pod has), prints one JSON result per query.
// Usage: dig.ts <server ip> <queries as JSON>
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';

export interface DigQuery {
  readonly name: string;
  readonly type: RecordType;
  readonly transport: 'udp' | 'tcp' | 'resolver';
  readonly timeoutMs: number;
  /** Repeat (every 100 ms) until the answer has records or this many ms have passed. */
  readonly untilAnsweredMs?: number;
}

export interface DigResult {
  readonly rcode?: string;
  readonly aa?: boolean;
  readonly answers: { type: string; data: unknown }[];
  readonly authorities: string[];
  readonly error?: string;
  readonly elapsedMs: number;
}

function udp(server: string, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('timeout'));
    }, timeoutMs);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m);
    });
    socket.send(message, 53, server);
  });
}

function tcp(server: string, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(53, server);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    let got = Buffer.alloc(0);
    socket.on('error', (e) => (clearTimeout(timer), reject(e)));
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(message.length);
    socket.write(Buffer.concat([prefix, message]));
  });
}

async function once(server: string, q: DigQuery): Promise<Omit<DigResult, 'elapsedMs'>> {
  if (q.transport === 'resolver') {
    const resolver = new Resolver({ timeout: q.timeoutMs, tries: 1 });
    resolver.setServers([server]);
    try {
      const records =
        q.type === 'CNAME' ? await resolver.resolveCname(q.name) : await resolver.resolve4(q.name);
      return { answers: records.map((data) => ({ type: q.type, data })), authorities: [] };
    } catch (error) {
      return { answers: [], authorities: [], error: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
  }
  const message = dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: q.type, name: q.name, class: 'IN' }],
  });
  try {
    const raw = await (q.transport === 'udp' ? udp : tcp)(server, message, q.timeoutMs);
    const packet = dnsPacket.decode(raw) as DecodedPacket & { rcode: string };
    return {
      rcode: packet.rcode,
      aa: packet.flag_aa,
      answers: (packet.answers ?? []).map((a) => ({ type: a.type, data: 'data' in a ? a.data : undefined })),
      authorities: (packet.authorities ?? []).map((a) => a.type),
    };
  } catch (error) {
    return { answers: [], authorities: [], error: error instanceof Error ? error.message : String(error) };
  }
}

async function dig(server: string, q: DigQuery): Promise<DigResult> {
  const start = Date.now();
  for (;;) {
    const result = await once(server, q);
    const elapsedMs = Date.now() - start;
    if (q.untilAnsweredMs === undefined || result.answers.length > 0 || elapsedMs >= q.untilAnsweredMs)
      return { ...result, elapsedMs };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const [server, queries] = process.argv.slice(2);
if (!server || !queries) throw new Error('usage: dig.ts <server> <queries JSON>');
const results: DigResult[] = [];
for (const q of JSON.parse(queries) as DigQuery[]) results.push(await dig(server, q));
process.stdout.write(`${JSON.stringify(results)}\n`);
