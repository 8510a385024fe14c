// Server-side validation of applied manifests, with the apiserver's messages:
// - strict decoding: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
//   unknown field "spec.replica"` (and `json: cannot unmarshal ...` for wrong types);
// - field validation: `The Deployment "x" is invalid: spec.selector: Required value`.
import { KIND_FIELDS, type FieldSpec } from './manifest-fields.ts';

const GO_TYPES: Record<string, string> = {
  string: 'string',
  int: 'int32',
  bool: 'bool',
  map: 'map[string]string',
};

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'number' ? 'number' : typeof v;
}

/** Unknown fields and type mismatches, as paths (`spec.template.spec.containers[0].imagee`). */
export function decodeProblems(
  value: unknown,
  spec: FieldSpec,
  path: string,
  out: { unknown: string[]; types: string[] },
): void {
  if (value === null || value === undefined || spec === 'any') return;
  if (spec === 'int-or-string') {
    if (typeof value !== 'number' && typeof value !== 'string')
      out.types.push(
        `json: cannot unmarshal ${typeName(value)} into Go struct field of type intstr.IntOrString`,
      );
    return;
  }
  if (typeof spec === 'string') {
    const ok =
      (spec === 'string' && typeof value === 'string') ||
      (spec === 'int' && typeof value === 'number' && Number.isInteger(value)) ||
      (spec === 'bool' && typeof value === 'boolean') ||
      (spec === 'map' &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value as object).every((v) => typeof v === 'string'));
    if (!ok) {
      const field = path.replace(/\[\d+\]/g, '');
      out.types.push(
        `json: cannot unmarshal ${typeName(value)} into Go struct field .${field} of type ${GO_TYPES[spec] ?? spec}`,
      );
    }
    return;
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(value)) {
      out.types.push(`json: cannot unmarshal ${typeName(value)} into Go struct field .${path} of type []`);
      return;
    }
    value.forEach((item, i) => decodeProblems(item, (spec as readonly [FieldSpec])[0], `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.types.push(`json: cannot unmarshal ${typeName(value)} into Go struct field .${path} of type object`);
    return;
  }
  const fields = spec as Record<string, FieldSpec>;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    const childSpec = fields[key];
    if (childSpec === undefined) out.unknown.push(childPath);
    else decodeProblems(child, childSpec, childPath, out);
  }
}

export function strictDecodeError(kind: string, doc: Record<string, unknown>): string | undefined {
  const known = KIND_FIELDS[kind];
  if (!known) return undefined;
  const out = { unknown: [] as string[], types: [] as string[] };
  decodeProblems(doc, known.fields, '', out);
  const version = known.apiVersion.includes('/') ? known.apiVersion.split('/')[1] : known.apiVersion;
  if (out.types.length)
    return `${kind} in version "${version}" cannot be handled as a ${kind}: ${out.types[0]}`;
  if (out.unknown.length)
    return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${out.unknown.map((u) => `unknown field "${u}"`).join(', ')}`;
  return undefined;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function goMap(m: Obj): string {
  return `map[string]string{${Object.entries(m)
    .map(([k, v]) => `"${k}":"${String(v)}"`)
    .join(', ')}}`;
}

function containerProblems(spec: Obj, base: string): string[] {
  const problems: string[] = [];
  const containers = arr(spec['containers']);
  if (containers.length === 0) problems.push(`${base}.containers: Required value`);
  containers.forEach((c, i) => {
    const container = obj(c);
    if (!container['name']) problems.push(`${base}.containers[${i}].name: Required value`);
    if (!container['image']) problems.push(`${base}.containers[${i}].image: Required value`);
    arr(container['ports']).forEach((p, j) => {
      const port = obj(p)['containerPort'];
      if (typeof port !== 'number' || port < 1 || port > 65535)
        problems.push(
          `${base}.containers[${i}].ports[${j}].containerPort: ${port === undefined ? 'Required value' : `Invalid value: ${String(port)}: must be between 1 and 65535, inclusive`}`,
        );
    });
  });
  const restart = spec['restartPolicy'];
  if (restart !== undefined && !['Always', 'OnFailure', 'Never'].includes(String(restart)))
    problems.push(
      `${base}.restartPolicy: Unsupported value: "${String(restart)}": supported values: "Always", "OnFailure", "Never"`,
    );
  return problems;
}

/** ValidateNamespaceName: a DNS label (63 characters at most), not a subdomain. */
function namespaceNameProblems(name: unknown): string[] {
  if (typeof name !== 'string' || name === '') return [];
  const problems: string[] = [];
  if (name.length > 63)
    problems.push(`metadata.name: Invalid value: "${name}": must be no more than 63 characters`);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    problems.push(
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  return problems;
}

function nameProblems(name: unknown): string[] {
  if (typeof name !== 'string' || name === '') return [];
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) && name.length <= 253
    ? []
    : [
        `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ];
}

/** Field validation after decoding; returns the `The Kind "name" is invalid: ...` message or undefined. */
export function invalidMessage(kind: string, doc: Obj): string | undefined {
  const metadata = obj(doc['metadata']);
  const spec = obj(doc['spec']);
  const problems: string[] =
    kind === 'Namespace' ? namespaceNameProblems(metadata['name']) : [...nameProblems(metadata['name'])];
  if (kind === 'Deployment') {
    const selector = obj(obj(spec['selector'])['matchLabels']);
    const template = obj(spec['template']);
    const labels = obj(obj(template['metadata'])['labels']);
    if (!spec['selector']) problems.push('spec.selector: Required value');
    else if (Object.keys(selector).length === 0 && !obj(spec['selector'])['matchExpressions'])
      problems.push(
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      );
    if (spec['selector'] && Object.entries(selector).some(([k, v]) => labels[k] !== v))
      problems.push(
        `spec.template.metadata.labels: Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
      );
    const replicas = spec['replicas'];
    if (typeof replicas === 'number' && replicas < 0)
      problems.push(`spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
    problems.push(...containerProblems(obj(template['spec']), 'spec.template.spec'));
    const restart = obj(template['spec'])['restartPolicy'];
    if (restart !== undefined && restart !== 'Always')
      problems.push(
        `spec.template.spec.restartPolicy: Unsupported value: "${String(restart)}": supported values: "Always"`,
      );
  } else if (kind === 'Pod') problems.push(...containerProblems(spec, 'spec'));
  else if (kind === 'Service') {
    const type = spec['type'] ?? 'ClusterIP';
    if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(String(type)))
      problems.push(
        `spec.type: Unsupported value: "${String(type)}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
      );
    const ports = arr(spec['ports']);
    if (type === 'ExternalName' && !spec['externalName']) problems.push('spec.externalName: Required value');
    if (type !== 'ExternalName' && ports.length === 0) problems.push('spec.ports: Required value');
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const port = obj(p);
      if (typeof port['port'] !== 'number') problems.push(`spec.ports[${i}].port: Required value`);
      else if (port['port'] < 1 || port['port'] > 65535)
        problems.push(
          `spec.ports[${i}].port: Invalid value: ${port['port']}: must be between 1 and 65535, inclusive`,
        );
      if (ports.length > 1 && !port['name']) problems.push(`spec.ports[${i}].name: Required value`);
      if (typeof port['name'] === 'string') {
        if (names.has(port['name']))
          problems.push(`spec.ports[${i}].name: Duplicate value: "${port['name']}"`);
        names.add(port['name']);
      }
      const nodePort = port['nodePort'];
      if (typeof nodePort === 'number' && (nodePort < 30000 || nodePort > 32767))
        problems.push(
          `spec.ports[${i}].nodePort: Invalid value: ${nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767`,
        );
    });
    const affinity = spec['sessionAffinity'];
    if (affinity !== undefined && affinity !== 'None' && affinity !== 'ClientIP')
      problems.push(
        `spec.sessionAffinity: Unsupported value: "${String(affinity)}": supported values: "ClientIP", "None"`,
      );
    const timeout = obj(obj(spec['sessionAffinityConfig'])['clientIP'])['timeoutSeconds'];
    if (typeof timeout === 'number' && (timeout < 1 || timeout > 86400))
      problems.push(
        `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${timeout}: must be greater than 0 and less than 86400`,
      );
  }
  if (problems.length === 0) return undefined;
  const name = String(metadata['name'] ?? '');
  return problems.length === 1
    ? `The ${kind} "${name}" is invalid: ${problems[0]}`
    : `The ${kind} "${name}" is invalid: \n${problems.map((p) => `* ${p}`).join('\n')}`;
}
