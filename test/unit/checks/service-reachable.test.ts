import { expect, test } from 'vitest';
import { serviceReachable } from '../../../src/checks/service-reachable.ts';
import { fakeContext, NO_ANSWER, SEED_PODS, seedCluster } from './fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const [A, B, C] = SEED_PODS;
const answers = (list: readonly string[]) => (_c: string, i: number) => list[i] ?? NO_ANSWER;
const defaults = serviceReachable.params.parse({});

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'service-reachable', () => {
  test('passes: ClusterIP, short, name.namespace and FQDN each answered by an endpoint, in one exec', async () => {
    const run = fakeContext(seedCluster({ respond: answers([A, B, C, A]) }));
    const outcome = await serviceReachable.run(run.ctx, defaults);
    expect(outcome).toMatchObject({
      ok: true,
      message: 'service hostname-service-clusterip answered by cluster-ip, short, namespaced, fqdn',
    });
    expect(run.calls.filter((c) => c[0] === 'exec')).toHaveLength(1);
    expect([...run.urls.values()][0]).toEqual([
      'http://172.17.17.106:8080/',
      'http://hostname-service-clusterip:8080/',
      'http://hostname-service-clusterip.default:8080/',
      'http://hostname-service-clusterip.default.svc.cluster.local:8080/',
    ]);
  });

  test('uses the namespace parameter and cluster domain in the names', async () => {
    const cluster = seedCluster({ respond: answers([A, B]) });
    const run = fakeContext(cluster, 'lab1');
    const outcome = await serviceReachable.run(
      run.ctx,
      serviceReachable.params.parse({ names: ['namespaced', 'fqdn'], clusterDomain: 'lab.example' }),
    );
    expect(outcome.ok).toBe(true);
    expect([...run.urls.values()][0]).toEqual([
      'http://hostname-service-clusterip.lab1:8080/',
      'http://hostname-service-clusterip.lab1.svc.lab.example:8080/',
    ]);
  });

  test('fails on a DNS name that does not answer, pointing at CoreDNS', async () => {
    const outcome = await serviceReachable.run(
      fakeContext(seedCluster({ respond: answers([A, NO_ANSWER, C, A]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      'http://hostname-service-clusterip:8080/ did not answer: does hostname-service-clusterip resolve? (nslookup hostname-service-clusterip from a pod; is CoreDNS Ready?)',
    );
    expect(outcome.actual).toContain('http://hostname-service-clusterip:8080/ → no answer');
  });

  test('fails on a ClusterIP that does not answer, pointing at kube-proxy', async () => {
    const outcome = await serviceReachable.run(
      fakeContext(seedCluster({ respond: answers([NO_ANSWER, A, B, C]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      'http://172.17.17.106:8080/ did not answer: ClusterIP not routed (kube-proxy running? targetPort right?)',
    );
  });

  test('fails when a non-endpoint answers', async () => {
    const outcome = await serviceReachable.run(
      fakeContext(seedCluster({ respond: answers([A, 'some-other-pod', B, C]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      'http://hostname-service-clusterip:8080/ was answered by some-other-pod, which is not an endpoint of service hostname-service-clusterip',
    );
  });

  test('a headless service is a non-retryable failure', async () => {
    const cluster = seedCluster();
    cluster.services['hostname-service-clusterip'].spec.clusterIP = 'None';
    const outcome = await serviceReachable.run(fakeContext(cluster).ctx, defaults);
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      message:
        "service hostname-service-clusterip has no ClusterIP (headless): the tutorial's service is type ClusterIP",
    });
  });

  test('unreadable kubectl JSON names the command and field', async () => {
    const cluster = seedCluster();
    cluster.services['hostname-service-clusterip'].spec.ports = [{ name: 'web-port', port: '8080' }];
    const outcome = await serviceReachable.run(fakeContext(cluster).ctx, defaults);
    expect(outcome.message).toBe(
      'kubectl get service hostname-service-clusterip -n default -o json: unexpected service hostname-service-clusterip JSON at spec.ports.0.port: Invalid input: expected number, received string',
    );
  });
});
