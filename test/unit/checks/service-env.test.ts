import { describe, expect, test } from 'vitest';
import { serviceEnv } from '../../../src/checks/service-env.ts';
import { expectedServiceEnv, parseEnv } from '../../../src/checks/service-env-vars.ts';
import {
  fakeContext,
  fixtureJson,
  fixtureText,
  SEED_PODS,
  seedCluster,
  type FakeCluster,
} from './fake-cluster.ts';

const AFTER = fixtureText('env-after-service.txt');
const BEFORE = fixtureText('env-before-service.txt');
const SEED_VARS = [...parseEnv(AFTER)].filter(([k]) => k.startsWith('HOSTNAME_SERVICE_CLUSTERIP_'));

function cluster(overrides: Partial<FakeCluster> = {}): FakeCluster {
  return seedCluster({
    env: { '<client>': AFTER, ...Object.fromEntries(SEED_PODS.map((p) => [p, BEFORE])) },
    ...overrides,
  });
}
const defaults = serviceEnv.params.parse({});

describe('expected variables, computed from the Service JSON like the kubelet', () => {
  test('the seed service gives exactly the seed eight', () => {
    const want = expectedServiceEnv(fixtureJson('service-seed-stage3.json'));
    expect(Object.entries(want).sort()).toEqual(SEED_VARS.sort());
    expect(Object.keys(want)).toHaveLength(8);
  });

  test('a second named UDP port and dashes in names', () => {
    const svc = fixtureJson('service-seed-stage3.json');
    svc.metadata.name = 'my-dns';
    svc.spec.ports.push({ name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 });
    const want = expectedServiceEnv(svc);
    expect(want).toMatchObject({
      MY_DNS_SERVICE_PORT: '8080',
      MY_DNS_SERVICE_PORT_DNS_UDP: '53',
      MY_DNS_PORT_53_UDP: 'udp://172.17.17.106:53',
      MY_DNS_PORT_53_UDP_PROTO: 'udp',
    });
    expect(Object.keys(want)).toHaveLength(13);
  });

  test('IPv6 ClusterIP is bracketed in URLs only', () => {
    const svc = fixtureJson('service-seed-stage3.json');
    svc.spec.clusterIP = 'fd00:17::6a';
    const want = expectedServiceEnv(svc);
    expect(want['HOSTNAME_SERVICE_CLUSTERIP_PORT']).toBe('tcp://[fd00:17::6a]:8080');
    expect(want['HOSTNAME_SERVICE_CLUSTERIP_SERVICE_HOST']).toBe('fd00:17::6a');
  });
});

describe('service-env', () => {
  test('passes: a fresh client pod has all eight, the three older Deployment pods have none', async () => {
    const run = fakeContext(cluster());
    const outcome = await serviceEnv.run(run.ctx, defaults);
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toMatch(
      /^labkit-env-[0-9a-f]{6} has all 8 HOSTNAME_SERVICE_CLUSTERIP_\* variables; 3 older pod\(s\) have none$/,
    );
    expect(outcome.observed?.['olderPods']).toEqual([...SEED_PODS]);
    expect(run.calls.filter((c) => c[0] === 'run')).toHaveLength(1);
  });

  test('an existing pod created after the service can be named', async () => {
    const c = cluster({ env: { debug: AFTER, ...Object.fromEntries(SEED_PODS.map((p) => [p, BEFORE])) } });
    c.pods.push({
      metadata: { name: 'debug', creationTimestamp: '2023-06-12T06:20:00Z' },
      status: { phase: 'Running' },
    });
    const run = fakeContext(c);
    const outcome = await serviceEnv.run(run.ctx, serviceEnv.params.parse({ pod: 'debug' }));
    expect(outcome).toMatchObject({ ok: true });
    expect(run.calls.some((x) => x[0] === 'run')).toBe(false);
  });

  test('fails naming the missing variables', async () => {
    const partial = AFTER.split('\n')
      .filter((l) => !l.startsWith('HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT='))
      .join('\n');
    const outcome = await serviceEnv.run(
      fakeContext(cluster({ env: { '<client>': partial } })).ctx,
      defaults,
    );
    expect(outcome.message).toMatch(
      /^pod labkit-env-[0-9a-f]{6} lacks 1 of 8 service variables \(HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT\): was it created after service hostname-service-clusterip, in namespace default\? \(enableServiceLinks false\?\)$/,
    );
  });

  test('fails naming wrong values', async () => {
    const c = cluster();
    c.services['hostname-service-clusterip'].spec.clusterIP = '172.17.17.107';
    const outcome = await serviceEnv.run(fakeContext(c).ctx, defaults);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain(
      'HOSTNAME_SERVICE_CLUSTERIP_PORT=tcp://172.17.17.106:8080 (expected tcp://172.17.17.107:8080)',
    );
    expect(outcome.message).toMatch(/: was the service re-created after the pod started\?$/);
  });

  test('fails (not retryable) when a pod older than the service has the variables', async () => {
    const c = cluster({
      env: { '<client>': AFTER, [SEED_PODS[0]]: BEFORE, [SEED_PODS[1]]: AFTER, [SEED_PODS[2]]: BEFORE },
    });
    const outcome = await serviceEnv.run(fakeContext(c).ctx, defaults);
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.message).toBe(
      `pod ${SEED_PODS[1]} was created before service hostname-service-clusterip but has HOSTNAME_SERVICE_CLUSTERIP_PORT, HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP, HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_ADDR, HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PORT, HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PROTO, HOSTNAME_SERVICE_CLUSTERIP_SERVICE_HOST, HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT, HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT: a pod only gets variables of services that existed when it started`,
    );
  });

  test('a named pod older than the service is refused with both timestamps', async () => {
    const outcome = await serviceEnv.run(
      fakeContext(cluster()).ctx,
      serviceEnv.params.parse({ pod: SEED_PODS[0] }),
    );
    expect(outcome.message).toBe(
      `pod ${SEED_PODS[0]} was created at 2023-06-12T05:10:41Z, before service hostname-service-clusterip (2023-06-12T05:51:27Z): it cannot have the service variables; create a new pod`,
    );
  });

  test('podBefore newer than the service is a spec error (not retryable)', async () => {
    const c = cluster();
    c.pods.push({
      metadata: { name: 'late', creationTimestamp: '2023-06-12T06:00:00Z' },
      status: { phase: 'Running' },
    });
    const outcome = await serviceEnv.run(fakeContext(c).ctx, serviceEnv.params.parse({ podBefore: 'late' }));
    expect(outcome).toMatchObject({
      retryable: false,
      message:
        'podBefore late was created at 2023-06-12T06:00:00Z, not before service hostname-service-clusterip (2023-06-12T05:51:27Z)',
    });
  });

  test('no older pods: passes and says absence was not checked', async () => {
    const c = cluster();
    c.pods = [];
    const outcome = await serviceEnv.run(fakeContext(c).ctx, defaults);
    expect(outcome.message).toMatch(/; no pod older than the service to check for absence$/);
  });

  test('a container without env: the exec failure is named', async () => {
    const c = cluster({ env: { '<client>': AFTER } });
    const outcome = await serviceEnv.run(fakeContext(c).ctx, defaults);
    expect(outcome.message).toBe(`kubectl exec into pod ${SEED_PODS[0]} failed (exit 127): env: not found`);
  });
});
