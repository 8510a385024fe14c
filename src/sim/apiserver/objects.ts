// Create / update / delete of stored objects on the cluster state, with kube-apiserver's semantics:
// strict field validation, AlreadyExists, immutable fields, graceful pod deletion and the garbage
// collector's propagation policies. The kind-specific defaulting lives in src/sim/model/api.ts.
import { ApiError, applyObject, deleteObject } from '../model/api.ts';
import { touch } from '../model/meta.ts';
import { findNamespace, IMMORTAL_NAMESPACES, namespaceAdmission } from '../model/namespace-objects.ts';
import { markNamespaceDeleted } from '../model/namespaces.ts';
import { deletePod, findPod } from '../model/pods.ts';
import type { ClusterState } from '../model/state.ts';
import type { ApiObject, ObjectMeta } from '../model/types.ts';
import type { ApiResource } from './resources.ts';
import { StatusError, alreadyExists, invalid, notFound, qualified } from './status.ts';
import { invalidMessage, strictDecodeError } from './validation/validate.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Kinds the write path stores (src/sim/model/api.ts applyObject). */
const WRITABLE = new Set(['Pod', 'Service', 'Deployment', 'Secret', 'Namespace']);

export function findObject(
  state: ClusterState,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
): ApiObject | undefined {
  return resource
    .list(state)
    .find(
      (o) =>
        o.metadata.name === name &&
        (!resource.namespaced || (o.metadata.namespace ?? 'default') === namespace),
    );
}

export function getObject(
  state: ClusterState,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
): ApiObject {
  const found = findObject(state, resource, namespace, name);
  if (!found) throw notFound(resource, name);
  return found;
}

function fromModel<T>(resource: ApiResource, name: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.reason === 'Invalid') throw invalid(resource, name, error.message);
    if (error.reason === 'AlreadyExists') throw alreadyExists(resource, name);
    if (error.reason === 'NotFound') throw notFound(resource, name);
    throw new StatusError(error.reason, error.message);
  }
}

/** Strict decoding (fieldValidation=Strict, kubectl's default) of a body. */
function decodeBody(resource: ApiResource, body: Obj, strict: boolean): void {
  if (!strict) return;
  const decode = strictDecodeError(resource.kind, body);
  if (decode) throw new StatusError('BadRequest', decode);
}

/** The strategy's field validation of a decoded body. */
function validateFields(resource: ApiResource, body: Obj): void {
  const problem = invalidMessage(resource.kind, body);
  if (problem) throw invalid(resource, String(obj(body['metadata'])['name'] ?? ''), problem);
}

/** Strict decoding and field validation of a body. */
export function validateBody(resource: ApiResource, body: Obj, strict: boolean): void {
  decodeBody(resource, body, strict);
  validateFields(resource, body);
}

/** NamespaceLifecycle admission of a create (it runs between decoding and validation): the namespace must
 *  exist and not be Terminating. */
