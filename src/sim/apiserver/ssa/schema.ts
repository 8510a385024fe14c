// The part of the built-in types' structured-merge-diff schema that server-side apply needs for the kinds the
// simulator stores: which lists are associative (k8s.io/api `+listType=map` / `+listMapKey`, or
// patchStrategy=merge with a patchMergeKey), which are sets (`v:` elements), which maps and structs are
// atomic (`+mapType=atomic`, `+structType=atomic`). Every other list is atomic, as schemaconv makes a list
// without those markers; every other object is a granular struct.
export type TypeNode =
  | {
      readonly type: 'struct';
      readonly fields: Readonly<Record<string, TypeNode>>;
      readonly atomic?: boolean;
    }
  /** A map of string keys to `elem` (labels, annotations, data): each key is inserted into a field set. */
  | { readonly type: 'map'; readonly elem: TypeNode; readonly atomic?: boolean }
  | { readonly type: 'list'; readonly list: 'atomic' }
  | { readonly type: 'list'; readonly list: 'set' }
  | {
      readonly type: 'list';
      readonly list: 'map';
      readonly keys: readonly string[];
      /** Key defaults from the OpenAPI schema (protocol: TCP), used when an item omits the key. */
      readonly defaults?: Readonly<Record<string, unknown>>;
      readonly elem: TypeNode;
    }
  | { readonly type: 'scalar' };

const scalar: TypeNode = { type: 'scalar' };
const struct = (fields: Record<string, TypeNode> = {}, atomic = false): TypeNode => ({
  type: 'struct',
  fields,
  ...(atomic ? { atomic } : {}),
});
const stringMap: TypeNode = { type: 'map', elem: scalar };
const atomicMap: TypeNode = { type: 'map', elem: scalar, atomic: true };
const set: TypeNode = { type: 'list', list: 'set' };
const keyed = (keys: string[], elem: TypeNode, defaults?: Record<string, unknown>): TypeNode => ({
  type: 'list',
  list: 'map',
  keys,
  elem,
  ...(defaults ? { defaults } : {}),
});

/** Fields not named in a struct: objects are granular structs, lists atomic (deduced types). */
export function fieldType(node: TypeNode, name: string, value: unknown): TypeNode {
  if (node.type === 'map') return node.elem;
  if (node.type === 'struct') {
    const named = node.fields[name];
    if (named) return named;
  }
  return deduced(value);
}

export function deduced(value: unknown): TypeNode {
  if (Array.isArray(value)) return { type: 'list', list: 'atomic' };
  if (value !== null && typeof value === 'object') return struct();
  return scalar;
}

/** Whether a field is a named struct field (its own path is inserted only when null or empty). */
export function isNamedField(node: TypeNode): boolean {
  return node.type !== 'map';
}

const objectMeta = struct({
  labels: stringMap,
  annotations: stringMap,
  finalizers: set,
  ownerReferences: keyed(['uid'], struct()),
});

const container = struct({
  ports: keyed(['containerPort', 'protocol'], struct(), { protocol: 'TCP' }),
  env: keyed(['name'], struct()),
  volumeMounts: keyed(['mountPath'], struct()),
  volumeDevices: keyed(['devicePath'], struct()),
  resources: struct({ limits: stringMap, requests: stringMap }),
});

const podSpec = struct({
  containers: keyed(['name'], container),
  initContainers: keyed(['name'], container),
  ephemeralContainers: keyed(['name'], container),
  volumes: keyed(['name'], struct()),
  imagePullSecrets: keyed(['name'], struct()),
  hostAliases: keyed(['ip'], struct()),
  nodeSelector: atomicMap,
  topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable'], struct()),
  resourceClaims: keyed(['name'], struct()),
  schedulingGates: keyed(['name'], struct()),
});

const labelSelector = struct({}, true);
const podTemplate = struct({ metadata: objectMeta, spec: podSpec });
const conditions = keyed(['type'], struct());

const top = (fields: Record<string, TypeNode>): TypeNode => struct({ metadata: objectMeta, ...fields });

const SCHEMAS: Readonly<Record<string, TypeNode>> = {
  Pod: top({
    spec: podSpec,
    status: struct({ conditions, podIPs: keyed(['ip'], struct()), hostIPs: keyed(['ip'], struct()) }),
  }),
  Deployment: top({
    spec: struct({ selector: labelSelector, template: podTemplate }),
    status: struct({ conditions }),
  }),
  ReplicaSet: top({
    spec: struct({ selector: labelSelector, template: podTemplate }),
    status: struct({ conditions }),
  }),
  Service: top({
    spec: struct({
      ports: keyed(['port', 'protocol'], struct(), { protocol: 'TCP' }),
      selector: atomicMap,
    }),
    status: struct({ conditions }),
  }),
  Secret: top({ data: stringMap, stringData: stringMap }),
  ConfigMap: top({ data: stringMap, binaryData: stringMap }),
  Namespace: top({ status: struct({ conditions }) }),
};

export function schemaFor(kind: string): TypeNode {
  return SCHEMAS[kind] ?? top({});
}
