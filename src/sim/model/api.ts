// The apiserver's write path for the kinds the simulator stores: defaulting, ClusterIP/NodePort allocation,
// create vs update (with the last-applied annotation `kubectl apply` keeps) and deletion.
import { createHash } from 'node:crypto';
import { allocateClusterIp, allocateNodePort } from './ipam.ts';
import { newMeta, touch } from './meta.ts';
import { findNamespace } from './namespace-objects.ts';
import { createNamespace, setNamespaceLabels } from './namespaces.ts';
import { createPod, findPod, markPodDeleted } from './pods.ts';
import type { ClusterState } from './state.ts';
import type { Deployment, ObjectMeta, PodSpec, Secret, Service, ServicePort } from './types.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export class ApiError extends Error {
  constructor(
    readonly reason: 'NotFound' | 'Invalid' | 'AlreadyExists' | 'BadRequest' | 'Forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strMap = (v: unknown): Record<string, string> | undefined =>
  v && typeof v === 'object' ? (v as Record<string, string>) : undefined;

export type ApplyResult = 'created' | 'configured' | 'unchanged';

function annotations(doc: Obj, lastApplied: string | undefined): Record<string, string> {
  const given = strMap(obj(doc['metadata'])['annotations']) ?? {};
  return lastApplied === undefined ? { ...given } : { ...given, [LAST_APPLIED]: lastApplied };
}

function servicePorts(
  state: ClusterState,
  type: string,
  ports: unknown,
  previous: readonly ServicePort[] | undefined,
): ServicePort[] {
  return (Array.isArray(ports) ? ports : []).map((p) => {
    const port = obj(p);
    const number = Number(port['port']);
    const before = previous?.find((q) => q.port === number);
    const out: ServicePort = {
      ...(typeof port['name'] === 'string' ? { name: port['name'] } : {}),
      protocol: typeof port['protocol'] === 'string' ? port['protocol'] : 'TCP',
      port: number,
      targetPort: (port['targetPort'] as number | string | undefined) ?? number,
    };
    if (type === 'NodePort' || type === 'LoadBalancer')
      out.nodePort = (port['nodePort'] as number | undefined) ?? before?.nodePort ?? allocateNodePort(state);
    return out;
  });
}

function applyService(
  state: ClusterState,
  doc: Obj,
  ns: string,
  name: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const spec = obj(doc['spec']);
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
  const existing = state.services.find((s) => s.metadata.name === name && s.metadata.namespace === ns);
  const timeout = obj(obj(spec['sessionAffinityConfig'])['clientIP'])['timeoutSeconds'];
  const affinity = spec['sessionAffinity'] === 'ClientIP' ? 'ClientIP' : 'None';
  const makeSpec = (clusterIP: string | undefined): Service['spec'] => ({
    type,
    ...(spec['selector'] ? { selector: { ...strMap(spec['selector']) } } : {}),
    ...(type === 'ExternalName'
      ? { externalName: String(spec['externalName']) }
      : {
          clusterIP,
          clusterIPs: clusterIP ? [clusterIP] : [],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
        }),
    ...(spec['ports'] ? { ports: servicePorts(state, type, spec['ports'], existing?.spec.ports) } : {}),
    sessionAffinity: affinity,
    ...(affinity === 'ClientIP'
      ? {
          sessionAffinityConfig: {
            clientIP: { timeoutSeconds: typeof timeout === 'number' ? timeout : 10800 },
          },
        }
      : {}),
    ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: 'Cluster' } : {}),
    ...(Array.isArray(spec['externalIPs']) ? { externalIPs: spec['externalIPs'] as string[] } : {}),
  });
  if (existing) {
    if (lastApplied !== undefined && existing.metadata.annotations?.[LAST_APPLIED] === lastApplied)
      return 'unchanged';
    const requestedIp = spec['clusterIP'];
    if (typeof requestedIp === 'string' && requestedIp !== '' && requestedIp !== existing.spec.clusterIP)
      throw new ApiError(
        'Invalid',
        `The Service "${name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${requestedIp}"}: may not change once set`,
      );
    const keepIp =
      type === 'ExternalName' ? undefined : (existing.spec.clusterIP ?? allocateClusterIp(state));
    existing.spec = makeSpec(keepIp);
    existing.metadata.labels = strMap(obj(doc['metadata'])['labels']);
    existing.metadata.annotations = annotations(doc, lastApplied);
    touch(state, existing.metadata);
    return 'configured';
  }
  const requested =
    typeof spec['clusterIP'] === 'string' && spec['clusterIP'] !== '' ? spec['clusterIP'] : undefined;
  if (requested && requested !== 'None' && state.services.some((s) => s.spec.clusterIP === requested))
    throw new ApiError(
      'Invalid',
      `Service "${name}" is invalid: spec.clusterIPs: Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: provided IP is already allocated`,
    );
  const ip = type === 'ExternalName' ? undefined : (requested ?? allocateClusterIp(state));
  state.services.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: newMeta(state, now, {
      name,
      namespace: ns,
      labels: strMap(obj(doc['metadata'])['labels']) ?? {},
      annotations: annotations(doc, lastApplied),
    }),
    spec: makeSpec(ip),
    status: { loadBalancer: {} },
  });
  return 'created';
}

