// The control plane's controllers: reconcile(state, now) (run by the apiserver's LiveCluster every tick and
// after every write) brings the cluster to the current wall-clock time in the order the controllers would
// have acted: garbage collection, the namespace controller, Deployment → ReplicaSet → Pods, pod status from
// the kubelet's reports (src/sim/kubelet; Terminating → gone), then Endpoints/EndpointSlices from readiness.
import { recordPodCreated, recordPodDeleted } from './controller-events.ts';
import { expireEvents } from './events.ts';
import { matchesSelector } from './meta.ts';
import { randomSuffix } from './names.ts';
import { syncNamespaces } from './namespaces.ts';
import { createPod, markPodDeleted } from './pods.ts';
import { syncDeployment, syncDeploymentStatus } from './rollout.ts';
import { syncEndpoints } from './endpoints.ts';
import { syncLoadBalancers } from './load-balancer.ts';
import { applyPodReport } from './pod-status.ts';
import { hasFault, type ClusterState, type StoredPod } from './state.ts';
import type { Deployment, Pod, ReplicaSet } from './types.ts';

function ownerRef(obj: Deployment | ReplicaSet): NonNullable<Pod['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: 'apps/v1',
    kind: obj.kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(meta: { ownerReferences?: { uid: string }[] | undefined }, uid: string): boolean {
  return meta.ownerReferences?.some((r) => r.uid === uid) ?? false;
}

function goneAt(pod: StoredPod): number | undefined {
  return pod.runtime.goneAt;
}

function collectGarbage(state: ClusterState, now: number): void {
  const deploymentUids = new Set(state.deployments.map((d) => d.metadata.uid));
  state.replicaSets = state.replicaSets.filter((rs) => {
    const owner = rs.metadata.ownerReferences?.[0];
    return !owner || deploymentUids.has(owner.uid);
  });
  const rsUids = new Set(state.replicaSets.map((r) => r.metadata.uid));
  for (const pod of state.pods) {
    const owner = pod.object.metadata.ownerReferences?.[0];
    if (owner && owner.kind === 'ReplicaSet' && !rsUids.has(owner.uid)) markPodDeleted(state, pod, now);
  }
  state.pods = state.pods.filter((p) => {
    const at = goneAt(p);
    return at === undefined || at > now;
  });
}

function activePods(state: ClusterState, rs: ReplicaSet): StoredPod[] {
  return state.pods.filter(
    (p) =>
      ownedBy(p.object.metadata, rs.metadata.uid) &&
      !p.object.metadata.deletionTimestamp &&
      !['Succeeded', 'Failed'].includes(p.object.status.phase),
  );
}

function syncReplicaSet(state: ClusterState, rs: ReplicaSet, now: number): void {
  const pods = activePods(state, rs);
  const namespace = rs.metadata.namespace ?? 'default';
  for (let i = pods.length; i < rs.spec.replicas; i++) {
    // no-replacement: the ReplicaSet creates its first pods, never a replacement.
    if (
      hasFault(state, 'no-replacement') &&
      (state.replicaSetCreated[rs.metadata.uid] ?? 0) >= rs.spec.replicas
    )
      break;
    const name = `${rs.metadata.name}-${randomSuffix()}`;
    createPod(
      state,
      {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace,
        labels: rs.spec.template.metadata?.labels ?? {},
        spec: rs.spec.template.spec,
        ownerReferences: [ownerRef(rs)],
      },
      now,
    );
    recordPodCreated(state, rs, name, now);
    state.replicaSetCreated[rs.metadata.uid] = (state.replicaSetCreated[rs.metadata.uid] ?? 0) + 1;
  }
  // Scale down: not-ready pods first, then the youngest (the controller's getPodsToDelete ranking).
  const extra = pods.length - rs.spec.replicas;
  const ready = (p: StoredPod): number => (isReady(p) ? 1 : 0);
  if (extra > 0)
    [...pods]
      .sort((a, b) => ready(a) - ready(b) || b.runtime.createdAt - a.runtime.createdAt)
      .slice(0, extra)
      .forEach((p) => {
        markPodDeleted(state, p, now);
        recordPodDeleted(state, rs, p.object.metadata.name, now);
      });
}

/** pod-never-ready: the oldest active pod of each ReplicaSet fails its readiness forever. */
function neverReadyVictims(state: ClusterState): Set<string> {
  const victims = new Set<string>();
  if (!hasFault(state, 'pod-never-ready')) return victims;
  for (const rs of state.replicaSets) {
    if (rs.metadata.namespace === 'kube-system') continue;
    const oldest = [...activePods(state, rs)].sort(
      (a, b) =>
        a.runtime.createdAt - b.runtime.createdAt ||
        a.object.metadata.name.localeCompare(b.object.metadata.name),
    )[0];
    if (oldest) victims.add(oldest.object.metadata.uid);
  }
  return victims;
}

function refreshPodStatus(pod: StoredPod, neverReady: boolean): void {
  const { object, runtime } = pod;
  if (object.metadata.deletionTimestamp) return;
  // The kubelet's report is the truth (src/sim/kubelet writes it, model/pod-status.ts reads it).
  applyPodReport(object, runtime.kubelet, runtime.ip, neverReady);
}

const isReady = (p: StoredPod): boolean =>
  p.object.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function syncStatuses(state: ClusterState, now: number): void {
  for (const rs of state.replicaSets) {
    const pods = activePods(state, rs);
    const ready = pods.filter(isReady).length;
    rs.status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
  }
  for (const d of state.deployments) syncDeploymentStatus(state, d, now);
}

/** Brings the cluster to wall-clock time `now`. Idempotent: calling it twice at the same time changes nothing. */
export function reconcile(state: ClusterState, now: number): void {
  collectGarbage(state, now);
  syncNamespaces(state, now);
  for (const deployment of state.deployments) syncDeployment(state, deployment, now);
  for (const rs of state.replicaSets) syncReplicaSet(state, rs, now);
  const victims = neverReadyVictims(state);
  for (const pod of state.pods) refreshPodStatus(pod, victims.has(pod.object.metadata.uid));
  syncStatuses(state, now);
  syncEndpoints(state, now);
  expireEvents(state, now);
  syncLoadBalancers(state);
  expireAffinity(state, now);
}

function expireAffinity(state: ClusterState, now: number): void {
  // Entries far past any timeout are dropped so the state file does not grow without bound.
  for (const [key, entry] of Object.entries(state.net.affinity))
    if (now - entry.lastUsed > 86_400_000) Reflect.deleteProperty(state.net.affinity, key);
}

export { matchesSelector };
