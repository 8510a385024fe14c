// The kubelet's pod workers against an in-memory runtime, in fake time: sandbox then containers after the
// pull delay, Running/Ready, exits per restartPolicy with the CrashLoopBackOff back-off, unknown images,
// deletion (SIGTERM, SIGKILL after the grace, then the object goes), pods removed at once, adoption after
// a restart of the apiserver.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { bootstrapCluster } from '../../../../src/sim/model/bootstrap.ts';
import { reconcile } from '../../../../src/sim/model/controller.ts';
import { markPodDeleted } from '../../../../src/sim/model/pods.ts';
import { createPod, findPod, podDisplayStatus } from '../../../../src/sim/model/pods.ts';
import type { PodSpec } from '../../../../src/sim/model/types.ts';
import type { ClusterState } from '../../../../src/sim/model/state.ts';
import { Kubelet, sandboxId, type KubeletHost } from '../../../../src/sim/kubelet/kubelet.ts';
import { FakeRuntime } from '../../../helpers/fake-runtime.ts';
import { SEED_NODES } from '../helpers.ts';

const NODES = SEED_NODES.map((n) => ({
  name: n.name,
  netns: `t-${n.name}`,
  address: n.internalIP,
  interface: 'eth1',
}));

class Host implements KubeletHost {
  kubelet: Kubelet | undefined;
  constructor(readonly state: ClusterState) {}
  now(): number {
    return Date.now();
  }
  mutate(change: (state: ClusterState, now: number) => void): void {
    change(this.state, this.now());
    this.settle();
  }
  settle(): void {
    reconcile(this.state, this.now());
    this.kubelet?.sync();
  }
}

async function setup(
  runtime = new FakeRuntime(),
  state?: ClusterState,
): Promise<{ host: Host; runtime: FakeRuntime; kubelet: Kubelet }> {
  const host = new Host(
    state ??
      bootstrapCluster(SEED_NODES, {
        now: Date.now(),
        config: { imagePullDelayMs: 500, terminationDelayMs: 2000 },
      }),
  );
  const kubelet = new Kubelet(host, { cluster: 1, nodes: NODES, runtime });
  host.kubelet = kubelet;
  await kubelet.start();
  return { host, runtime, kubelet };
}

function run(host: Host, name: string, spec: Record<string, unknown>): string {
  let uid = '';
  host.mutate((state, now) => {
    const spec0 = { nodeName: 'worker-node01', ...spec } as unknown as PodSpec;
    uid = createPod(state, { name, namespace: 'default', spec: spec0 }, now).object.metadata.uid;
  });
  return uid;
}

