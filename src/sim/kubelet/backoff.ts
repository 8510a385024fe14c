// The kubelet's restart back-off (pkg/kubelet/kuberuntime: initial 10 s, doubled after each restart,
// capped at 5 min), for CrashLoopBackOff and ImagePullBackOff alike.
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

/** The wait before attempt `failures + 1` after `failures` failed ones (1 → 10 s, 2 → 20 s, ...). */
export function backoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.min(failures - 1, 10));
}
