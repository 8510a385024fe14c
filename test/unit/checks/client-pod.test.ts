import { describe, expect, test } from 'vitest';
import { ensureClientPod, ensureClientPods } from '../../../src/checks/client-pod.ts';
import { CheckFailed } from '../../../src/checks/define-check.ts';
import { fakeContext, seedCluster } from './fake-cluster.ts';

const request = { namespace: 'default', image: 'docker.io/busybox', purpose: 'spread' };

describe('client pods', () => {
  test('created with kubectl run --restart=Never -- sleep 3600, waited for, cleanup registered', async () => {
    const run = fakeContext(seedCluster());
    const pod = await ensureClientPod(run.ctx, request);
    expect(pod.name).toMatch(/^labkit-spread-[0-9a-f]{6}$/);
    expect(pod.ip).toMatch(/^172\.16\.158\.\d+$/);
    expect(run.calls[0]).toEqual([
      'run',
      pod.name,
      '--image=docker.io/busybox',
      '--restart=Never',
      '-n',
      'default',
      '--labels=labkit.io/role=check-client',
      '--',
      'sleep',
      '3600',
    ]);
    expect(run.calls[1]).toEqual([
      'wait',
      '--for=condition=Ready',
      `pod/${pod.name}`,
      '-n',
      'default',
      '--timeout=5s', // the context's commandTimeout
      '-o',
      'json',
    ]);
    expect(run.cleanups.map((c) => c.label)).toEqual([`delete client pod ${pod.name}`]);
    await run.cleanups[0]?.undo();
    expect(run.calls.at(-1)).toEqual([
      'delete',
      'pod',
      pod.name,
      '-n',
      'default',
      '--ignore-not-found',
      '--wait=false',
    ]);
  });

  test('names are unique', async () => {
    const pods = await ensureClientPods(fakeContext(seedCluster()).ctx, { ...request, count: 3 });
    expect(new Set(pods.map((p) => p.name)).size).toBe(3);
  });

  test('a client that never becomes Ready fails after the context timeout, naming the image', async () => {
    const run = fakeContext(seedCluster({ clientsBecomeReady: false }), 'default', 1_200);
    const error = await ensureClientPod(run.ctx, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailed);
    expect((error as CheckFailed).outcome.message).toMatch(
      /^client pod labkit-spread-[0-9a-f]{6} not Ready after 1 s \(phase Pending\): can the nodes pull docker\.io\/busybox\? see kubectl describe pod labkit-spread-[0-9a-f]{6} -n default$/,
    );
    expect(run.cleanups).toHaveLength(1); // removed even though it never became Ready
  });

  test('a pod reused in the same context is re-created when it disappeared', async () => {
    const run = fakeContext(seedCluster());
    const first = await ensureClientPod(run.ctx, request);
    expect((await ensureClientPod(run.ctx, request)).name).toBe(first.name);
    await run.cleanups[0]?.undo();
    const second = await ensureClientPod(run.ctx, request);
    expect(second.name).not.toBe(first.name);
  });

  test('a different context never reuses another context’s pod', async () => {
    const cluster = seedCluster();
    const a = await ensureClientPod(fakeContext(cluster).ctx, request);
    const b = await ensureClientPod(fakeContext(cluster).ctx, request);
    expect(a.name).not.toBe(b.name);
  });
});
