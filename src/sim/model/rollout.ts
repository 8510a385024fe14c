// The Deployment controller (pkg/controller/deployment): the new ReplicaSet for the current template with
// revision annotations, scaling events spread proportionally, RollingUpdate paced by maxSurge (rounded up)
// and maxUnavailable (rounded down), Recreate, revisionHistoryLimit, and the status with the Available and
// Progressing conditions `kubectl rollout status` and `describe` read. Each scale is a ScalingReplicaSet
// event with the 1.33 wording ("Scaled up replica set x from 1 to 2").
import { recordEvent } from './events.ts';
import { isoSeconds, newMeta, touch } from './meta.ts';
import { equalIgnoreHash, podTemplateHash } from './names.ts';
import type { ClusterState } from './state.ts';
import type { Deployment, ReplicaSet } from './types.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Deployment annotations not copied to its ReplicaSets (deployment util annotationsToSkip). */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);
const SOURCE = { component: 'deployment-controller' };

interface Strategy {
  readonly type: string;
  readonly rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}
type Condition = {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
};

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strategyOf = (d: Deployment): Strategy =>
  (d.spec['strategy'] as Strategy | undefined) ?? { type: 'RollingUpdate' };

/** intstr.GetScaledValueFromIntOrPercent: `25%` of total, rounded up or down; a number as is. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value ?? '25%');
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** deploymentutil.ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1. */
export function resolveFenceposts(
  strategy: Strategy,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  if (strategy.type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = scaledValue(strategy.rollingUpdate?.maxSurge ?? '25%', desired, true);
  const maxUnavailable = scaledValue(strategy.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

/** deploymentutil.NewRSNewReplicas for RollingUpdate: how far the new ReplicaSet may grow now. */
export function newRSReplicas(
  desired: number,
  maxSurge: number,
  allReplicas: number,
  newReplicas: number,
): number {
  const maxTotal = desired + maxSurge;
  if (allReplicas >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - allReplicas, desired - newReplicas);
}

/** reconcileOldReplicaSets' bound: how many old replicas may go now without breaking maxUnavailable. */
export function maxScaledDown(
  desired: number,
  maxUnavailable: number,
  allReplicas: number,
  newUnavailable: number,
): number {
  return allReplicas - (desired - maxUnavailable) - newUnavailable;
}

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const sumSpec = (list: readonly ReplicaSet[]): number => list.reduce((s, rs) => s + rs.spec.replicas, 0);
const available = (rs: ReplicaSet): number => num(rs.status['availableReplicas']);
const byAge = (a: ReplicaSet, b: ReplicaSet): number =>
  a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
  a.metadata.name.localeCompare(b.metadata.name);

export function ownedReplicaSets(state: ClusterState, d: Deployment): ReplicaSet[] {
  return state.replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid));
}

/** deploymentutil.FindNewReplicaSet: the oldest owned ReplicaSet whose template equals the Deployment's
 *  (ignoring the pod-template-hash label). After a rollback (kubectl rollout undo copies an old ReplicaSet's
 *  template back) that is the old ReplicaSet again. */
export function findNewReplicaSet(owned: readonly ReplicaSet[], d: Deployment): ReplicaSet | undefined {
  return [...owned].sort(byAge).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

const collisionCountOf = (d: Deployment): number | undefined =>
  typeof d.status['collisionCount'] === 'number' ? d.status['collisionCount'] : undefined;

function scale(
  state: ClusterState,
  d: Deployment,
  rs: ReplicaSet,
  to: number,
  now: number,
  maxSurge: number,
): boolean {
  const annotations = {
    ...rs.metadata.annotations,
    [DESIRED]: String(d.spec.replicas),
    [MAX_REPLICAS]: String(d.spec.replicas + maxSurge),
  };
  const from = rs.spec.replicas;
  if (from === to && JSON.stringify(annotations) === JSON.stringify(rs.metadata.annotations)) return false;
  rs.spec.replicas = to;
  rs.metadata.annotations = annotations;
  if (from !== to) rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
  touch(state, rs.metadata);
  if (from === to) return false;
  recordEvent(
    state,
    d,
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${from < to ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
    SOURCE,
    now,
  );
  return true;
}

function setCondition(
  d: Deployment,
  cond: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>,
  now: number,
  keepTransition = false,
): void {
  const conditions = ((d.status['conditions'] as Condition[] | undefined) ?? []).slice();
  const current = conditions.find((c) => c.type === cond.type);
  if (!keepTransition && current && current.status === cond.status && current.reason === cond.reason) return;
  const at = isoSeconds(now);
  const transition = keepTransition && current?.status === cond.status ? current.lastTransitionTime : at;
  d.status['conditions'] = [
    ...conditions.filter((c) => c.type !== cond.type),
    { ...cond, lastUpdateTime: at, lastTransitionTime: transition },
  ];
}

function copyAnnotations(d: Deployment, rs: ReplicaSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP.has(k)) out[k] = v;
  for (const k of [REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS]) {
    const v = rs.metadata.annotations?.[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function createNewReplicaSet(
  state: ClusterState,
  d: Deployment,
  old: ReplicaSet[],
  hash: string,
  revision: number,
  now: number,
): ReplicaSet {
  const { maxSurge } = resolveFenceposts(strategyOf(d), d.spec.replicas);
  const labels = { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  const replicas =
    strategyOf(d).type === 'RollingUpdate'
      ? newRSReplicas(d.spec.replicas, maxSurge, sumSpec(old), 0)
      : old.some((rs) => rs.spec.replicas > 0 || num(rs.status['replicas']) > 0)
        ? 0
        : d.spec.replicas;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...newMeta(state, now, {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace ?? 'default',
        labels,
      }),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.metadata.name,
          uid: d.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      generation: 1,
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...(d.spec.selector.matchLabels ?? {}), 'pod-template-hash': hash } },
      template: {
        ...structuredClone(d.spec.template),
        metadata: { ...(d.spec.template.metadata ?? {}), labels },
      },
    },
    status: { replicas: 0 },
  };
  rs.metadata.annotations = {
    ...copyAnnotations(d, rs),
    [DESIRED]: String(d.spec.replicas),
    [MAX_REPLICAS]: String(d.spec.replicas + maxSurge),
    [REVISION]: String(revision),
  };
  state.replicaSets.push(rs);
  if (replicas > 0)
    recordEvent(
      state,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${rs.metadata.name} from 0 to ${replicas}`,
      SOURCE,
      now,
    );
  setCondition(
    d,
    {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${rs.metadata.name}"`,
    },
    now,
  );
  return rs;
}

/** getNewReplicaSet for an existing one: revision max+1 (a rollback), annotations copied from the Deployment. */
function syncNewReplicaSet(
  state: ClusterState,
  d: Deployment,
  rs: ReplicaSet,
  revision: number,
  now: number,
): void {
  const annotations = copyAnnotations(d, rs);
  const current = revisionOf(rs);
  if (current < revision) {
    annotations[REVISION] = String(revision);
    if (current > 0)
      annotations[REVISION_HISTORY] = [rs.metadata.annotations?.[REVISION_HISTORY], String(current)]
        .filter(Boolean)
        .join(',');
  }
  if (JSON.stringify(annotations) !== JSON.stringify(rs.metadata.annotations ?? {})) {
    rs.metadata.annotations = annotations;
    touch(state, rs.metadata);
  }
  if (!(d.status['conditions'] as Condition[] | undefined)?.some((c) => c.type === 'Progressing'))
    setCondition(
      d,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'FoundNewReplicaSet',
        message: `Found new replica set "${rs.metadata.name}"`,
      },
      now,
    );
}

