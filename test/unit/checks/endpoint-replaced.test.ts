import { expect, test } from 'vitest';
import { endpointReplaced } from '../../../src/checks/endpoint-replaced.ts';
import { fakeContext, NO_ANSWER, seedCluster, type FakeCluster, type Json } from './fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const DELETED = 'hostname-deployment-7d4f978855-8h2m9';
const NEW = 'hostname-deployment-7d4f978855-w54fq';
const PZ = 'hostname-deployment-7d4f978855-pzkgc';
const V7 = 'hostname-deployment-7d4f978855-v7zlc';
const cycle = (pattern: readonly string[]) => (_c: string, i: number) =>
  pattern[i % pattern.length] ?? NO_ANSWER;

/** Seed stage 4 after `kubectl delete pod ...8h2m9`: w54fq (172.16.87.235) replaced it. */
function afterDeletion(overrides: Partial<FakeCluster> = {}): FakeCluster {
  const cluster = seedCluster({ respond: cycle([NEW, V7, PZ]), ...overrides });
  const eps = cluster.endpoints['hostname-service-clusterip'];
  const addresses: Json[] = eps.subsets[0].addresses.filter((a: Json) => a.targetRef.name !== DELETED);
  addresses.push({
    ip: '172.16.87.235',
    nodeName: 'worker-node01',
    targetRef: { kind: 'Pod', name: NEW, namespace: 'default' },
  });
  eps.subsets[0].addresses = addresses;
  return cluster;
}
const params = endpointReplaced.params.parse({});

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'endpoint-replaced', () => {
  test('passes: the deleted pod (from lab memory) never answers, the replacement and the others do', async () => {
    const run = fakeContext(afterDeletion());
    run.memory.set('deletedPod', `${DELETED}\n`);
    const outcome = await endpointReplaced.run(run.ctx, params);
    expect(outcome).toMatchObject({
      ok: true,
      message: `${DELETED} is gone and never answered; 3 endpoints (${PZ}, ${V7}, ${NEW}) answer`,
    });
    expect(outcome.observed).toMatchObject({
      deletedPod: DELETED,
      requests: 60,
      // Endpoints in their (sorted) order; no chi-squared: this check does not judge uniformity.
      spread: {
        what: '60 requests by hostname-service-clusterip:8080 over 3 pods',
        counts: { [PZ]: 20, [V7]: 20, [NEW]: 20 },
      },
    });
    expect(Object.keys(outcome.observed?.spread?.counts ?? {})).toEqual([PZ, V7, NEW]);
    expect(outcome.observed?.spread).not.toHaveProperty('pValue');
    expect([...run.urls.values()][0]?.[0]).toBe('http://hostname-service-clusterip:8080/');
  });

  test('the deletedPod parameter wins over memory', async () => {
    const run = fakeContext(afterDeletion());
    run.memory.set('deletedPod', 'something-else');
    const outcome = await endpointReplaced.run(
      run.ctx,
      endpointReplaced.params.parse({ deletedPod: DELETED }),
    );
    expect(outcome.observed?.['deletedPod']).toBe(DELETED);
  });

  test('fails (retryable) while the deleted pod is still an endpoint', async () => {
    const run = fakeContext(seedCluster());
    const outcome = await endpointReplaced.run(
      run.ctx,
      endpointReplaced.params.parse({ deletedPod: DELETED }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      message: `deleted pod ${DELETED} is still an endpoint of service hostname-service-clusterip: was it deleted? is it still terminating?`,
    });
    expect(outcome.retryable).not.toBe(false);
  });

  test('fails when the deleted name still answers (stale rules)', async () => {
    const run = fakeContext(afterDeletion({ respond: cycle([NEW, V7, PZ, DELETED]) }));
    const outcome = await endpointReplaced.run(
      run.ctx,
      endpointReplaced.params.parse({ deletedPod: DELETED }),
    );
    expect(outcome.message).toBe(
      `deleted pod ${DELETED} still answered 15 of 60 requests: stale kube-proxy rules?`,
    );
    // The deleted pod is no endpoint: its answers are drawn after the endpoints'.
    expect(outcome.observed?.spread?.counts).toEqual({ [PZ]: 15, [V7]: 15, [NEW]: 15, [DELETED]: 15 });
    expect(Object.keys(outcome.observed?.spread?.counts ?? {}).at(-1)).toBe(DELETED);
  });

  test('fails when the replacement never answers', async () => {
    const run = fakeContext(afterDeletion({ respond: cycle([V7, PZ]) }));
    const outcome = await endpointReplaced.run(
      run.ctx,
      endpointReplaced.params.parse({ deletedPod: DELETED }),
    );
    expect(outcome.message).toBe(`pod ${NEW} never answered in 60 requests: is it Ready? is it an endpoint?`);
  });

  test('fails while the Deployment is short of ready pods', async () => {
    const cluster = afterDeletion();
    cluster.deployments['hostname-deployment'].status.readyReplicas = 2;
    const outcome = await endpointReplaced.run(fakeContext(cluster).ctx, params);
    expect(outcome.message).toBe(
      'deployment hostname-deployment has 2/3 ready pods: the replacement is not Ready yet',
    );
  });

  test('unknown deleted name: checks the Deployment and endpoints, and says the name was unknown', async () => {
    const outcome = await endpointReplaced.run(fakeContext(afterDeletion()).ctx, params);
    expect(outcome).toMatchObject({
      ok: true,
      message:
        'deleted pod name unknown (no deletedPod parameter, lab memory deletedPod empty): checked that hostname-deployment has 3/3 ready pods and only its 3 endpoints answer',
    });
  });

  test('unknown deleted name still fails when a non-endpoint answers', async () => {
    const outcome = await endpointReplaced.run(
      fakeContext(afterDeletion({ respond: cycle([NEW, V7, PZ, DELETED]) })).ctx,
      params,
    );
    expect(outcome.message).toBe(
      `answers from ${DELETED}, not an endpoint of service hostname-service-clusterip: stale kube-proxy rules?`,
    );
  });

  test('missing Deployment', async () => {
    const outcome = await endpointReplaced.run(fakeContext(seedCluster({ deployments: {} })).ctx, params);
    expect(outcome.message).toBe('deployment hostname-deployment not found in namespace default');
  });
});
