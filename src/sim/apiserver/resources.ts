// The API resources the simulated kube-apiserver serves: group/version, names as discovery reports them
// (kube-apiserver 1.33's short names, verbs and categories), and where each lives in the cluster state.
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
  /** Objects of this resource the state stores (watch events come from their changes). */
  readonly stored: boolean;
  list(state: ClusterState): ApiObject[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

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
    stored: true,
    list: (s) => s.namespaces,
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