/** A change of spec.replicas (not of the template): an active ReplicaSet's desired-replicas annotation differs. */
function isScalingEvent(d: Deployment, active: readonly ReplicaSet[]): boolean {
  return active.some(
    (rs) =>
      rs.metadata.annotations?.[DESIRED] !== undefined &&
      rs.metadata.annotations[DESIRED] !== String(d.spec.replicas),
  );
}

/** How a sync moves replicas between the new ReplicaSet and the old ones (scale, RollingUpdate, Recreate). */
type RolloutStep = (
  state: ClusterState,
  d: Deployment,
  newRS: ReplicaSet,
  old: ReplicaSet[],
  now: number,
) => void;

/** DeploymentController.scale: one active ReplicaSet takes the new count; several share it proportionally. */
const scaleProportionally: RolloutStep = (state, d, newRS, old, now) => {
  const { maxSurge } = resolveFenceposts(strategyOf(d), d.spec.replicas);
  const active = [newRS, ...old].filter((rs) => rs.spec.replicas > 0);
  if (active.length <= 1) {
    scale(state, d, active[0] ?? newRS, d.spec.replicas, now, maxSurge);
    return;
  }
  if (newRS.spec.replicas === d.spec.replicas && available(newRS) >= d.spec.replicas) {
    for (const rs of old) scale(state, d, rs, 0, now, maxSurge);
    return;
  }
  const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge : 0;
  const toAdd = allowed - sumSpec(active);
  const sorted = [...active].sort(
    (a, b) => b.spec.replicas - a.spec.replicas || (toAdd > 0 ? -byAge(a, b) : byAge(a, b)),
  );
  let added = 0;
  const size = new Map<ReplicaSet, number>();
  for (const rs of sorted) {
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? 0) || num(d.status['replicas']) || 1;
    const fraction =
      d.spec.replicas === 0
        ? -rs.spec.replicas
        : Math.round((rs.spec.replicas * allowed) / annotated) - rs.spec.replicas;
    const proportion = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    size.set(rs, rs.spec.replicas + (toAdd === 0 ? 0 : proportion));
    added += toAdd === 0 ? 0 : proportion;
  }
  const first = sorted[0];
  if (first) size.set(first, Math.max(0, (size.get(first) ?? 0) + toAdd - added));
  for (const rs of sorted) scale(state, d, rs, size.get(rs) ?? rs.spec.replicas, now, maxSurge);
};

