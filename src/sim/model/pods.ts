// Creating pods (scheduling, IP, environment) and reading their state the way kubectl shows it.
import { randomInt } from 'node:crypto';
import { recordScheduled } from './controller-events.ts';
import { allocatePodIp } from './ipam.ts';
import { isoSeconds, newMeta, touch } from './meta.ts';
import { serviceEnvForNewPod } from './service-env.ts';
import { hasFault, type ClusterState, type StoredPod } from './state.ts';
import type { Pod, PodSpec } from './types.ts';

const BASE_ENV: [string, string][] = [
  ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
];

function tolerates(spec: PodSpec, taintKey: string): boolean {
  const tolerations = (spec as { tolerations?: { key?: string; operator?: string }[] }).tolerations ?? [];
  return tolerations.some((t) => t.key === taintKey || (t.operator === 'Exists' && t.key === undefined));
}

/** kube-scheduler's outcome for these labs: the worker with the fewest pods (ties at random); pods that
 *  tolerate the control-plane taint go to master-node. */
export function scheduleNode(
  state: ClusterState,
  spec: PodSpec,
  random: (n: number) => number = randomInt,
): string {
  if (spec.nodeName) return spec.nodeName;
  const master = state.nodes.find(
    (n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}),
  );
  if (master && tolerates(spec, 'node-role.kubernetes.io/control-plane')) return master.metadata.name;
  const workers = state.nodes.filter((n) => n !== master);
  const candidates = workers.length > 0 ? workers : state.nodes;
  const load = (name: string): number =>
    state.pods.filter((p) => p.object.spec.nodeName === name && !p.object.metadata.deletionTimestamp).length;
  const least = Math.min(...candidates.map((n) => load(n.metadata.name)));
  const best = candidates.filter((n) => load(n.metadata.name) === least);
  const chosen = best[random(best.length)];
  if (!chosen) throw new Error('simulated cluster has no nodes');
  return chosen.metadata.name;
}

export interface NewPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec: PodSpec;
  readonly ownerReferences?: Pod['metadata']['ownerReferences'];
  readonly generateName?: string;
}

/** The API's default imagePullPolicy (pkg/apis/core/v1/defaults.go SetDefaults_Container): Always when the
 *  image's tag is `latest` (no tag and no digest means latest), else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const colon = image.lastIndexOf(':');
  const tag = colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function createPod(state: ClusterState, input: NewPod, now: number): StoredPod {
  const nodeName = scheduleNode(state, input.spec);
  const spec: PodSpec = {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    enableServiceLinks: true,
    ...structuredClone(input.spec),
    nodeName,
  };
  spec.containers = spec.containers.map((c) => ({
    imagePullPolicy: defaultPullPolicy(c.image),
    terminationMessagePolicy: 'File',
    ...c,
  }));
  const meta = newMeta(state, now, input);
  if (input.generateName) meta.generateName = input.generateName;
  if (input.ownerReferences) meta.ownerReferences = structuredClone(input.ownerReferences);
  const hostIP = state.nodes
    .find((n) => n.metadata.name === nodeName)
    ?.status.addresses.find((a) => a.type === 'InternalIP')?.address;
  const links =
    spec.enableServiceLinks === false || hasFault(state, 'env-missing')
      ? []
      : serviceEnvForNewPod(state, input.namespace);
  const container = spec.containers[0];
  const ownEnv: [string, string][] = (container?.env ?? []).map((e) => [e.name, e.value ?? '']);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec,
    status: {
      phase: 'Pending',
      ...(hostIP ? { hostIP } : {}),
      startTime: meta.creationTimestamp,
      qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: meta.creationTimestamp }],
    },
  };
  const stored: StoredPod = {
    object: pod,
    runtime: {
      ip: allocatePodIp(state, nodeName),
      createdAt: now,
      env: [...BASE_ENV, ['HOSTNAME', input.name], ...links, ...ownEnv],
    },
  };
  state.pods.push(stored);
  if (!input.spec.nodeName) recordScheduled(state, pod, now);
  return stored;
}

/** Marks a pod Terminating; it disappears terminationDelayMs (or its grace) later. */
export function markPodDeleted(state: ClusterState, pod: StoredPod, now: number, graceMs?: number): void {
  if (pod.object.metadata.deletionTimestamp) return;
  const grace = graceMs ?? state.config.terminationDelayMs;
  pod.object.metadata.deletionTimestamp = isoSeconds(now + grace);
  pod.object.metadata.deletionGracePeriodSeconds = Math.round(grace / 1000);
  pod.runtime.goneAt = now + grace;
  touch(state, pod.object.metadata);
}

/** A DELETE of a pod (the API's, or the namespace controller's): kube-apiserver removes at once a pod that
 *  never got a node or whose containers have all ended (pod strategy CheckGracefulDelete), e.g. `kubectl run
 *  --rm` after its command exited, and one deleted with grace 0. Otherwise it goes Terminating: the kubelet sends SIGTERM, SIGKILL
 *  after min(terminationDelayMs, the grace period: `graceSeconds`, else the pod's own), and the pod is gone
 *  once its containers have stopped. Returns whether the pod is gone. */
export function deletePod(state: ClusterState, pod: StoredPod, now: number, graceSeconds?: number): boolean {
  const phase = pod.object.status.phase;
  const finished = phase === 'Succeeded' || phase === 'Failed' || !pod.object.spec.nodeName;
  const grace = finished ? 0 : graceSeconds;
  if (grace === 0) {
    state.pods = state.pods.filter((p) => p !== pod);
    return true;
  }
  markPodDeleted(
    state,
    pod,
    now,
    Math.min(state.config.terminationDelayMs, (grace ?? Number.POSITIVE_INFINITY) * 1000),
  );
  return false;
}

export function findPod(state: ClusterState, namespace: string, name: string): StoredPod | undefined {
  return state.pods.find((p) => p.object.metadata.namespace === namespace && p.object.metadata.name === name);
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** kubectl's STATUS column (printers.go printPod, reduced to the states the simulator produces). */
export function podDisplayStatus(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const cs = pod.status.containerStatuses?.[0];
  const waiting = cs?.state['waiting'] as { reason?: string } | undefined;
  const terminated = cs?.state['terminated'] as { reason?: string } | undefined;
  if (waiting?.reason) return waiting.reason;
  if (terminated?.reason) return terminated.reason;
  return pod.status.phase;
}

export function podRestarts(pod: Pod): number {
  return pod.status.containerStatuses?.reduce((sum, c) => sum + c.restartCount, 0) ?? 0;
}