function admitCreate(state: ClusterState, resource: ApiResource, namespace: string, name: string): void {
  const refusal = namespaceAdmission(state, namespace);
  if (refusal === 'missing')
    throw new StatusError('NotFound', `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: 'namespaces',
    });
  if (refusal === 'terminating')
    throw new StatusError(
      'Forbidden',
      `${qualified(resource)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name,
        ...(resource.group ? { group: resource.group } : {}),
        kind: resource.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
}

export function createObject(
  state: ClusterState,
  resource: ApiResource,
  namespace: string | undefined,
  body: Obj,
  now: number,
  strict: boolean,
): ApiObject {
  const meta = obj(body['metadata']);
  if (!meta['name'] && typeof meta['generateName'] === 'string')
    meta['name'] = `${meta['generateName']}${Math.random().toString(36).slice(2, 7)}`;
  const name = String(meta['name'] ?? '');
  if (body['kind'] !== undefined && body['kind'] !== resource.kind)
    throw new StatusError(
      'BadRequest',
      `the API version in the data (${String(body['apiVersion'])}) does not match the expected API version`,
    );
  if (!name)
    throw invalid(
      resource,
      '',
      `The ${resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
    );
  if (resource.namespaced && meta['namespace'] !== undefined && meta['namespace'] !== namespace)
    throw new StatusError(
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  if (!WRITABLE.has(resource.kind))
    throw new StatusError('MethodNotAllowed', `the simulated cluster does not create ${resource.plural}`);
  decodeBody(resource, body, strict);
  if (resource.namespaced) admitCreate(state, resource, namespace ?? 'default', name);
  validateFields(resource, body);
  if (findObject(state, resource, namespace, name)) throw alreadyExists(resource, name);
  const ns = namespace ?? 'default';
  fromModel(resource, name, () => applyObject(state, resource.kind, body, ns, now, undefined));
  return getObject(state, resource, namespace, name);
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function setMeta(state: ClusterState, meta: ObjectMeta, next: Obj): void {
  const labels = obj(next['labels']);
  const annotations = obj(next['annotations']);
  if (Object.keys(labels).length) meta.labels = labels as Record<string, string>;
  else Reflect.deleteProperty(meta, 'labels');
  if (Object.keys(annotations).length) meta.annotations = annotations as Record<string, string>;
  else Reflect.deleteProperty(meta, 'annotations');
  touch(state, meta);
}

/** Replaces an object with `next` (PUT, or PATCH after the patch is applied). */
export function updateObject(
  state: ClusterState,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  next: Obj,
  now: number,
  strict: boolean,
): ApiObject {
  const current = getObject(state, resource, namespace, name);
  if (sameJson(current, next)) return current;
  validateBody(resource, next, strict);
  const nextMeta = obj(next['metadata']);
  if (nextMeta['name'] !== undefined && nextMeta['name'] !== name)
    throw new StatusError(
      'BadRequest',
      `the name of the object (${String(nextMeta['name'])}) does not match the name on the URL (${name})`,
    );
  const ns = namespace ?? 'default';
  switch (resource.kind) {
    case 'Deployment':
    case 'Service':
    case 'Secret':
    case 'Namespace':
      fromModel(resource, name, () => applyObject(state, resource.kind, next, ns, now, undefined));
      break;
    case 'Pod': {
      const pod = findPod(state, ns, name);
      if (!pod) throw notFound(resource, name);
      const spec = obj(next['spec']);
      const containers = Array.isArray(spec['containers']) ? (spec['containers'] as Obj[]) : [];
      const images = containers.map((c) => c['image']);
      const blank = (s: unknown): unknown => ({
        ...obj(s),
        containers: (Array.isArray(obj(s)['containers']) ? (obj(s)['containers'] as Obj[]) : []).map((c) => ({
          ...c,
          image: '',
        })),
      });
      if (!sameJson(blank(spec), blank(pod.object.spec)))
        throw invalid(
          resource,
          name,
          `The Pod "${name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)`,
        );
      pod.object.spec.containers.forEach((c, i) => {
        const image = images[i];
        if (typeof image === 'string') c.image = image;
      });
      setMeta(state, pod.object.metadata, nextMeta);
      break;
    }
    case 'ReplicaSet': {
      const rs = current as Extract<ApiObject, { kind: 'ReplicaSet' }>;
      const replicas = obj(next['spec'])['replicas'];
      if (typeof replicas === 'number') rs.spec.replicas = replicas;
      setMeta(state, rs.metadata, nextMeta);
      break;
    }
    default:
      setMeta(state, current.metadata, nextMeta);
  }
  return getObject(state, resource, namespace, name);
}

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

/** Deletes an object; pods go Terminating for their grace period first (the object is returned then). */
export function removeObject(
  state: ClusterState,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  now: number,
  options: { graceSeconds?: number; propagation?: Propagation },
): { object: ApiObject; gone: boolean } {
  const object = structuredClone(getObject(state, resource, namespace, name));
  const ns = namespace ?? 'default';
  if (resource.kind === 'Namespace')
    return { object: deleteNamespace(state, resource, name, now), gone: false };
  if (resource.kind === 'Pod') {
    const pod = findPod(state, ns, name);
    if (!pod) throw notFound(resource, name);
    if (deletePod(state, pod, now, options.graceSeconds)) return { object, gone: true };
    return { object: structuredClone(pod.object), gone: false };
  }
  if (options.propagation === 'Orphan')
    for (const child of [...state.replicaSets, ...state.pods.map((p) => p.object)])
      if (child.metadata.ownerReferences?.some((r) => r.uid === object.metadata.uid)) {
        child.metadata.ownerReferences = child.metadata.ownerReferences.filter(
          (r) => r.uid !== object.metadata.uid,
        );
        touch(state, child.metadata);
      }
  if (resource.kind === 'Node') state.nodes = state.nodes.filter((n) => n.metadata.name !== name);
  else if (!deleteObject(state, resource.kind, ns, name, now)) throw notFound(resource, name);
  return { object, gone: true };
}

/** The namespace registry's DELETE: Terminating at the first (the namespace controller empties it, then it
 *  goes), Conflict while it is being emptied; kubeadm's immortal three are refused by NamespaceLifecycle. */
function deleteNamespace(state: ClusterState, resource: ApiResource, name: string, now: number): ApiObject {
  const ns = findNamespace(state, name);
  if (!ns) throw notFound(resource, name);
  if (IMMORTAL_NAMESPACES.has(name))
    throw new StatusError(
      'Forbidden',
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      {
        name,
        kind: 'namespaces',
      },
    );
  if (ns.metadata.deletionTimestamp)
    throw new StatusError(
      'Conflict',
      `Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`,
      { name, kind: 'namespaces' },
    );
  markNamespaceDeleted(state, ns, now);
  return structuredClone(ns);
}