const rollingUpdate: RolloutStep = (state, d, newRS, old, now) => {
  const desired = d.spec.replicas;
  const { maxSurge, maxUnavailable } = resolveFenceposts(strategyOf(d), desired);
  const all = [newRS, ...old];
  // reconcileNewReplicaSet: scale up first, and stop there for this sync when it did.
  if (newRS.spec.replicas > desired) {
    if (scale(state, d, newRS, desired, now, maxSurge)) return;
  } else if (newRS.spec.replicas < desired) {
    const target = newRSReplicas(desired, maxSurge, sumSpec(all), newRS.spec.replicas);
    if (scale(state, d, newRS, target, now, maxSurge)) return;
  }
  // reconcileOldReplicaSets: unhealthy old replicas first, then healthy ones down to minAvailable.
  if (sumSpec(old) === 0) return;
  const newUnavailable = newRS.spec.replicas - available(newRS);
  let budget = maxScaledDown(desired, maxUnavailable, sumSpec(all), newUnavailable);
  if (budget <= 0) return;
  const oldest = [...old].filter((rs) => rs.spec.replicas > 0).sort(byAge);
  for (const rs of oldest) {
    if (budget <= 0) break;
    const unhealthy = Math.max(0, rs.spec.replicas - available(rs));
    const down = Math.min(budget, unhealthy);
    if (down > 0 && scale(state, d, rs, rs.spec.replicas - down, now, maxSurge)) budget -= down;
  }
  const minAvailable = desired - maxUnavailable;
  let surplus = all.reduce((s, rs) => s + available(rs), 0) - minAvailable;
  for (const rs of oldest) {
    if (surplus <= 0) break;
    const down = Math.min(rs.spec.replicas, surplus);
    if (down > 0 && scale(state, d, rs, rs.spec.replicas - down, now, maxSurge)) surplus -= down;
  }
};

const recreate: RolloutStep = (state, d, newRS, old, now) => {
  for (const rs of old) scale(state, d, rs, 0, now, 0);
  const oldPods = state.pods.some((p) =>
    old.some((rs) => p.object.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid)),
  );
  if (!oldPods) scale(state, d, newRS, d.spec.replicas, now, 0);
};