function applyDeployment(
  state: ClusterState,
  doc: Obj,
  ns: string,
  name: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const spec = obj(doc['spec']);
  const existing = state.deployments.find((d) => d.metadata.name === name && d.metadata.namespace === ns);
  const template = structuredClone(obj(spec['template'])) as Deployment['spec']['template'];
  const selector = { matchLabels: { ...strMap(obj(spec['selector'])['matchLabels']) } };
  const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  if (existing) {
    if (lastApplied !== undefined && existing.metadata.annotations?.[LAST_APPLIED] === lastApplied)
      return 'unchanged';
    if (JSON.stringify(existing.spec.selector.matchLabels) !== JSON.stringify(selector.matchLabels))
      throw new ApiError(
        'Invalid',
        `The Deployment "${name}" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:${JSON.stringify(selector.matchLabels)}}: field is immutable`,
      );
    existing.spec = { ...existing.spec, replicas, selector, template };
    existing.metadata.labels = strMap(obj(doc['metadata'])['labels']);
    existing.metadata.annotations = {
      ...annotations(doc, lastApplied),
      'deployment.kubernetes.io/revision':
        existing.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1',
    };
    existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    touch(state, existing.metadata);
    return 'configured';
  }
  const metadata: ObjectMeta = {
    ...newMeta(state, now, {
      name,
      namespace: ns,
      labels: strMap(obj(doc['metadata'])['labels']) ?? {},
      annotations: { ...annotations(doc, lastApplied), 'deployment.kubernetes.io/revision': '1' },
    }),
    generation: 1,
  };
  state.deployments.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      selector,
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  });
  return 'created';
}

function applyPod(
  state: ClusterState,
  doc: Obj,
  ns: string,
  name: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const existing = findPod(state, ns, name);
  const spec = structuredClone(obj(doc['spec'])) as PodSpec;
  if (existing) {
    if (lastApplied !== undefined && existing.object.metadata.annotations?.[LAST_APPLIED] === lastApplied)
      return 'unchanged';
    const images = spec.containers?.map((c) => c.image) ?? [];
    const same =
      JSON.stringify({ ...spec, containers: spec.containers?.map((c) => ({ ...c, image: '' })) }) ===
      JSON.stringify({
        ...JSON.parse(existing.object.metadata.annotations?.[LAST_APPLIED] ?? '{}').spec,
        containers: (
          JSON.parse(existing.object.metadata.annotations?.[LAST_APPLIED] ?? '{}') as { spec?: PodSpec }
        ).spec?.containers?.map((c) => ({ ...c, image: '' })),
      });
    if (!same)
      throw new ApiError(
        'Invalid',
        `The Pod "${name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)`,
      );
    existing.object.spec.containers.forEach((c, i) => (c.image = images[i] ?? c.image));
    existing.object.metadata.annotations = annotations(doc, lastApplied);
    touch(state, existing.object.metadata);
    return 'configured';
  }
  createPod(
    state,
    {
      name,
      namespace: ns,
      labels: strMap(obj(doc['metadata'])['labels']) ?? {},
      annotations: annotations(doc, lastApplied),
      spec,
    },
    now,
  );
  return 'created';
}

function applyNamespace(
  state: ClusterState,
  doc: Obj,
  name: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const labels = strMap(obj(doc['metadata'])['labels']);
  const existing = findNamespace(state, name);
  if (existing) {
    if (lastApplied !== undefined && existing.metadata.annotations?.[LAST_APPLIED] === lastApplied)
      return 'unchanged';
    setNamespaceLabels(existing, labels);
    existing.metadata.annotations = annotations(doc, lastApplied);
    touch(state, existing.metadata);
    return 'configured';
  }
  createNamespace(
    state,
    name,
    { ...(labels ? { labels } : {}), annotations: annotations(doc, lastApplied) },
    now,
  );
  return 'created';
}

/** Secrets keep no credential: each value is replaced by a digest of it (the simulator never stores secrets). */
export function redactSecretData(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [
      k,
      Buffer.from(
        `labkit-sim-redacted:sha256:${createHash('sha256').update(v).digest('hex').slice(0, 16)}`,
      ).toString('base64'),
    ]),
  );
}

