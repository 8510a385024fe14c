// The three patch types kube-apiserver applies: JSON merge patch (RFC 7386), JSON patch (RFC 6902, via
// fast-json-patch) and strategic merge patch, with the merge keys of the fields the lab's kinds have
// (k8s.io/api `patchMergeKey` tags) and the directives kubectl apply sends ($patch, $setElementOrder,
// $deleteFromPrimitiveList, $retainKeys).
import jsonpatch from 'fast-json-patch';
import { StatusError } from './status.ts';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type PatchType = 'merge' | 'strategic' | 'json';

export const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

/** Server-side apply's content type (ssa/): a configuration, not a patch. */
export const APPLY_PATCH = 'application/apply-patch+yaml';

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of lists of objects, by field name (k8s.io/api patchMergeKey). Others are replaced. */
const MERGE_KEYS: Readonly<Record<string, (item: Obj) => string>> = {
  containers: () => 'name',
  initContainers: () => 'name',
  ephemeralContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  conditions: () => 'type',
  ownerReferences: () => 'uid',
  hostAliases: () => 'ip',
  // Container ports merge on containerPort, Service ports on port.
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};
/** Lists of scalars merged as sets. */
const SET_LISTS = new Set(['finalizers']);

function mergeList(field: string, original: Json[], patch: Json[], order: Json[] | undefined): Json[] {
  const keyFor = MERGE_KEYS[field];
  const first = patch.find(isObj) ?? original.find(isObj);
  if (keyFor && first) {
    const key = keyFor(first);
    const out = original.map((o) => structuredClone(o));
    for (const item of patch) {
      if (!isObj(item)) continue;
      const at = out.findIndex((o) => isObj(o) && o[key] === item[key]);
      if (item['$patch'] === 'delete') {
        if (at >= 0) out.splice(at, 1);
        continue;
      }
      if (at >= 0) out[at] = strategicMerge(out[at], item);
      else out.push(strategicMerge({}, item));
    }
    if (order) {
      const rank = (o: Json): number => {
        const i = order.findIndex((e) => isObj(e) && isObj(o) && e[key] === o[key]);
        return i < 0 ? order.length : i;
      };
      out.sort((a, b) => rank(a) - rank(b));
    }
    return out;
  }
  if (SET_LISTS.has(field)) return [...new Set([...original, ...patch])];
  return structuredClone(patch);
}

export function strategicMerge(original: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const rest = { ...patch };
    Reflect.deleteProperty(rest, '$patch');
    return structuredClone(rest);
  }
  if (patch['$patch'] === 'delete') return undefined;
  const out: Obj = isObj(original) ? { ...original } : {};
  const retain = patch['$retainKeys'];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(v) ? v : [];
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((x) => !drop.includes(x));
      continue;
    }
    if (v === null) {
      Reflect.deleteProperty(out, k);
      continue;
    }
    if (Array.isArray(v)) {
      const before = out[k];
      const order = patch[`$setElementOrder/${k}`];
      out[k] = mergeList(k, Array.isArray(before) ? before : [], v, Array.isArray(order) ? order : undefined);
      continue;
    }
    const merged = strategicMerge(out[k], v);
    if (merged === undefined) Reflect.deleteProperty(out, k);
    else out[k] = merged;
  }
  if (Array.isArray(retain))
    for (const k of Object.keys(out)) if (!retain.includes(k)) Reflect.deleteProperty(out, k);
  return out;
}

export function applyPatch(type: PatchType, current: Json, patch: Json): Json {
  if (type === 'merge') return mergePatch(current, patch);
  if (type === 'strategic') return strategicMerge(current, patch);
  if (!Array.isArray(patch))
    throw new StatusError(
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  try {
    return jsonpatch.applyPatch(structuredClone(current), patch as jsonpatch.Operation[], true, false)
      .newDocument;
  } catch (error) {
    throw new StatusError(
      'Invalid',
      `the server rejected our request due to an error in our request: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}
