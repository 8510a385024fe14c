// The kubelet's events (Pulling, Pulled, Created, Started, Killing, BackOff), derived from the model's pod
// transitions until the kubelet of src/sim/kubelet records them where it starts and stops containers: this
// whole file is then replaced by calls to recordKubeletEvent() from there. podEventMarks remembers what
// each pod has already reported, so a transition is recorded once even after its events expired.
import { createHash } from 'node:crypto';
import { recordEvent, type EventType } from './events.ts';
import type { ClusterState, StoredPod } from './state.ts';
import type { Pod } from './types.ts';

/** One kubelet event about a pod's container (`spec.containers{name}`), as the kubelet on its node records it. */
export function recordKubeletEvent(
  state: ClusterState,
  pod: Pod,
  container: string | undefined,
  type: EventType,
  reason: string,
  message: string,
  now: number,
): void {
  recordEvent(
    state,
    pod,
    type,
    reason,
    message,
    { component: 'kubelet', host: pod.spec.nodeName ?? '' },
    now,
    {
      ...(container !== undefined ? { fieldPath: `spec.containers{${container}}` } : {}),
    },
  );
}

/** Go's time.Duration.String() for a duration truncated to milliseconds. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.trunc(ms));
  if (whole < 1000) return `${whole}ms`;
  return `${(whole / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** A stable, plausible image size (the simulator has no image bytes). */
function imageSize(image: string): number {
  return 2_000_000 + (createHash('sha256').update(image).digest().readUInt32BE(0) % 60_000_000);
}

function mark(state: ClusterState, key: string, value: string): boolean {
  const marks = (state.podEventMarks[key] ??= []);
  if (marks.includes(value)) return false;
  marks.push(value);
  return true;
}

function containerStarted(state: ClusterState, stored: StoredPod, at: number, restart: boolean): void {
  const pod = stored.object;
  const container = pod.spec.containers[0];
  if (!container) return;
  const name = container.name;
  const node = pod.spec.nodeName ?? '';
  const firstOnNode = mark(state, `node/${node}`, container.image);
  const policy = (container as { imagePullPolicy?: string }).imagePullPolicy ?? 'IfNotPresent';
  if (!restart && (firstOnNode || policy === 'Always')) {
    const pullMs = Math.max(1, Math.round(state.config.readyDelayMs * 0.8));
    kubelet(state, pod, name, 'Pulling', `Pulling image "${container.image}"`, at - pullMs);
    kubelet(
      state,
      pod,
      name,
      'Pulled',
      `Successfully pulled image "${container.image}" in ${goDuration(pullMs)} (${goDuration(pullMs)} including waiting). Image size: ${imageSize(container.image)} bytes.`,
      at,
    );
  } else
    kubelet(
      state,
      pod,
      name,
      'Pulled',
      `Container image "${container.image}" already present on machine`,
      at,
    );
  kubelet(state, pod, name, 'Created', `Created container: ${name}`, at);
  kubelet(state, pod, name, 'Started', `Started container ${name}`, at);
}

function kubelet(
  state: ClusterState,
  pod: Pod,
  container: string,
  reason: string,
  message: string,
  at: number,
): void {
  recordKubeletEvent(state, pod, container, 'Normal', reason, message, at);
}

/** Records the kubelet events of every pod transition since the last call. */
export function recordKubeletEvents(state: ClusterState, now: number): void {
  const live = new Set<string>();
  for (const stored of state.pods) {
    const pod = stored.object;
    const uid = pod.metadata.uid;
    live.add(uid);
    const started = now >= stored.runtime.startAt;
    if (started && !pod.metadata.deletionTimestamp && mark(state, uid, 'started'))
      containerStarted(state, stored, stored.runtime.startAt, false);
    const status = pod.status.containerStatuses?.[0];
    const name = pod.spec.containers[0]?.name ?? '';
    const restarts = status?.restartCount ?? 0;
    for (let r = 1; r <= restarts; r++)
      if (mark(state, uid, `restart/${r}`)) {
        containerStarted(state, stored, now, true);
        recordKubeletEvent(
          state,
          pod,
          name,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${uid})`,
          now,
        );
      }
    if (
      pod.metadata.deletionTimestamp &&
      (state.podEventMarks[uid] ?? []).includes('started') &&
      mark(state, uid, 'killing')
    )
      kubelet(state, pod, name, 'Killing', `Stopping container ${name}`, now);
  }
  for (const key of Object.keys(state.podEventMarks))
    if (!key.startsWith('node/') && !live.has(key)) Reflect.deleteProperty(state.podEventMarks, key);
}
