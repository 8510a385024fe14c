// The API resources the simulated kube-apiserver serves: group/version, names as discovery reports them
// (kube-apiserver 1.33's short names, verbs and categories), and where each lives in the cluster state.
import { createHash } from 'node:crypto';
import { toEventsV1 } from '../model/events.ts';
import type { ClusterState } from '../model/state.ts';
import type { ApiObject } from '../model/types.ts';

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  readonly categories: readonly string[];
  /** Objects of this resource the state stores (false: computed, e.g. namespaces; or always empty). */
  readonly stored: boolean;
  list(state: ClusterState): ApiObject[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** A namespace's uid, distinct per cluster as on a real one (graders tell clusters apart by kube-system's):
 *  UUID-shaped, derived from the first node's random uid so it stays the same for the cluster's life. */
function namespaceUid(state: ClusterState, name: string): string {
  const hex = createHash('sha256')
    .update(`${state.nodes[0]?.metadata.uid ?? ''}/${name}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function namespaceObjects(state: ClusterState): ApiObject[] {
  return NAMESPACES.map(
    (name) =>
      ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          uid: namespaceUid(state, name),
          resourceVersion: '1',
          creationTimestamp: state.nodes[0]?.metadata.creationTimestamp ?? new Date(0).toISOString(),
          labels: { 'kubernetes.io/metadata.name': name },
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      }) as unknown as ApiObject,
  );
}

const inGroup =
  (group: string, version: string) =>
  (r: Omit<ApiResource, 'group' | 'version'>): ApiResource => ({ group, version, ...r });
const core = inGroup('', 'v1');
const apps = inGroup('apps', 'v1');

export const RESOURCES: readonly ApiResource[] = [
  core({
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    verbs: ALL_VERBS,
    categories: ['all'],
    stored: true,
    list: (s) => s.pods.map((p) => p.object),
  }),
  core({
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
    categories: ['all'],
    stored: true,
    list: (s) => s.services,
  }),
  core({
    plural: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    verbs: ALL_VERBS,
    categories: [],
    stored: true,
    list: (s) => s.endpoints,
  }),
  core({
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    verbs: ALL_VERBS,
    categories: [],
    stored: true,
    list: (s) => s.nodes,
  }),
  core({
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    categories: [],
    stored: true,
    list: (s) => s.secrets,
  }),
  core({
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    categories: [],
    stored: false,
    list: namespaceObjects,
  }),
  core({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    verbs: ALL_VERBS,
    categories: [],
    stored: true,
    list: (s) => s.events,
  }),
  apps({
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: ALL_VERBS,
    categories: ['all'],
    stored: true,
    list: (s) => s.deployments,
  }),
  apps({
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    verbs: ALL_VERBS,
    categories: ['all'],
    stored: true,
    list: (s) => s.replicaSets,
  }),
  // The same stored objects in the events.k8s.io/v1 shape (regarding, note, deprecated* fields).
  inGroup(
    'events.k8s.io',
    'v1',
  )({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    verbs: ALL_VERBS,
    categories: [],
    stored: true,
    list: (s) => s.events.map((e) => toEventsV1(e) as unknown as ApiObject),
  }),
  inGroup(
    'discovery.k8s.io',
    'v1',
  )({
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
    categories: [],
    stored: true,
    list: (s) => s.endpointSlices,
  }),
];

export const groupVersion = (r: { group: string; version: string }): string =>
  r.group ? `${r.group}/${r.version}` : r.version;

export function findResource(group: string, version: string, plural: string): ApiResource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceForKind(kind: string): ApiResource | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}
