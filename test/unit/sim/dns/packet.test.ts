import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { describe, expect, test } from 'vitest';
import { DEFAULT_ANSWER_OPTIONS } from '../../../../src/sim/dns/answer.ts';
import { respond, type Transport } from '../../../../src/sim/dns/packet.ts';
import { fixtureView } from './fixture.ts';

const view = fixtureView();
const options = { ...DEFAULT_ANSWER_OPTIONS, random: () => 0 };

function query(
  name: string,
  type: Packet['questions'] extends (infer Q)[] | undefined
    ? Q extends { type: infer T }
      ? T
      : never
    : never,
  extra: Partial<Packet> = {},
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    ...extra,
  });
}

function roundTrip(message: Buffer, transport: Transport = 'udp') {
  const exchange = respond(view, message, transport, options);
  if (!exchange) throw new Error('no response');
  return { exchange, packet: dnsPacket.decode(exchange.response) };
}

describe('the wire format (dns-packet encode/decode round trip)', () => {
  test('an A answer: id, question and RD echoed, QR and AA set, no RA, NOERROR', () => {
    const { packet, exchange } = roundTrip(
      query('hostname-service-clusterip.default.svc.cluster.local', 'A'),
    );
    expect(packet).toMatchObject({
      type: 'response',
      id: 4242,
      flag_qr: true,
      flag_aa: true,
      flag_rd: true,
      flag_ra: false,
      flag_tc: false,
      rcode: 'NOERROR',
      questions: [{ name: 'hostname-service-clusterip.default.svc.cluster.local', type: 'A', class: 'IN' }],
      answers: [
        {
          name: 'hostname-service-clusterip.default.svc.cluster.local',
          type: 'A',
          ttl: 30,
          data: '172.17.17.106',
        },
      ],
    });
    expect(exchange).toMatchObject({
      qname: 'hostname-service-clusterip.default.svc.cluster.local.',
      qtype: 'A',
      rcode: 'NOERROR',
      flags: 'qr,aa,rd',
    });
  });

  test('NXDOMAIN carries the SOA; SERVFAIL outside the zone is not authoritative', () => {
    const nx = roundTrip(query('nosuch.default.svc.cluster.local', 'A')).packet;
    expect(nx).toMatchObject({ rcode: 'NXDOMAIN', flag_aa: true, answers: [] });
    expect(nx.authorities?.[0]).toMatchObject({
      type: 'SOA',
      name: 'cluster.local',
      data: { mname: 'ns.dns.cluster.local', minimum: 30 },
    });
    const out = roundTrip(query('example.com', 'A')).packet;
    expect(out).toMatchObject({ rcode: 'SERVFAIL', flag_aa: false, answers: [], authorities: [] });
  });

  test('CNAME and SRV records survive the encoding', () => {
    expect(roundTrip(query('external.default.svc.cluster.local', 'A')).packet.answers).toEqual([
      expect.objectContaining({ type: 'CNAME', data: 'my.database.example.com', ttl: 30 }),
    ]);
    const srv = roundTrip(
      query('_web-port._tcp.hostname-service-clusterip.default.svc.cluster.local', 'SRV'),
    ).packet;
    expect(srv.answers?.[0]).toMatchObject({
      type: 'SRV',
      data: {
        port: 8080,
        weight: 100,
        priority: 0,
        target: 'hostname-service-clusterip.default.svc.cluster.local',
      },
    });
    expect(srv.additionals?.[0]).toMatchObject({ type: 'A', data: '172.17.17.106' });
  });

  test('EDNS0 in the query is echoed (4096 bytes advertised)', () => {
    const opt = {
      type: 'OPT',
      name: '.',
      udpPayloadSize: 1232,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    } as Answer;
    const { packet } = roundTrip(query('kubernetes.default.svc.cluster.local', 'A', { additionals: [opt] }));
    expect(packet.additionals).toEqual([expect.objectContaining({ type: 'OPT', udpPayloadSize: 4096 })]);
    const plain = roundTrip(query('kubernetes.default.svc.cluster.local', 'A')).packet;
    expect(plain.additionals).toEqual([]);
  });

  test('over UDP a response past 512 bytes is cut to the question with TC; over TCP it is whole', () => {
    const endpoints = Array.from({ length: 60 }, (_, i) => ({
      addresses: [`172.16.1.${i + 1}`],
      conditions: { ready: true },
    }));
    const big = fixtureView({
      endpointSlices: [
        {
          metadata: {
            name: 'many-x',
            namespace: 'default',
            labels: { 'kubernetes.io/service-name': 'headless' },
          },
          endpoints,
          ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
        },
      ],
    });
    const message = query('headless.default.svc.cluster.local', 'A');
    const udp = respond(big, message, 'udp', options);
    const tcp = respond(big, message, 'tcp', options);
    expect(udp && dnsPacket.decode(udp.response)).toMatchObject({
      flag_tc: true,
      answers: [],
      rcode: 'NOERROR',
    });
    expect(udp?.response.length).toBeLessThanOrEqual(512);
    expect(tcp && dnsPacket.decode(tcp.response).answers).toHaveLength(60);
  });

  test('loadbalance shuffles the addresses of a headless service', () => {
    const message = query('headless.default.svc.cluster.local', 'A');
    const order = (random: () => number) => {
      const exchange = respond(view, message, 'udp', { ...options, random });
      return exchange && dnsPacket.decode(exchange.response).answers?.map((a) => ('data' in a ? a.data : ''));
    };
    expect(order(() => 0.99)).toEqual(['172.16.158.8', '172.16.87.235', '172.16.87.237']);
    expect(order(() => 0)).toEqual(['172.16.87.235', '172.16.87.237', '172.16.158.8']);
  });

  test('another opcode is NOTIMP; no question is FORMERR; a response or garbage gets no answer', () => {
    const notify = dnsPacket.encode({
      type: 'query',
      id: 1,
      flags: 4 << 11,
      questions: [{ type: 'SOA', name: 'cluster.local' }],
    });
    expect(roundTrip(notify).packet).toMatchObject({ rcode: 'NOTIMP' });
    expect(roundTrip(dnsPacket.encode({ type: 'query', id: 2, questions: [] })).packet).toMatchObject({
      rcode: 'FORMERR',
    });
    expect(respond(view, Buffer.from('not dns'), 'udp', options)).toBeUndefined();
    const response = dnsPacket.encode({ type: 'response', id: 3, questions: [{ type: 'A', name: 'x' }] });
    expect(respond(view, response, 'udp', options)).toBeUndefined();
  });
});
