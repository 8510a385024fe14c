// Object metadata as the apiserver fills it in: uid, resourceVersion (one counter per cluster, like
// etcd's revision), creationTimestamp in RFC 3339 without fractions.
import { newUid } from './names.ts';
import type { ClusterState } from './state.ts';
import type { ObjectMeta } from './types.ts';

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function nextResourceVersion(state: ClusterState): string {
  state.resourceVersion += 1;
  return String(state.resourceVersion);
}

export function newMeta(
  state: ClusterState,
  now: number,
  fields: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  },
): ObjectMeta {
  const meta: ObjectMeta = {
    name: fields.name,
    ...(fields.namespace !== undefined ? { namespace: fields.namespace } : {}),
    uid: newUid(),
    resourceVersion: nextResourceVersion(state),
    creationTimestamp: isoSeconds(now),
  };
  if (fields.labels && Object.keys(fields.labels).length > 0) meta.labels = { ...fields.labels };
  if (fields.annotations && Object.keys(fields.annotations).length > 0)
    meta.annotations = { ...fields.annotations };
  return meta;
}

export function touch(state: ClusterState, meta: ObjectMeta): void {
  meta.resourceVersion = nextResourceVersion(state);
}

export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
