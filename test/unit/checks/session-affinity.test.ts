import { expect, test } from 'vitest';
import { sessionAffinity } from '../../../src/checks/session-affinity.ts';
import { fakeContext, NO_ANSWER, seedCluster, type FakeCluster } from './fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const PZ = 'hostname-deployment-7d4f978855-pzkgc';
const V7 = 'hostname-deployment-7d4f978855-v7zlc';
const W54 = 'hostname-deployment-7d4f978855-w54fq';

/** Seed stage 6: endpoints pzkgc, v7zlc, w54fq; the service re-applied with sessionAffinity ClientIP. */
function affinityCluster(respond: FakeCluster['respond']): FakeCluster {
  const cluster = seedCluster({ respond });
  cluster.services['hostname-service-clusterip'].spec.sessionAffinity = 'ClientIP';
  cluster.services['hostname-service-clusterip'].spec.sessionAffinityConfig = {
    clientIP: { timeoutSeconds: 10800 },
  };
  const eps = cluster.endpoints['hostname-service-clusterip'].subsets[0];
  // Stage 4 replaced 8h2m9 with w54fq.
  const gone = eps.addresses.findIndex((a: { targetRef: { name: string } }) =>
    a.targetRef.name.endsWith('8h2m9'),
  );
  eps.addresses[gone] = {
    ip: '172.16.87.235',
    nodeName: 'worker-node01',
    targetRef: { kind: 'Pod', name: W54 },
  };
  return cluster;
}
/** Each client sticks to one backend, by order of first request (client 1 → v7zlc, client 2 → w54fq: the seed). */
function sticky(): FakeCluster['respond'] {
  const chosen = new Map<string, string>();
  const backends = [V7, W54, PZ];
  return (client) => {
    if (!chosen.has(client)) chosen.set(client, backends[chosen.size % backends.length] ?? V7);
    return chosen.get(client) ?? NO_ANSWER;
  };
}
const defaults = sessionAffinity.params.parse({});

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'session-affinity', () => {
  test('passes: two clients, each stuck to one pod; the mapping is reported; one exec per client', async () => {
    const run = fakeContext(affinityCluster(sticky()));
    const outcome = await sessionAffinity.run(run.ctx, defaults);
    expect(outcome.ok).toBe(true);
    const clients = [...run.urls.keys()];
    expect(clients).toHaveLength(2);
    expect(run.calls.filter((c) => c[0] === 'exec')).toHaveLength(2);
    for (const c of clients) expect(run.urls.get(c)).toHaveLength(10);
    const mapping = outcome.observed?.['mapping'] as Record<
      string,
      { clientIP: string; backends: Record<string, number> }
    >;
    expect(Object.values(mapping).map((m) => Object.values(m.backends))).toEqual([[10], [10]]);
    expect(Object.values(mapping).every((m) => /^172\.16\.158\.\d+$/.test(m.clientIP))).toBe(true);
    expect(outcome.message).toMatch(
      /^each client stuck to one pod: labkit-affinity-\w{6} → hostname-deployment-7d4f978855-\w{5}, labkit-affinity-\w{6} → hostname-deployment-7d4f978855-\w{5}$/,
    );
  });

  test('fails when a client reaches two pods (affinity ignored)', async () => {
    const run = fakeContext(affinityCluster((_c, i) => (i % 2 === 0 ? PZ : V7)));
    const outcome = await sessionAffinity.run(run.ctx, defaults);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(
      new RegExp(
        `^affinity: client labkit-affinity-\\w{6} reached 2 pods \\(${PZ}: 5, ${V7}: 5\\): sessionAffinity ClientIP not in effect$`,
      ),
    );
  });

  test('fails when the service lacks sessionAffinity ClientIP (seed stage 3 service)', async () => {
    const run = fakeContext(seedCluster());
    const outcome = await sessionAffinity.run(run.ctx, defaults);
    expect(outcome).toMatchObject({
      ok: false,
      message:
        'service hostname-service-clusterip has sessionAffinity None, expected ClientIP: apply the manifest with sessionAffinity: ClientIP',
    });
    expect(run.calls.some((c) => c[0] === 'run')).toBe(false);
  });

  test('fails when requests go unanswered', async () => {
    const outcome = await sessionAffinity.run(
      fakeContext(affinityCluster((_c, i) => (i === 3 ? NO_ANSWER : V7))).ctx,
      defaults,
    );
    expect(outcome.message).toMatch(
      /^affinity: 1 of 10 requests from labkit-affinity-\w{6} got no answer \(e\.g\. \(nothing\)\)$/,
    );
  });

  test('three clients and more requests per client', async () => {
    const run = fakeContext(affinityCluster(sticky()));
    const outcome = await sessionAffinity.run(
      run.ctx,
      sessionAffinity.params.parse({ clients: 3, requestsPerClient: 20 }),
    );
    expect(outcome.ok).toBe(true);
    expect(run.urls.size).toBe(3);
  });

  test('clients are reused across attempts in the same context (same client IPs), cleanup registered once each', async () => {
    const run = fakeContext(affinityCluster(sticky()));
    await sessionAffinity.run(run.ctx, defaults);
    await sessionAffinity.run(run.ctx, defaults);
    expect(run.calls.filter((c) => c[0] === 'run')).toHaveLength(2);
    expect(run.cleanups).toHaveLength(2);
  });
});
