// The sockets on loopback (no namespace needed): UDP and TCP framing, several queries on one TCP
// connection, silence while the fault is on, one log line per failed forward.
import * as dnsPacket from 'dns-packet';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_ANSWER_OPTIONS } from '../../../../src/sim/dns/answer.ts';
import { listenDns, type RunningDnsServer } from '../../../../src/sim/dns/server.ts';
import { fixtureView } from './fixture.ts';

const query = (name: string, id: number): Buffer =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name }],
  });

function udpAsk(port: number, message: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), resolve(undefined)), timeoutMs);
    socket.on('message', (m) => (clearTimeout(timer), socket.close(), resolve(m)));
    socket.send(message, port, '127.0.0.1');
  });
}

function tcpAsk(port: number, messages: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('tcp timeout'))), 5000);
    let got = Buffer.alloc(0);
    const out: Buffer[] = [];
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      while (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        out.push(got.subarray(2, 2 + got.readUInt16BE(0)));
        got = got.subarray(2 + got.readUInt16BE(0));
      }
      if (out.length !== messages.length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    });
    // Both queries in one write, the second split across the boundary: the server must reassemble.
    const framed = Buffer.concat(
      messages.map((m) => {
        const p = Buffer.alloc(2);
        p.writeUInt16BE(m.length);
        return Buffer.concat([p, m]);
      }),
    );
    socket.write(framed.subarray(0, framed.length - 3));
    setTimeout(() => socket.write(framed.subarray(framed.length - 3)), 20);
  });
}

describe('the DNS server sockets', () => {
  let server: RunningDnsServer;
  let silent = false;
  const logs: string[] = [];
  beforeAll(async () => {
    const view = fixtureView();
    server = await listenDns({
      ...DEFAULT_ANSWER_OPTIONS,
      address: '127.0.0.1',
      port: 0,
      view: () => view,
      silent: () => silent,
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => server.close());

  test('answers over UDP with the id of the query', async () => {
    const response = await udpAsk(server.port, query('kubernetes.default.svc.cluster.local', 7), 2000);
    expect(response && dnsPacket.decode(response)).toMatchObject({
      id: 7,
      answers: [{ data: '172.17.0.1' }],
    });
  });

  test('answers several length-prefixed queries on one TCP connection', async () => {
    const out = await tcpAsk(server.port, [
      query('kube-dns.kube-system.svc.cluster.local', 1),
      query('hostname-service-clusterip.default.svc.cluster.local', 2),
    ]);
    expect(out.map((b) => dnsPacket.decode(b).answers?.[0])).toMatchObject([
      { data: '172.17.0.10' },
      { data: '172.17.17.106' },
    ]);
  });

  test('while silent it reads and drops every query', async () => {
    silent = true;
    try {
      expect(
        await udpAsk(server.port, query('kubernetes.default.svc.cluster.local', 8), 300),
      ).toBeUndefined();
    } finally {
      silent = false;
    }
    expect(await udpAsk(server.port, query('kubernetes.default.svc.cluster.local', 9), 2000)).toBeDefined();
  });

  test('a name forward would get is logged as the errors plugin does; a cluster miss is not', async () => {
    logs.length = 0;
    await udpAsk(server.port, query('example.com', 10), 2000);
    await udpAsk(server.port, query('nosuch.default.svc.cluster.local', 11), 2000);
    expect(logs).toEqual([
      '[ERROR] plugin/errors: 2 example.com. A: no upstream resolver: the simulated lab has no network outside the cluster',
    ]);
  });
});
