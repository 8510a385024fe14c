// Whether a failed command check is worth waiting for, judged from what came back: kubectl's NotFound means
// the object was never made (absent); a Kubernetes object printed with -o json says itself whether it is
// still on its way (replicas not all ready, a pod starting, a newer generation not yet observed) or settled.
import type { CheckProgress } from '../checks/types.ts';
import type { ExecResult } from '../ssh/types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const field = (o: Json, key: string): Json => (isObject(o[key]) ? o[key] : {});

// kubectl 1.2x-1.3x: `Error from server (NotFound): deployments.apps "x" not found`; `No resources found`.
const NOT_FOUND = /\(NotFound\)|^error: .* not found|No resources found/im;

function conditionFalse(status: Json, type: string): boolean {
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return conditions.some((c) => isObject(c) && c['type'] === type && c['status'] !== 'True');
}

function workloadProgress(spec: Json, status: Json): CheckProgress {
  const desired = num(spec['replicas']) ?? 1;
  const counts = ['readyReplicas', 'updatedReplicas', 'availableReplicas'].map((k) => num(status[k]) ?? 0);
  const total = num(status['replicas']) ?? 0;
  return counts.some((c) => c < desired) || total !== desired ? 'converging' : 'settled';
}

function podProgress(status: Json): CheckProgress {
  const phase = status['phase'];
  if (phase === 'Succeeded' || phase === 'Failed') return 'settled';
  return phase === 'Pending' || conditionFalse(status, 'Ready') ? 'converging' : 'settled';
}

/** A Kubernetes object (or List) → converging or settled; undefined when the JSON is not an API object. */
export function objectProgress(doc: unknown): CheckProgress | undefined {
  if (!isObject(doc) || typeof doc['kind'] !== 'string') return undefined;
  const kind = doc['kind'];
  if (kind.endsWith('List') && Array.isArray(doc['items'])) {
    if (doc['items'].length === 0) return 'absent';
    const each = doc['items'].map(objectProgress);
    return each.includes('converging')
      ? 'converging'
      : each.every((p) => p === 'settled')
        ? 'settled'
        : undefined;
  }
  const metadata = field(doc, 'metadata');
  const spec = field(doc, 'spec');
  const status = field(doc, 'status');
  if (metadata['deletionTimestamp'] !== undefined) return 'converging';
  const generation = num(metadata['generation']);
  const observed = num(status['observedGeneration']);
  if (generation !== undefined && observed !== undefined && observed < generation) return 'converging';
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      return workloadProgress(spec, status);
    case 'DaemonSet':
      return (num(status['numberReady']) ?? 0) < (num(status['desiredNumberScheduled']) ?? 0)
        ? 'converging'
        : 'settled';
    case 'Pod':
      return podProgress(status);
    case 'Service':
      // A LoadBalancer waits for its provider; every other service is whole once it exists.
      return spec['type'] === 'LoadBalancer' && !Array.isArray(field(status, 'loadBalancer')['ingress'])
        ? 'converging'
        : 'settled';
    case 'Namespace':
      return status['phase'] === 'Terminating' ? 'converging' : 'settled';
    default:
      return conditionFalse(status, 'Ready') ? 'converging' : 'settled';
  }
}

/** How a failed command check's result stands: absent, converging, settled, or undefined (cannot tell). */
export function commandProgress(result: ExecResult): CheckProgress | undefined {
  if (result.timedOut || result.canceled) return undefined;
  if (result.exitCode !== 0 && NOT_FOUND.test(result.stderr)) return 'absent';
  if (result.exitCode !== 0) return undefined;
  try {
    return objectProgress(JSON.parse(result.stdout));
  } catch {
    return undefined;
  }
}