/** cleanupDeployment: old ReplicaSets without pods beyond revisionHistoryLimit go, oldest first. */
function cleanupHistory(state: ClusterState, d: Deployment, old: ReplicaSet[]): void {
  const limit = typeof d.spec['revisionHistoryLimit'] === 'number' ? d.spec['revisionHistoryLimit'] : 10;
  const idle = old
    .filter((rs) => rs.spec.replicas === 0 && num(rs.status['replicas']) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const remove = new Set(idle.slice(0, Math.max(0, idle.length - limit)));
  if (remove.size) state.replicaSets = state.replicaSets.filter((rs) => !remove.has(rs));
}

/** One sync of a Deployment (DeploymentController.syncDeployment). */
export function syncDeployment(state: ClusterState, d: Deployment, now: number): void {
  const owned = ownedReplicaSets(state, d);
  const found = findNewReplicaSet(owned, d);
  const old = owned.filter((rs) => rs !== found);
  const revision = Math.max(0, ...old.map(revisionOf)) + 1;
  const active = owned.filter((rs) => rs.spec.replicas > 0);
  const scaling = found !== undefined && isScalingEvent(d, active);
  let newRS = found;
  if (!newRS) {
    const hash = podTemplateHash(d.spec.template, collisionCountOf(d));
    const namespace = d.metadata.namespace ?? 'default';
    const taken = state.replicaSets.some(
      (rs) =>
        rs.metadata.name === `${d.metadata.name}-${hash}` &&
        (rs.metadata.namespace ?? 'default') === namespace,
    );
    if (taken) {
      // getNewReplicaSet: the name is taken by a ReplicaSet with another template (a hash collision): count
      // it in status.collisionCount, which the next sync's hash includes.
      d.status['collisionCount'] = (collisionCountOf(d) ?? 0) + 1;
      return;
    }
    newRS = createNewReplicaSet(state, d, old, hash, revision, now);
  }
  if (found) syncNewReplicaSet(state, d, found, revision, now);
  const rev = newRS.metadata.annotations?.[REVISION];
  if (rev !== undefined && d.metadata.annotations?.[REVISION] !== rev) {
    d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: rev };
    touch(state, d.metadata);
  }
  if (scaling) scaleProportionally(state, d, newRS, old, now);
  else if (strategyOf(d).type === 'Recreate') recreate(state, d, newRS, old, now);
  else rollingUpdate(state, d, newRS, old, now);
  if (
    d.status['replicas'] === d.spec.replicas &&
    d.status['updatedReplicas'] === d.spec.replicas &&
    d.status['availableReplicas'] === d.spec.replicas
  )
    cleanupHistory(state, d, old);
}

/** calculateStatus + syncRolloutStatus: the counts and the Available / Progressing conditions. */
export function syncDeploymentStatus(state: ClusterState, d: Deployment, now: number): void {
  const owned = ownedReplicaSets(state, d);
  const newRS = findNewReplicaSet(owned, d);
  const sum = (list: readonly ReplicaSet[], field: string): number =>
    list.reduce((s, rs) => s + num(rs.status[field]), 0);
  const before = { ...d.status };
  const availableReplicas = sum(owned, 'availableReplicas');
  const status: Record<string, unknown> = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum(owned, 'replicas'),
    updatedReplicas: newRS ? num(newRS.status['replicas']) : 0,
    readyReplicas: sum(owned, 'readyReplicas'),
    availableReplicas,
    unavailableReplicas: Math.max(0, sumSpec(owned) - availableReplicas),
    ...(d.status['conditions'] ? { conditions: d.status['conditions'] } : {}),
    ...(collisionCountOf(d) !== undefined ? { collisionCount: collisionCountOf(d) } : {}),
  };
  d.status = status;
  const { maxUnavailable } = resolveFenceposts(strategyOf(d), d.spec.replicas);
  if (availableReplicas >= d.spec.replicas - maxUnavailable)
    setCondition(
      d,
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      },
      now,
    );
  else
    setCondition(
      d,
      {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      },
      now,
    );
  if (!newRS) return;
  const name = newRS.metadata.name;
  const complete =
    num(status['updatedReplicas']) === d.spec.replicas &&
    num(status['replicas']) === d.spec.replicas &&
    availableReplicas === d.spec.replicas;
  const oldCount = (s: Record<string, unknown>): number => num(s['replicas']) - num(s['updatedReplicas']);
  const progressing =
    num(status['updatedReplicas']) > num(before['updatedReplicas']) ||
    oldCount(status) < oldCount(before) ||
    num(status['readyReplicas']) > num(before['readyReplicas']) ||
    availableReplicas > num(before['availableReplicas']);
  const progress = (d.status['conditions'] as Condition[] | undefined)?.find((c) => c.type === 'Progressing');
  const deadline =
    typeof d.spec['progressDeadlineSeconds'] === 'number' ? d.spec['progressDeadlineSeconds'] : 600;
  if (complete)
    setCondition(
      d,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}" has successfully progressed.`,
      },
      now,
    );
  else if (progressing)
    setCondition(
      d,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${name}" is progressing.`,
      },
      now,
      true,
    );
  else if (
    progress &&
    progress.reason !== 'NewReplicaSetAvailable' &&
    now - Date.parse(progress.lastUpdateTime) > deadline * 1000
  )
    setCondition(
      d,
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${name}" has timed out progressing.`,
      },
      now,
    );
}
