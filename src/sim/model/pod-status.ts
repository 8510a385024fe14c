// What the kubelet reports about a pod (src/sim/kubelet writes it into the pod's runtime record) and how
// the pod's API status follows from it: phase, conditions and containerStatuses as the real kubelet sets
// them (pkg/kubelet/kubelet_pods.go generateAPIPodStatus, reduced to what the simulator produces).
// Without a report the pod is still being created (Pending, ContainerCreating).
import { isoSeconds } from './meta.ts';
import type { ContainerReport, PodReport, Terminated } from './pod-report.ts';
import type { Pod } from './types.ts';

type Condition = { type: string; status: string; lastTransitionTime: string };

function terminatedStatus(t: Terminated): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.signal !== undefined ? { signal: t.signal } : {}),
    startedAt: isoSeconds(t.startedAt),
    finishedAt: isoSeconds(t.finishedAt),
  };
}

function containerState(report: ContainerReport): Record<string, Record<string, unknown>> {
  const s = report.state;
  if (s.kind === 'waiting')
    return { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } };
  if (s.kind === 'running') return { running: { startedAt: isoSeconds(s.startedAt) } };
  return { terminated: terminatedStatus(s) };
}

/** Sets `pod.status` from the kubelet's report (`neverReady`: the pod-never-ready fault's readiness). */
export function applyPodReport(
  pod: Pod,
  report: PodReport | undefined,
  ip: string,
  neverReady: boolean,
): void {
  const created = pod.metadata.creationTimestamp;
  const cond = (type: string, ok: boolean, at: string = created): Condition => ({
    type,
    status: ok ? 'True' : 'False',
    lastTransitionTime: at,
  });
  const base = (name: string): { name: string; image: string; imageID: string } => ({
    name,
    image: pod.spec.containers.find((c) => c.name === name)?.image ?? '',
    imageID: '',
  });
  if (!report) {
    pod.status.phase = 'Pending';
    pod.status.containerStatuses = pod.spec.containers.map((c) => ({
      ...base(c.name),
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
    }));
    pod.status.conditions = [
      cond('Initialized', true),
      cond('Ready', false),
      cond('ContainersReady', false),
      cond('PodScheduled', true),
    ];
    return;
  }
  pod.status.podIP = ip;
  pod.status.podIPs = [{ ip }];
  const running = report.containers.filter((c) => c.state.kind === 'running');
  const allRunning = running.length === pod.spec.containers.length && running.length > 0;
  const ready = allRunning && !neverReady;
  const readyAt = Math.max(
    ...running.map((c) => (c.state.kind === 'running' ? c.state.startedAt : 0)),
    report.sandboxAt,
  );
  pod.status.containerStatuses = report.containers.map((c) => ({
    ...base(c.name),
    ...(c.imageID ? { imageID: c.imageID } : {}),
    ...(c.containerID ? { containerID: c.containerID } : {}),
    ready: c.state.kind === 'running' && !neverReady,
    restartCount: c.restartCount,
    started: c.state.kind === 'running',
    state: containerState(c),
    ...(c.lastTerminated ? { lastState: { terminated: terminatedStatus(c.lastTerminated) } } : {}),
  }));
  pod.status.phase =
    report.finished ??
    (report.containers.some((c) => c.state.kind !== 'waiting' || c.restartCount > 0) ? 'Running' : 'Pending');
  const at = ready ? isoSeconds(readyAt) : created;
  pod.status.conditions = [
    cond('Initialized', true),
    cond('Ready', ready, at),
    cond('ContainersReady', ready, at),
    cond('PodScheduled', true),
  ];
}
