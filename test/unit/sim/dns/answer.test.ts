import { describe, expect, test } from 'vitest';
import { answerQuestion, FORWARD_FAILED } from '../../../../src/sim/dns/answer.ts';
import { fixtureView, MODIFIED } from './fixture.ts';

const view = fixtureView();
const ask = (name: string, type = 'A', v = view) => answerQuestion(v, { name, type });
const data = (name: string, type = 'A') => ask(name, type).answers.map((a) => ('data' in a ? a.data : a));

const SOA = {
  type: 'SOA',
  name: 'cluster.local',
  ttl: 30,
  class: 'IN',
  data: {
    mname: 'ns.dns.cluster.local',
    rname: 'hostmaster.cluster.local',
    serial: MODIFIED,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: 30,
  },
};

describe("services (CoreDNS kubernetes plugin with kubeadm's Corefile)", () => {
  test('a ClusterIP service is an A record of its ClusterIP with TTL 30, authoritative', () => {
    expect(ask('hostname-service-clusterip.default.svc.cluster.local')).toEqual({
      rcode: 'NOERROR',
      authoritative: true,
      answers: [
        {
          type: 'A',
          name: 'hostname-service-clusterip.default.svc.cluster.local',
          ttl: 30,
          class: 'IN',
          data: '172.17.17.106',
        },
      ],
      authorities: [],
      additionals: [],
    });
  });

  test("names match in any case and a trailing dot; the answer keeps the question's spelling", () => {
    const r = ask('Hostname-Service-ClusterIP.Default.SVC.cluster.local.');
    expect(r.answers).toEqual([
      expect.objectContaining({
        name: 'Hostname-Service-ClusterIP.Default.SVC.cluster.local',
        data: '172.17.17.106',
      }),
    ]);
  });

  test('AAAA of an IPv4 service is NODATA (NOERROR, no answer, the SOA in authority), not NXDOMAIN', () => {
    expect(ask('hostname-service-clusterip.default.svc.cluster.local', 'AAAA')).toEqual({
      rcode: 'NOERROR',
      authoritative: true,
      answers: [],
      authorities: [SOA],
      additionals: [],
    });
  });

  test('a headless service is its ready endpoints (a missing ready counts as ready)', () => {
    expect(data('headless.default.svc.cluster.local')).toEqual([
      '172.16.158.8',
      '172.16.87.235',
      '172.16.87.237',
    ]);
  });

  test('an endpoint of a service by its dashed address or its hostname', () => {
    expect(data('172-16-158-8.headless.default.svc.cluster.local')).toEqual(['172.16.158.8']);
    expect(data('web-0.headless.default.svc.cluster.local')).toEqual(['172.16.87.237']);
    expect(data('172-16-158-7.hostname-service-clusterip.default.svc.cluster.local')).toEqual([
      '172.16.158.7',
    ]);
    expect(ask('172-16-87-236.headless.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('kube-dns itself, and ns.dns.cluster.local is the kube-dns ClusterIP', () => {
    expect(data('kube-dns.kube-system.svc.cluster.local')).toEqual(['172.17.0.10']);
    expect(data('ns.dns.cluster.local')).toEqual(['172.17.0.10']);
  });
});

describe('ExternalName', () => {
  test('A is the CNAME to the exact target alone: the target is outside the cluster and the lab has no upstream', () => {
    expect(ask('external.default.svc.cluster.local')).toEqual({
      rcode: 'NOERROR',
      authoritative: true,
      answers: [
        {
          type: 'CNAME',
          name: 'external.default.svc.cluster.local',
          ttl: 30,
          class: 'IN',
          data: 'my.database.example.com',
        },
      ],
      authorities: [],
      additionals: [],
    });
    expect(data('external.default.svc.cluster.local', 'AAAA')).toEqual(['my.database.example.com']);
    expect(data('external.default.svc.cluster.local', 'CNAME')).toEqual(['my.database.example.com']);
  });

  test("a target inside the cluster is followed: CNAME then the target's A", () => {
    expect(ask('alias.default.svc.cluster.local').answers).toEqual([
      {
        type: 'CNAME',
        name: 'alias.default.svc.cluster.local',
        ttl: 30,
        class: 'IN',
        data: 'hostname-service-clusterip.default.svc.cluster.local',
      },
      {
        type: 'A',
        name: 'hostname-service-clusterip.default.svc.cluster.local',
        ttl: 30,
        class: 'IN',
        data: '172.17.17.106',
      },
    ]);
  });

  test('an ExternalName has no SRV (NODATA) and no port names (NXDOMAIN)', () => {
    expect(ask('external.default.svc.cluster.local', 'SRV')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(ask('_web._tcp.external.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  test('an ExternalName whose in-cluster target does not exist answers NODATA', () => {
    const v = fixtureView({
      services: [
        {
          metadata: { name: 'dangling', namespace: 'default' },
          spec: { type: 'ExternalName', externalName: 'nope.default.svc.cluster.local' },
        },
      ],
    });
    expect(ask('dangling.default.svc.cluster.local', 'A', v)).toMatchObject({
      rcode: 'NOERROR',
      answers: [],
      authorities: [SOA],
    });
  });
});

describe('SRV', () => {
  test('a named port of a ClusterIP service: the service name as target, its A as additional', () => {
    const r = ask('_web-port._tcp.hostname-service-clusterip.default.svc.cluster.local', 'SRV');
    expect(r.answers).toEqual([
      {
        type: 'SRV',
        name: '_web-port._tcp.hostname-service-clusterip.default.svc.cluster.local',
        ttl: 30,
        class: 'IN',
        data: {
          priority: 0,
          weight: 100,
          port: 8080,
          target: 'hostname-service-clusterip.default.svc.cluster.local',
        },
      },
    ]);
    expect(r.additionals).toEqual([
      {
        type: 'A',
        name: 'hostname-service-clusterip.default.svc.cluster.local',
        ttl: 30,
        class: 'IN',
        data: '172.17.17.106',
      },
    ]);
  });

  test('without a port name: one SRV per port, the weight split between them', () => {
    const r = ask('kube-dns.kube-system.svc.cluster.local', 'SRV');
    expect(r.answers.map((a) => (a.type === 'SRV' ? [a.data.port, a.data.weight] : []))).toEqual([
      [53, 33],
      [9153, 33],
    ]);
  });

  test('a headless service: one SRV per ready endpoint, each its own target', () => {
    const r = ask('_web._tcp.headless.default.svc.cluster.local', 'SRV');
    expect(
      r.answers.map((a) => (a.type === 'SRV' ? `${a.data.weight} ${a.data.port} ${a.data.target}` : '')),
    ).toEqual([
      '33 80 172-16-158-8.headless.default.svc.cluster.local',
      '33 80 172-16-87-235.headless.default.svc.cluster.local',
      '33 80 web-0.headless.default.svc.cluster.local',
    ]);
    expect(r.additionals.map((a) => `${a.name} ${'data' in a ? String(a.data) : ''}`)).toContain(
      'web-0.headless.default.svc.cluster.local 172.16.87.237',
    );
  });

  test('a port or protocol the service does not have is NXDOMAIN', () => {
    expect(ask('_http._tcp.hostname-service-clusterip.default.svc.cluster.local', 'SRV').rcode).toBe(
      'NXDOMAIN',
    );
    expect(ask('_web-port._udp.hostname-service-clusterip.default.svc.cluster.local', 'SRV').rcode).toBe(
      'NXDOMAIN',
    );
  });
});

describe('pods insecure', () => {
  test('a-b-c-d.<ns>.pod.cluster.local is that address, whether or not such a pod exists', () => {
    expect(data('172-16-87-234.default.pod.cluster.local')).toEqual(['172.16.87.234']);
    expect(data('10-1-2-3.kube-system.pod.cluster.local')).toEqual(['10.1.2.3']);
  });

  test('a namespace that does not exist, or a name that is no address, is NXDOMAIN', () => {
    expect(ask('172-16-87-234.nosuchns.pod.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('hello.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('172-16-87-999.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });
});

describe('names that do not exist', () => {
  test('a service that does not exist: NXDOMAIN with the cluster.local SOA in authority', () => {
    expect(ask('nosuch.default.svc.cluster.local')).toEqual({
      rcode: 'NXDOMAIN',
      authoritative: true,
      answers: [],
      authorities: [SOA],
      additionals: [],
    });
  });

  test("the search list's misses: svc.ns.<ns>.svc..., svc.<ns>.cluster.local are NXDOMAIN", () => {
    for (const name of [
      'hostname-service-clusterip.default.default.svc.cluster.local',
      'hostname-service-clusterip.default.cluster.local',
      'hostname-service-clusterip.svc.cluster.local',
      'a.b.c.d.default.svc.cluster.local',
      'nosuchns.svc.cluster.local',
    ])
      expect(ask(name).rcode, name).toBe('NXDOMAIN');
  });

  test('a namespace alone, svc and the apex are NODATA', () => {
    for (const name of ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'])
      expect(ask(name), name).toMatchObject({ rcode: 'NOERROR', answers: [], authorities: [SOA] });
  });

  test('before the first LIST has arrived a miss is SERVFAIL (CoreDNS has not synced), with the SOA', () => {
    const r = ask('nosuch.default.svc.cluster.local', 'A', fixtureView({ synced: false }));
    expect(r).toMatchObject({ rcode: 'SERVFAIL', authorities: [SOA] });
  });

  test('other types at a missing name are NXDOMAIN, at an existing one NODATA', () => {
    expect(ask('nosuch.default.svc.cluster.local', 'MX').rcode).toBe('NXDOMAIN');
    expect(ask('hostname-service-clusterip.default.svc.cluster.local', 'MX')).toMatchObject({
      rcode: 'NOERROR',
      answers: [],
    });
    expect(ask('hostname-service-clusterip.default.svc.cluster.local', 'TXT')).toMatchObject({
      rcode: 'NOERROR',
      answers: [],
    });
    expect(ask('nosuch.default.svc.cluster.local', 'TXT').rcode).toBe('NXDOMAIN');
  });
});

describe('outside cluster.local: forward has no upstream in the lab', () => {
  test('SERVFAIL at once, not authoritative, nothing else', () => {
    for (const name of [
      'example.com',
      'hostname-service-clusterip',
      'hostname-service-clusterip.default',
      'localhost',
    ])
      expect(ask(name), name).toEqual(FORWARD_FAILED);
    expect(FORWARD_FAILED).toEqual({
      rcode: 'SERVFAIL',
      authoritative: false,
      answers: [],
      authorities: [],
      additionals: [],
    });
  });
});

describe('reverse zones, special names', () => {
  test('PTR of a ClusterIP is the service name; of an endpoint its name under the service', () => {
    expect(data('106.17.17.172.in-addr.arpa', 'PTR')).toEqual([
      'hostname-service-clusterip.default.svc.cluster.local',
    ]);
    expect(data('237.87.16.172.in-addr.arpa', 'PTR')).toEqual(['web-0.headless.default.svc.cluster.local']);
  });

  test('an unknown address falls through to forward: SERVFAIL', () => {
    expect(ask('1.0.0.10.in-addr.arpa', 'PTR')).toEqual(FORWARD_FAILED);
    expect(ask('17.172.in-addr.arpa', 'PTR')).toEqual(FORWARD_FAILED);
  });

  test('dns-version TXT, SOA and NS at the apex', () => {
    expect(ask('dns-version.cluster.local', 'TXT').answers).toEqual([
      { type: 'TXT', name: 'dns-version.cluster.local', ttl: 28800, class: 'IN', data: '1.1.0' },
    ]);
    expect(ask('cluster.local', 'SOA').answers).toEqual([SOA]);
    const ns = ask('cluster.local', 'NS');
    expect(ns.answers).toEqual([
      { type: 'NS', name: 'cluster.local', ttl: 30, class: 'IN', data: 'ns.dns.cluster.local' },
    ]);
    expect(ns.additionals).toEqual([
      { type: 'A', name: 'ns.dns.cluster.local', ttl: 30, class: 'IN', data: '172.17.0.10' },
    ]);
  });

  test('zone transfers are refused', () => {
    expect(ask('cluster.local', 'AXFR').rcode).toBe('REFUSED');
  });
});
