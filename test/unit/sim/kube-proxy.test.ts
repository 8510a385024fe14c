// Load balancing and affinity as kube-proxy does them: iptables random (chi-squared uniformity over 3000
// requests), IPVS round robin, sessionAffinity ClientIP per client with timeoutSeconds, and the faults
// that change them.
import { randomInt } from 'node:crypto';
import { chiSquaredDistributionTable } from 'simple-statistics';
import { describe, expect, test } from 'vitest';
import { applyObject } from '../../../src/sim/model/api.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import { connect } from '../../../src/sim/net/connect.ts';
import { must, SERVICE_DOC, seedWithService } from './helpers.ts';

const NOW = Date.parse('2023-06-01T12:00:00Z');
const PODS = [
  'hostname-deployment-7d4f978855-8h2m9',
  'hostname-deployment-7d4f978855-pzkgc',
  'hostname-deployment-7d4f978855-v7zlc',
];

/** mulberry32: a small seeded PRNG, so the seeded tests are deterministic. */
function seeded(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function counts(
  state: ClusterState,
  n: number,
  random: (n: number) => number,
  client = '172.16.158.12',
  host = '172.17.17.106',
): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = connect(state, { ip: client, namespace: 'default' }, host, 8080, NOW + i, random);
    const key = r.kind === 'ok' ? r.pod : r.kind;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function chiSquared(observed: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  const expected = total / observed.length;
  return observed.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
}

describe('iptables mode: a random endpoint per new connection', () => {
  test('3000 requests with a seeded RNG fit a uniform distribution (chi-squared, df 2, 5 % level)', () => {
    const c = counts(seedWithService(NOW), 3000, seeded(42));
    expect([...c.keys()].sort()).toEqual(PODS);
    expect(chiSquared(PODS.map((p) => c.get(p) ?? 0))).toBeLessThan(
      must(chiSquaredDistributionTable[2]?.[0.05]),
    );
  });

  test('3000 requests with the real RNG: chi-squared below 18.42 (false-failure probability exp(-18.42/2) = 1e-4)', () => {
    const c = counts(seedWithService(NOW), 3000, randomInt);
    expect(chiSquared(PODS.map((p) => c.get(p) ?? 0))).toBeLessThan(-2 * Math.log(1e-4));
  });

  test('the test would catch a skewed balancer: skewed-balance (80/10/10) fails the same chi-squared bound', () => {
    const state = seedWithService(NOW);
    state.config.faults = ['skewed-balance'];
    const c = counts(state, 3000, seeded(7));
    const observed = PODS.map((p) => c.get(p) ?? 0);
    expect(chiSquared(observed)).toBeGreaterThan(-2 * Math.log(1e-4));
    expect(Math.max(...observed) / 3000).toBeGreaterThan(0.75);
  });

  test('requests by DNS name (short, name.ns, FQDN) reach the same service', () => {
    const state = seedWithService(NOW);
    for (const host of [
      'hostname-service-clusterip',
      'hostname-service-clusterip.default',
      'hostname-service-clusterip.default.svc.cluster.local',
    ])
      expect(
        connect(state, { ip: '172.16.158.12', namespace: 'default' }, host, 8080, NOW, seeded(1)).kind,
      ).toBe('ok');
    expect(
      connect(
        state,
        { ip: '172.16.158.12', namespace: 'kube-system' },
        'hostname-service-clusterip',
        8080,
        NOW,
        seeded(1),
      ).kind,
    ).toBe('bad-address');
  });
});

describe('IPVS mode', () => {
  test('round robin: each endpoint in turn', () => {
    const state = seedWithService(NOW);
    state.config.faults = ['kube-proxy-ipvs'];
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = connect(
        state,
        { ip: '172.16.158.12', namespace: 'default' },
        '172.17.17.106',
        8080,
        NOW,
        seeded(i),
      );
      order.push(r.kind === 'ok' ? r.pod : r.kind);
    }
    expect(new Set(order.slice(0, 3)).size).toBe(3);
    expect(order.slice(3)).toEqual(order.slice(0, 3));
  });
});

describe('sessionAffinity ClientIP', () => {
  function affinityState(timeoutSeconds?: number): ClusterState {
    const state = seedWithService(NOW);
    applyObject(state, 'Service', SERVICE_DOC(true, timeoutSeconds), 'default', NOW, 'v2');
    reconcile(state, NOW);
    return state;
  }

  test('each client always reaches one pod; across 20 clients more than one pod is used', () => {
    const state = affinityState();
    const random = seeded(3);
    const perClient = Array.from({ length: 20 }, (_, i) => counts(state, 30, random, `172.16.158.${20 + i}`));
    for (const c of perClient) expect(c.size).toBe(1);
    expect(new Set(perClient.map((c) => [...c.keys()][0])).size).toBeGreaterThan(1);
  });

  test('the memory expires after timeoutSeconds without traffic', () => {
    const state = affinityState(10);
    const seen = new Set<string>();
    for (let round = 0; round < 30; round++) {
      const r = connect(
        state,
        { ip: '172.16.158.30', namespace: 'default' },
        '172.17.17.106',
        8080,
        NOW + round * 11_000,
        seeded(round),
      );
      if (r.kind === 'ok') seen.add(r.pod);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  test('affinity-ignored: the same client is spread again', () => {
    const state = affinityState();
    state.config.faults = ['affinity-ignored'];
    expect(counts(state, 60, seeded(5)).size).toBe(3);
  });
});

describe('blackhole-endpoint', () => {
  test('one endpoint times out, by service and by its pod IP; the others answer', () => {
    const state = seedWithService(NOW);
    state.config.faults = ['blackhole-endpoint'];
    const c = counts(state, 300, seeded(9));
    expect(c.get('timeout')).toBeGreaterThan(50);
    expect([...c.keys()].filter((k) => k !== 'timeout')).toHaveLength(2);
    const direct = ['172.16.158.7', '172.16.158.8', '172.16.87.234'].map(
      (ip) => connect(state, { ip: '172.16.158.12', namespace: 'default' }, ip, 80, NOW, seeded(1)).kind,
    );
    expect(direct.filter((k) => k === 'timeout')).toHaveLength(1);
  });
});

describe('services without ready endpoints, unknown ports, DNS faults', () => {
  test('no endpoints → connection refused; a port the service does not have → timeout', () => {
    const state = seedWithService(NOW);
    state.pods = [];
    reconcile(state, NOW);
    expect(
      connect(state, { ip: '172.16.158.12', namespace: 'default' }, '172.17.17.106', 8080, NOW, seeded(1))
        .kind,
    ).toBe('refused');
    expect(
      connect(state, { ip: '172.16.158.12', namespace: 'default' }, '172.17.17.106', 9999, NOW, seeded(1))
        .kind,
    ).toBe('timeout');
  });

  test('dns-broken: names fail, IPs still work', () => {
    const state = seedWithService(NOW);
    state.config.faults = ['dns-broken'];
    expect(
      connect(
        state,
        { ip: '172.16.158.12', namespace: 'default' },
        'hostname-service-clusterip',
        8080,
        NOW,
        seeded(1),
      ).kind,
    ).toBe('dns-timeout');
    expect(
      connect(state, { ip: '172.16.158.12', namespace: 'default' }, '172.17.17.106', 8080, NOW, seeded(1))
        .kind,
    ).toBe('ok');
  });
});
