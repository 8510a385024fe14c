import { expect, test } from 'vitest';
import { podsAnswerByIp } from '../../../src/checks/pods-answer-by-ip.ts';
import { fakeContext, NO_ANSWER, SEED_PODS, seedCluster, type FakeCluster } from './fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const params = podsAnswerByIp.params.parse({ minPods: 3 });
/** Answers by IP order of the fixture: 8h2m9 (.158.8), pzkgc (.87.234), v7zlc (.158.7). */
const byOrder =
  (names: readonly string[]): FakeCluster['respond'] =>
  (_c, i) =>
    names[i] ?? NO_ANSWER;

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'pods-answer-by-ip', () => {
  test('passes on the seed: each pod IP greets with its own name, all in one exec', async () => {
    const run = fakeContext(seedCluster({ respond: byOrder(SEED_PODS) }));
    const outcome = await podsAnswerByIp.run(run.ctx, params);
    expect(outcome).toMatchObject({ ok: true, message: '3 pods answered by IP with their own names' });
    expect(outcome.actual).toBe(
      '172.16.158.8 → hostname-deployment-7d4f978855-8h2m9, 172.16.87.234 → hostname-deployment-7d4f978855-pzkgc, 172.16.158.7 → hostname-deployment-7d4f978855-v7zlc',
    );
    const execs = run.calls.filter((c) => c[0] === 'exec');
    expect(execs).toHaveLength(1);
    const [client] = [...run.urls.keys()];
    expect(run.urls.get(client ?? '')).toEqual([
      'http://172.16.158.8:80/',
      'http://172.16.87.234:80/',
      'http://172.16.158.7:80/',
    ]);
    expect(run.cleanups.map((c) => c.label)).toEqual([`delete client pod ${client}`]);
  });

  test('fails naming the pod that never answered', async () => {
    const run = fakeContext(seedCluster({ respond: byOrder([SEED_PODS[0], NO_ANSWER, SEED_PODS[2]]) }));
    const outcome = await podsAnswerByIp.run(run.ctx, params);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(
      /^pod hostname-deployment-7d4f978855-pzkgc \(172\.16\.87\.234\) never answered on port 80: is it Ready\? is it serving on 80\? \(labkit-client-[0-9a-f]{6} saw: nothing\)$/,
    );
  });

  test('fails when an IP answers with another pod name', async () => {
    const run = fakeContext(seedCluster({ respond: byOrder([SEED_PODS[0], SEED_PODS[2], SEED_PODS[2]]) }));
    const outcome = await podsAnswerByIp.run(run.ctx, params);
    expect(outcome.message).toBe(
      '172.16.87.234 answered as hostname-deployment-7d4f978855-v7zlc, not hostname-deployment-7d4f978855-pzkgc: is the pod IP reused, or is something else listening?',
    );
  });

  test('fails when a page is not the echo-hostname page (nginx)', async () => {
    const run = fakeContext(
      seedCluster({ respond: byOrder([SEED_PODS[0], 'page:<h1>Welcome to nginx!</h1>', SEED_PODS[2]]) }),
    );
    const outcome = await podsAnswerByIp.run(run.ctx, params);
    expect(outcome.message).toMatch(
      /^pod hostname-deployment-7d4f978855-pzkgc \(172\.16\.87\.234\) never answered on port 80: .*saw: nothing\)$/,
    );
  });

  test('fails (retryable) when fewer Ready pods than minPods, naming the not-Ready ones', async () => {
    const cluster = seedCluster({ respond: byOrder(SEED_PODS) });
    cluster.pods[1].status.conditions = [{ type: 'Ready', status: 'False' }];
    const run = fakeContext(cluster);
    const outcome = await podsAnswerByIp.run(run.ctx, params);
    expect(outcome).toMatchObject({
      ok: false,
      message:
        '2 Ready pod(s) match app=webserver in namespace default, expected at least 3 (not Ready: hostname-deployment-7d4f978855-pzkgc): is the Deployment applied and its image pulled?',
      actual: '2 Ready of 3',
    });
    expect(outcome.retryable).toBeUndefined();
    expect(run.calls.some((c) => c[0] === 'run')).toBe(false);
  });

  test('a terminating pod is not expected to answer', async () => {
    const cluster = seedCluster({ respond: byOrder([SEED_PODS[0], SEED_PODS[2]]) });
    cluster.pods[1].metadata.deletionTimestamp = '2023-06-12T06:00:00Z';
    const outcome = await podsAnswerByIp.run(fakeContext(cluster).ctx, podsAnswerByIp.params.parse({}));
    expect(outcome).toMatchObject({ ok: true, message: '2 pods answered by IP with their own names' });
  });
});
