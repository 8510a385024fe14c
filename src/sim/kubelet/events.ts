// The kubelet's events about a pod's containers, recorded by the pod workers (kubelet.ts) where they act,
// with the real kubelet's reasons and 1.33 wording: pkg/kubelet/events (reasons), images/image_manager.go
// (Pulling, Pulled, `already present on machine`, Failed, BackOff while pulls back off),
// kuberuntime_container.go (Created, Started, `Error: ...` on a failed start, Killing) and
// kuberuntime_manager.go (BackOff restarting a failed container).
import { createHash } from 'node:crypto';
import { recordEvent, type EventType } from '../model/events.ts';
import type { ClusterState } from '../model/state.ts';
import type { Pod } from '../model/types.ts';

/** One kubelet event about a pod's container (`spec.containers{name}`), as the kubelet on its node records it. */
export function recordKubeletEvent(
  state: ClusterState,
  pod: Pod,
  container: string,
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
    { fieldPath: `spec.containers{${container}}` },
  );
}

/** Go's time.Duration.String() for a duration truncated to milliseconds. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.trunc(ms));
  if (whole < 1000) return `${whole}ms`;
  return `${(whole / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** A stable, plausible image size for the Pulled message (the local images are not registry blobs). */
function imageSize(image: string): number {
  return 2_000_000 + (createHash('sha256').update(image).digest().readUInt32BE(0) % 60_000_000);
}

export interface KubeletEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

const normal = (reason: string, message: string): KubeletEvent => ({ type: 'Normal', reason, message });
const warning = (reason: string, message: string): KubeletEvent => ({ type: 'Warning', reason, message });

/** The messages, by what happened. */
export const KubeletEvents = {
  pulling: (image: string) => normal('Pulling', `Pulling image "${image}"`),
  pulled: (image: string, ms: number) =>
    normal(
      'Pulled',
      `Successfully pulled image "${image}" in ${goDuration(ms)} (${goDuration(ms)} including waiting). Image size: ${imageSize(image)} bytes.`,
    ),
  alreadyPresent: (image: string) =>
    normal('Pulled', `Container image "${image}" already present on machine`),
  pullFailed: (image: string, error: string) =>
    warning('Failed', `Failed to pull image "${image}": ${error}`),
  /** The pod worker's error for the attempt (kuberuntime_container.go startContainer). */
  failed: (error: string) => warning('Failed', `Error: ${error}`),
  pullBackOff: (image: string) => normal('BackOff', `Back-off pulling image "${image}"`),
  created: (container: string) => normal('Created', `Created container: ${container}`),
  started: (container: string) => normal('Started', `Started container ${container}`),
  restartBackOff: (container: string, pod: Pod) =>
    warning(
      'BackOff',
      `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid})`,
    ),
  killing: (container: string) => normal('Killing', `Stopping container ${container}`),
} as const;

/** Whether the node's runtime already holds `image` (the image manager's check before a pull). */
export function nodeHasImage(state: ClusterState, node: string, image: string): boolean {
  return state.nodeImages[node]?.includes(image) ?? false;
}

/** A pull finished: the node's runtime holds the image from now on. */
export function addNodeImage(state: ClusterState, node: string, image: string): void {
  const images = (state.nodeImages[node] ??= []);
  if (!images.includes(image)) images.push(image);
}
