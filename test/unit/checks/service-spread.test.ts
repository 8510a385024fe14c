import { expect, test } from 'vitest';
import { serviceSpread } from '../../../src/checks/service-spread.ts';
import { chiSquaredPValue, chiSquaredStatistic } from '../../../src/checks/spread-stats.ts';
import { fakeContext, NO_ANSWER, SEED_PODS, seedCluster } from './fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const [A, B, C] = SEED_PODS;
const W54 = 'hostname-deployment-7d4f978855-w54fq';
const defaults = serviceSpread.params.parse({});
/** Request i is answered by pattern[i % pattern.length]. */
const cycle = (pattern: readonly string[]) => (_c: string, i: number) =>
  pattern[i % pattern.length] ?? NO_ANSWER;

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'service-spread', () => {
  test('passes: 60 requests to ClusterIP:8080 in ONE exec, 20/20/20, the spread observed as data', async () => {
    const run = fakeContext(seedCluster());
    const outcome = await serviceSpread.run(run.ctx, defaults);
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toBe('3 pods shared 60 requests evenly (chi-squared p = 1.00)');
    expect(outcome.observed).toMatchObject({
      requests: 60,
      endpoints: [A, B, C],
      spread: {
        what: '60 requests by ClusterIP:8080 over 3 pods',
        counts: { [A]: 20, [B]: 20, [C]: 20 },
        chiSquared: 0,
        pValue: 1,
      },
      unanswered: 0,
    });
    // Counts only: drawing them is the reporters' job (src/report/histogram.ts).
    expect(Object.keys(outcome)).not.toContain('details');
    expect(run.calls.filter((c) => c[0] === 'exec')).toHaveLength(1);
    const urls = [...run.urls.values()][0] ?? [];
    expect(urls).toHaveLength(60);
    expect(new Set(urls)).toEqual(new Set(['http://172.17.17.106:8080/']));
  });

  test('passes on an uneven but plausible random spread (the seed 5/6/4 shape, scaled)', async () => {
    const pattern = [
      ...Array<string>(22).fill(A),
      ...Array<string>(20).fill(B),
      ...Array<string>(18).fill(C),
    ];
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster({ respond: cycle(pattern) })).ctx,
      defaults,
    );
    expect(outcome.ok).toBe(true);
  });

  test('a second traffic check in the same context reuses the Ready client pod (one pod start per step)', async () => {
    const run = fakeContext(seedCluster());
    await serviceSpread.run(run.ctx, defaults);
    await serviceSpread.run(run.ctx, serviceSpread.params.parse({ via: 'dns' }));
    expect(run.calls.filter((c) => c[0] === 'run')).toHaveLength(1);
    expect(run.calls.filter((c) => c[0] === 'exec')).toHaveLength(2);
    expect(run.cleanups).toHaveLength(1);
  });

  test('via dns uses the short service name', async () => {
    const run = fakeContext(seedCluster());
    const outcome = await serviceSpread.run(run.ctx, serviceSpread.params.parse({ via: 'dns' }));
    expect([...run.urls.values()][0]?.[0]).toBe('http://hostname-service-clusterip:8080/');
    expect(outcome.observed?.spread?.what).toBe('60 requests by hostname-service-clusterip:8080 over 3 pods');
  });

  test('raises too few requests to the coverage minimum (10 → 28 for 3 endpoints)', async () => {
    const run = fakeContext(seedCluster());
    const outcome = await serviceSpread.run(run.ctx, serviceSpread.params.parse({ requests: 10 }));
    expect(outcome.observed?.['requests']).toBe(28);
    expect([...run.urls.values()][0]).toHaveLength(28);
  });

  test('fails on a skewed 80/10/10 spread with the chi-squared p-value', async () => {
    const pattern = [...Array<string>(8).fill(A), B, C];
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster({ respond: cycle(pattern) })).ctx,
      defaults,
    );
    const p = chiSquaredPValue(chiSquaredStatistic([48, 6, 6]), 2);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe(
      `answers are not spread evenly (${A}: 48, ${B}: 6, ${C}: 6; chi-squared p = ${p.toExponential(1)} < 0.00003): is one pod favoured, e.g. by sessionAffinity or a second selector match?`,
    );
    expect(outcome.observed?.spread).toEqual({
      what: '60 requests by ClusterIP:8080 over 3 pods',
      counts: { [A]: 48, [B]: 6, [C]: 6 },
      chiSquared: chiSquaredStatistic([48, 6, 6]),
      pValue: p,
    });
  });

  test('fails when a ready endpoint never answers', async () => {
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster({ respond: cycle([A, C]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      `pod ${B} never answered in 60 requests to http://172.17.17.106:8080/: is it Ready? is it an endpoint?`,
    );
    expect(outcome.actual).toBe(`${A}: 30, ${B}: 0, ${C}: 30`);
  });

  test('fails when a pod that is not an endpoint answers', async () => {
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster({ respond: cycle([A, B, C, W54]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      `answers from ${W54}, which is not a ready endpoint of service hostname-service-clusterip (endpoints: ${A}, ${B}, ${C}): stale kube-proxy rules?`,
    );
    // The stranger is drawn after the endpoints; no fit is claimed for a spread that was never judged.
    expect(outcome.observed?.spread).toEqual({
      what: '60 requests by ClusterIP:8080 over 3 pods',
      counts: { [A]: 15, [B]: 15, [C]: 15, [W54]: 15 },
    });
  });

  test('fails when requests get no answer', async () => {
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster({ respond: cycle([A, B, C, NO_ANSWER, A, B, C, C, A, B]) })).ctx,
      defaults,
    );
    expect(outcome.message).toBe(
      '6 of 60 requests to http://172.17.17.106:8080/ got no answer (e.g. (nothing)): are all endpoints serving on their target port?',
    );
  });

  test('mode rr: passes on strict rotation, fails on the seed random sequence', async () => {
    const rr = serviceSpread.params.parse({ mode: 'rr' });
    const ok = await serviceSpread.run(fakeContext(seedCluster()).ctx, rr);
    expect(ok).toMatchObject({ ok: true, message: '3 pods answered in strict rotation over 60 requests' });
    expect(ok.observed?.spread).toEqual({
      what: '60 requests by ClusterIP:8080 over 3 pods',
      counts: { [A]: 20, [B]: 20, [C]: 20 },
    });
    // Seed stage 4 #7 order (pzkgc w54fq w54fq ...), with w54fq standing in for 8h2m9.
    const seedOrder = [B, A, A, C, A, C, B, B, A, B, B, A, C, C, A];
    const bad = await serviceSpread.run(fakeContext(seedCluster({ respond: cycle(seedOrder) })).ctx, rr);
    expect(bad.message).toBe(
      `request 3 answered by ${A}, expected an endpoint not yet seen in this rotation: not round robin (is kube-proxy in IPVS mode with scheduler rr?)`,
    );
  });

  test('service missing: retryable failure naming it', async () => {
    const outcome = await serviceSpread.run(fakeContext(seedCluster({ services: {} })).ctx, defaults);
    expect(outcome).toMatchObject({
      ok: false,
      message: 'service hostname-service-clusterip not found in namespace default',
      retryable: true,
    });
  });

  test('no ready endpoints: names the selector', async () => {
    const cluster = seedCluster();
    cluster.endpoints['hostname-service-clusterip'].subsets = [];
    const outcome = await serviceSpread.run(fakeContext(cluster).ctx, defaults);
    expect(outcome.message).toBe(
      'service hostname-service-clusterip has no ready endpoints: do Ready pods match its selector app=webserver?',
    );
  });

  test('wrong port', async () => {
    const outcome = await serviceSpread.run(
      fakeContext(seedCluster()).ctx,
      serviceSpread.params.parse({ port: 80 }),
    );
    expect(outcome.message).toBe(
      "service hostname-service-clusterip has no port 80 (ports: 8080): check the manifest or the check's port",
    );
  });
});
