// The events the control plane's controllers record, with their upstream wording: kube-scheduler's
// Scheduled (events.k8s.io recorder, action Binding) and the ReplicaSet controller's SuccessfulCreate /
// SuccessfulDelete. The Deployment controller's ScalingReplicaSet is recorded in rollout.ts.
import { recordEvent } from './events.ts';
import type { ClusterState } from './state.ts';
import type { Pod, ReplicaSet } from './types.ts';

function schedulerInstance(state: ClusterState): string {
  const master = state.nodes.find(
    (n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}),
  );
  return `default-scheduler-${master?.metadata.name ?? 'master-node'}`;
}

/** kube-scheduler after binding: `Successfully assigned default/x to worker-node01`. */
export function recordScheduled(state: ClusterState, pod: Pod, now: number): void {
  const node = pod.spec.nodeName ?? '';
  recordEvent(
    state,
    pod,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} to ${node}`,
    { component: 'default-scheduler' },
    now,
    { action: 'Binding', instance: schedulerInstance(state) },
  );
}

/** kube-scheduler when no node fits: `0/3 nodes are available: ...` (action Scheduling). */
export function recordFailedScheduling(state: ClusterState, pod: Pod, message: string, now: number): void {
  recordEvent(state, pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' }, now, {
    action: 'Scheduling',
    instance: schedulerInstance(state),
  });
}

const RS_SOURCE = { component: 'replicaset-controller' };

export function recordPodCreated(state: ClusterState, rs: ReplicaSet, podName: string, now: number): void {
  recordEvent(state, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, RS_SOURCE, now);
}

export function recordPodDeleted(state: ClusterState, rs: ReplicaSet, podName: string, now: number): void {
  recordEvent(state, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`, RS_SOURCE, now);
}