const status = (host: Host, name: string): string => {
  const pod = findPod(host.state, 'default', name);
  return pod ? podDisplayStatus(pod.object) : 'gone';
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('kubelet', () => {
  test('sandbox with the pod IP at once, the container after the pull delay: Running and Ready', async () => {
    const { host, runtime } = await setup();
    const uid = run(host, 'web', {
      containers: [{ name: 'web', image: 'docker.io/alicek106/rr-test:echo-hostname' }],
    });
    await vi.advanceTimersByTimeAsync(10);
    const id = sandboxId(1, uid);
    expect(id).toMatch(/^lkpod-c1-[0-9a-f]{12}$/);
    const sandbox = runtime.sandboxes.get(id);
    expect(sandbox?.nodeNetns).toBe('t-worker-node01');
    expect(sandbox?.files['/etc/resolv.conf']).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.17.0.10\noptions ndots:5\n',
    );
    expect(status(host, 'web')).toBe('ContainerCreating');
    expect(findPod(host.state, 'default', 'web')?.object.status.podIP).toBe(sandbox?.ip);
    await vi.advanceTimersByTimeAsync(500);
    const pod = findPod(host.state, 'default', 'web')?.object;
    expect(pod?.status.phase).toBe('Running');
    expect(pod?.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(runtime.live(id)[0]?.config.argv).toEqual(['/echo-hostname']);
  });

  test('command/args with the entrypoint; env captured at creation', async () => {
    const { host, runtime } = await setup();
    const uid = run(host, 'box', {
      containers: [
        {
          name: 'box',
          image: 'docker.io/busybox',
          args: ['sh', '-c', 'echo hi'],
          env: [{ name: 'A', value: 'b' }],
        },
      ],
    });
    await vi.advanceTimersByTimeAsync(600);
    const c = runtime.live(sandboxId(1, uid))[0];
    expect(c?.config.argv).toEqual(['sh', '-c', 'echo hi']);
    expect(c?.config.env).toContainEqual(['A', 'b']);
    expect(c?.config.env).toContainEqual(['HOSTNAME', 'box']);
    expect(c?.config.env.some(([k]) => k === 'KUBERNETES_SERVICE_HOST')).toBe(true);
  });

  test('restartPolicy Never: exit 0 is Completed/Succeeded, exit 1 Error/Failed; no restart', async () => {
    const { host, runtime } = await setup();
    const a = run(host, 'ok', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'docker.io/busybox' }],
    });
    const b = run(host, 'bad', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'docker.io/busybox' }],
    });
    await vi.advanceTimersByTimeAsync(600);
    runtime.live(sandboxId(1, a))[0]?.exit(0);
    runtime.live(sandboxId(1, b))[0]?.exit(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(status(host, 'ok')).toBe('Completed');
    expect(findPod(host.state, 'default', 'ok')?.object.status.phase).toBe('Succeeded');
    expect(status(host, 'bad')).toBe('Error');
    expect(findPod(host.state, 'default', 'bad')?.object.status.phase).toBe('Failed');
    const mine = [sandboxId(1, a), sandboxId(1, b)];
    expect(runtime.containers.filter((c) => mine.includes(c.sandboxId))).toHaveLength(2);
  });

  test('restartPolicy Always: immediate first restart, then CrashLoopBackOff 10 s, 20 s', async () => {
    const { host, runtime } = await setup();
    const uid = run(host, 'crash', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    const id = sandboxId(1, uid);
    await vi.advanceTimersByTimeAsync(600);
    runtime.live(id)[0]?.exit(1);
    await vi.advanceTimersByTimeAsync(600); // restart 1 after the pull delay only
    expect(runtime.live(id)).toHaveLength(1);
    const cs = () => findPod(host.state, 'default', 'crash')?.object.status.containerStatuses?.[0];
    expect(cs()?.restartCount).toBe(1);
    expect(cs()?.['lastState']).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } });
    runtime.live(id)[0]?.exit(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(status(host, 'crash')).toBe('CrashLoopBackOff');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(runtime.live(id)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(runtime.live(id)).toHaveLength(1);
    expect(cs()?.restartCount).toBe(2);
    runtime.live(id)[0]?.exit(2);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(runtime.live(id)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_600);
    expect(runtime.live(id)).toHaveLength(1);
  });

  test('OnFailure restarts a failure but not a success', async () => {
    const { host, runtime } = await setup();
    const uid = run(host, 'job', {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'c', image: 'docker.io/busybox' }],
    });
    const id = sandboxId(1, uid);
    await vi.advanceTimersByTimeAsync(600);
    runtime.live(id)[0]?.exit(3);
    await vi.advanceTimersByTimeAsync(600);
    runtime.live(id)[0]?.exit(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(status(host, 'job')).toBe('Completed');
    expect(findPod(host.state, 'default', 'job')?.object.status.phase).toBe('Succeeded');
  });

  test('an unknown image: ErrImagePull, then ImagePullBackOff; Pending, no container', async () => {
    const { host, runtime } = await setup();
    run(host, 'nope', { containers: [{ name: 'c', image: 'docker.io/library/nginx:nope' }] });
    await vi.advanceTimersByTimeAsync(100);
    expect(status(host, 'nope')).toBe('ErrImagePull');
    await vi.advanceTimersByTimeAsync(600);
    expect(status(host, 'nope')).toBe('ImagePullBackOff');
    expect(findPod(host.state, 'default', 'nope')?.object.status.phase).toBe('Pending');
    expect(runtime.containers.filter((c) => c.config.name === 'c')).toHaveLength(0);
  });

  test('deletion: SIGTERM, SIGKILL after the grace period, the sandbox goes, then the pod object', async () => {
    const runtime = new FakeRuntime();
    runtime.honoursSigterm = false;
    const { host } = await setup(runtime);
    const uid = run(host, 'stubborn', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    const id = sandboxId(1, uid);
    await vi.advanceTimersByTimeAsync(600);
    host.mutate((state, now) => {
      const pod = findPod(state, 'default', 'stubborn');
      if (pod) markPodDeleted(state, pod, now, 1500);
    });
    await vi.advanceTimersByTimeAsync(100);
    const c = runtime.containers.find((x) => x.sandboxId === id);
    expect(c?.signals).toEqual(['SIGTERM']);
    expect(status(host, 'stubborn')).toBe('Terminating');
    await vi.advanceTimersByTimeAsync(1500);
    expect(c?.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(runtime.removed).toContain(id);
    host.settle();
    expect(status(host, 'stubborn')).toBe('gone');
  });

  test('a pod that stops on SIGTERM goes at once; a pod removed without grace is killed', async () => {
    const { host, runtime } = await setup();
    const a = run(host, 'polite', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    const b = run(host, 'forced', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    await vi.advanceTimersByTimeAsync(600);
    host.mutate((state, now) => {
      const pod = findPod(state, 'default', 'polite');
      if (pod) markPodDeleted(state, pod, now, 30_000);
      state.pods = state.pods.filter((p) => p.object.metadata.name !== 'forced');
    });
    await vi.advanceTimersByTimeAsync(50);
    host.settle();
    expect(status(host, 'polite')).toBe('gone');
    expect(runtime.removed).toEqual(expect.arrayContaining([sandboxId(1, a), sandboxId(1, b)]));
  });

  test('after a restart the kubelet adopts running containers and removes sandboxes of vanished pods', async () => {
    const first = await setup();
    const uid = run(first.host, 'web', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    run(first.host, 'old', { containers: [{ name: 'c', image: 'docker.io/busybox' }] });
    await vi.advanceTimersByTimeAsync(600);
    await first.kubelet.stop();
    const state = structuredClone(first.host.state);
    state.pods = state.pods.filter((p) => p.object.metadata.name !== 'old');
    const second = await setup(first.runtime, state);
    await vi.advanceTimersByTimeAsync(600);
    const id = sandboxId(1, uid);
    expect(first.runtime.containers.filter((c) => c.sandboxId === id)).toHaveLength(1);
    expect(status(second.host, 'web')).toBe('Running');
    expect([...first.runtime.sandboxes.keys()].filter((k) => k === id)).toHaveLength(1);
    expect(first.runtime.removed.length).toBeGreaterThanOrEqual(1);
    first.runtime.live(id)[0]?.exit(1);
    await vi.advanceTimersByTimeAsync(700);
    expect(
      second.host.state.pods.find((p) => p.object.metadata.uid === uid)?.object.status.containerStatuses?.[0]
        ?.restartCount,
    ).toBe(1);
  });

  test('events where the kubelet acts: a pull, `already present` on the same node (IfNotPresent), Always pulls again, a failed pull backs off, Killing', async () => {
    const { host } = await setup();
    const eventsOf = (name: string): string[] =>
      host.state.events
        .filter((e) => e.involvedObject.name === name && e.source?.component === 'kubelet')
        .map((e) => `${e.type} ${e.reason}: ${e.message}`);
    const web = { containers: [{ name: 'web', image: 'docker.io/alicek106/rr-test:echo-hostname' }] };
    run(host, 'a', web);
    await vi.advanceTimersByTimeAsync(600);
    run(host, 'b', web);
    run(host, 'c', { containers: [{ name: 'box', image: 'docker.io/busybox' }] });
    run(host, 'bad', { containers: [{ name: 'x', image: 'docker.io/library/no-such-image:1' }] });
    await vi.advanceTimersByTimeAsync(1200);
    expect(eventsOf('a')).toEqual([
      'Normal Pulling: Pulling image "docker.io/alicek106/rr-test:echo-hostname"',
      'Normal Pulled: Successfully pulled image "docker.io/alicek106/rr-test:echo-hostname" in 500ms (500ms including waiting). Image size: ' +
        /Image size: (\d+) bytes/.exec(eventsOf('a')[1] ?? '')?.[1] +
        ' bytes.',
      'Normal Created: Created container: web',
      'Normal Started: Started container web',
    ]);
    expect(eventsOf('b')).toEqual([
      'Normal Pulled: Container image "docker.io/alicek106/rr-test:echo-hostname" already present on machine',
      'Normal Created: Created container: web',
      'Normal Started: Started container web',
    ]);
    expect(host.state.nodeImages['worker-node01']).toContain('docker.io/alicek106/rr-test:echo-hostname');
    expect(findPod(host.state, 'default', 'c')?.object.spec.containers[0]?.imagePullPolicy).toBe('Always');
    expect(eventsOf('c')[0]).toBe('Normal Pulling: Pulling image "docker.io/busybox"');
    expect(eventsOf('bad')).toEqual([
      'Normal Pulling: Pulling image "docker.io/library/no-such-image:1"',
      expect.stringMatching(/^Warning Failed: Failed to pull image "docker.io\/library\/no-such-image:1": /),
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "docker.io/library/no-such-image:1"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    host.mutate((state, now) => {
      const pod = findPod(state, 'default', 'b');
      if (pod) markPodDeleted(state, pod, now, 1000);
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(eventsOf('b').at(-1)).toBe('Normal Killing: Stopping container web');
  });
});
