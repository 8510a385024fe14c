// Namespaces as kube-apiserver and the namespace controller keep them: kubeadm's four from the start; a new
// one gets the `kubernetes` finalizer in spec.finalizers and the kubernetes.io/metadata.name label; DELETE
// makes it Terminating; the controller (pkg/controller/namespace/deletion) then deletes every namespaced
// object in it (pods with their grace period), reports what remains in status.conditions, and once nothing
// is left removes the finalizer, so the namespace goes.
import { isoSeconds, newMeta, touch } from './meta.ts';
import { deletePod } from './pods.ts';
import type { ClusterState } from './state.ts';
import {
  FINALIZER,
  findNamespace,
  NAME_LABEL,
  SYSTEM_NAMESPACES,
  systemNamespace,
} from './namespace-objects.ts';
import type { Namespace, NamespaceCondition } from './types.ts';

/** namespace strategy PrepareForCreate: the finalizer and the name label are the server's, whatever is sent. */
export function createNamespace(
  state: ClusterState,
  name: string,
  fields: { labels?: Record<string, string>; annotations?: Record<string, string> },
  now: number,
): Namespace {
  const ns: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: newMeta(state, now, {
      name,
      labels: { ...fields.labels, [NAME_LABEL]: name },
      ...(fields.annotations ? { annotations: fields.annotations } : {}),
    }),
    spec: { finalizers: [FINALIZER] },
    status: { phase: 'Active' },
  };
  state.namespaces.push(ns);
  return ns;
}

/** Labels and annotations of an update; the name label stays (the apiserver sets it on every write). */
export function setNamespaceLabels(ns: Namespace, labels: Record<string, string> | undefined): void {
  ns.metadata.labels = { ...labels, [NAME_LABEL]: ns.metadata.name };
}

/** The namespace registry's first DELETE: deletionTimestamp and phase Terminating; the controller does the rest. */
export function markNamespaceDeleted(state: ClusterState, ns: Namespace, now: number): void {
  if (ns.metadata.deletionTimestamp) return;
  ns.metadata.deletionTimestamp = isoSeconds(now);
  ns.status.phase = 'Terminating';
  touch(state, ns.metadata);
}

/** The namespaced objects the state holds in `ns`, by resource as the controller's condition names them. */
function remaining(state: ClusterState, ns: string): [string, number][] {
  const inNs = (m: { namespace?: string | undefined }): boolean => (m.namespace ?? 'default') === ns;
  const counts: [string, number][] = [
    ['deployments.apps', state.deployments.filter((o) => inNs(o.metadata)).length],
    ['endpoints.', state.endpoints.filter((o) => inNs(o.metadata)).length],
    ['endpointslices.discovery.k8s.io', state.endpointSlices.filter((o) => inNs(o.metadata)).length],
    ['events.', state.events.filter((o) => inNs(o.metadata)).length],
    ['pods.', state.pods.filter((p) => inNs(p.object.metadata)).length],
    ['replicasets.apps', state.replicaSets.filter((o) => inNs(o.metadata)).length],
    ['secrets.', state.secrets.filter((o) => inNs(o.metadata)).length],
    ['services.', state.services.filter((o) => inNs(o.metadata)).length],
  ];
  return counts.filter(([, n]) => n > 0);
}

/** deleteAllContent: a DELETE of every object in the namespace; pods go Terminating with their grace. */
function deleteContent(state: ClusterState, ns: string, now: number): void {
  const keep = (m: { namespace?: string | undefined }): boolean => (m.namespace ?? 'default') !== ns;
  state.deployments = state.deployments.filter((o) => keep(o.metadata));
  state.replicaSets = state.replicaSets.filter((o) => keep(o.metadata));
  state.services = state.services.filter((o) => keep(o.metadata));
  state.endpoints = state.endpoints.filter((o) => keep(o.metadata));
  state.endpointSlices = state.endpointSlices.filter((o) => keep(o.metadata));
  state.secrets = state.secrets.filter((o) => keep(o.metadata));
  state.events = state.events.filter((o) => keep(o.metadata));
  for (const key of Object.keys(state.net.affinity))
    if (key.startsWith(`${ns}/`)) Reflect.deleteProperty(state.net.affinity, key);
  for (const pod of state.pods.filter((p) => !keep(p.object.metadata)))
    if (!pod.object.metadata.deletionTimestamp) deletePod(state, pod, now);
}

const OK: Readonly<Record<string, { reason: string; message: string }>> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** namespaceConditionUpdater: every condition type, True only for the content that remains. */
function updateConditions(ns: Namespace, left: readonly [string, number][], now: number): void {
  const before = JSON.stringify(ns.status.conditions ?? []);
  const conditions: NamespaceCondition[] = Object.entries(OK).map(([type, ok]) => {
    const failing =
      type === 'NamespaceContentRemaining' && left.length > 0
        ? {
            status: 'True',
            reason: 'SomeResourcesRemain',
            message: `Some resources are remaining: ${left
              .map(([resource, n]) => `${resource} has ${n} resource instances`)
              .sort()
              .join(', ')}`,
          }
        : undefined;
    const next = failing ?? { status: 'False', ...ok };
    const old = ns.status.conditions?.find((c) => c.type === type);
    const transition =
      old && old.status === next.status ? (old.lastTransitionTime ?? isoSeconds(now)) : isoSeconds(now);
    return { type, ...next, lastTransitionTime: transition };
  });
  if (JSON.stringify(conditions) !== before) ns.status.conditions = conditions;
}

/** The namespace controller, and kube-apiserver's system namespaces controller (a missing system namespace
 *  is made again). */
export function syncNamespaces(state: ClusterState, now: number): void {
  for (const ns of state.namespaces.filter((n) => n.metadata.deletionTimestamp)) {
    const name = ns.metadata.name;
    deleteContent(state, name, now);
    const left = remaining(state, name);
    updateConditions(ns, left, now);
    if (left.length > 0) continue;
    // finalizeNamespace: without the kubernetes finalizer (and no other), the apiserver deletes it.
    ns.spec.finalizers = (ns.spec.finalizers ?? []).filter((f) => f !== FINALIZER);
    const metaFinalizers = (ns.metadata['finalizers'] as string[] | undefined) ?? [];
    if (ns.spec.finalizers.length === 0 && metaFinalizers.length === 0)
      state.namespaces = state.namespaces.filter((n) => n !== ns);
  }
  for (const name of SYSTEM_NAMESPACES)
    if (!findNamespace(state, name))
      state.namespaces.push(
        systemNamespace(state.nodes, name, newMeta(state, now, { name, labels: { [NAME_LABEL]: name } })),
      );
}