export function applySecret(
  state: ClusterState,
  doc: Obj,
  ns: string,
  name: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const data: Record<string, string> = { ...strMap(doc['data']) };
  for (const [k, v] of Object.entries(strMap(doc['stringData']) ?? {}))
    data[k] = Buffer.from(v).toString('base64');
  const existing = state.secrets.find((s) => s.metadata.name === name && s.metadata.namespace === ns);
  const redacted = redactSecretData(data);
  if (existing) {
    if (lastApplied !== undefined && existing.metadata.annotations?.[LAST_APPLIED] === lastApplied)
      return 'unchanged';
    existing.data = redacted;
    touch(state, existing.metadata);
    return 'configured';
  }
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: newMeta(state, now, {
      name,
      namespace: ns,
      labels: strMap(obj(doc['metadata'])['labels']) ?? {},
    }),
    type: typeof doc['type'] === 'string' ? doc['type'] : 'Opaque',
    data: redacted,
  };
  state.secrets.push(secret);
  return 'created';
}

/** Creates or updates one object. `lastApplied` (the manifest as kubectl apply stores it) decides
 *  `unchanged`; undefined means a plain create (kubectl create / run / expose). */
export function applyObject(
  state: ClusterState,
  kind: string,
  doc: Obj,
  ns: string,
  now: number,
  lastApplied: string | undefined,
): ApplyResult {
  const name = String(obj(doc['metadata'])['name'] ?? '');
  switch (kind) {
    case 'Service':
      return applyService(state, doc, ns, name, now, lastApplied);
    case 'Deployment':
      return applyDeployment(state, doc, ns, name, now, lastApplied);
    case 'Pod':
      return applyPod(state, doc, ns, name, now, lastApplied);
    case 'Secret':
      return applySecret(state, doc, ns, name, now, lastApplied);
    case 'Namespace':
      return applyNamespace(state, doc, name, now, lastApplied);
    default:
      throw new ApiError('BadRequest', `the simulated cluster does not store kind ${kind}`);
  }
}

export function exists(state: ClusterState, kind: string, ns: string, name: string): boolean {
  const match = (m: ObjectMeta): boolean => m.name === name && (m.namespace ?? 'default') === ns;
  switch (kind) {
    case 'Service':
      return state.services.some((s) => match(s.metadata));
    case 'Deployment':
      return state.deployments.some((d) => match(d.metadata));
    case 'Pod':
      return state.pods.some((p) => match(p.object.metadata));
    case 'Secret':
      return state.secrets.some((s) => match(s.metadata));
    case 'ReplicaSet':
      return state.replicaSets.some((r) => match(r.metadata));
    default:
      return false;
  }
}

/** Deletes one object; returns false when it does not exist. Pods go Terminating for graceMs first. */
export function deleteObject(
  state: ClusterState,
  kind: string,
  ns: string,
  name: string,
  now: number,
  graceMs?: number,
): boolean {
  const keep = (m: ObjectMeta): boolean => !(m.name === name && (m.namespace ?? 'default') === ns);
  switch (kind) {
    case 'Pod': {
      const pod = findPod(state, ns, name);
      if (!pod) return false;
      if (graceMs === 0) state.pods = state.pods.filter((p) => p !== pod);
      else markPodDeleted(state, pod, now, graceMs);
      return true;
    }
    case 'Service': {
      const before = state.services.length;
      state.services = state.services.filter((s) => keep(s.metadata));
      for (const key of Object.keys(state.net.affinity))
        if (key.startsWith(`${ns}/${name}:`)) Reflect.deleteProperty(state.net.affinity, key);
      return state.services.length < before;
    }
    case 'Deployment': {
      const before = state.deployments.length;
      state.deployments = state.deployments.filter((d) => keep(d.metadata));
      return state.deployments.length < before;
    }
    case 'ReplicaSet': {
      const before = state.replicaSets.length;
      state.replicaSets = state.replicaSets.filter((r) => keep(r.metadata));
      return state.replicaSets.length < before;
    }
    case 'Secret': {
      const before = state.secrets.length;
      state.secrets = state.secrets.filter((s) => keep(s.metadata));
      return state.secrets.length < before;
    }
    case 'Event': {
      const before = state.events.length;
      state.events = state.events.filter((e) => keep(e.metadata));
      return state.events.length < before;
    }
    case 'Endpoints': {
      const before = state.endpoints.length;
      state.endpoints = state.endpoints.filter((e) => keep(e.metadata));
      return state.endpoints.length < before;
    }
    default:
      throw new ApiError('BadRequest', `the simulated cluster cannot delete kind ${kind}`);
  }
}
