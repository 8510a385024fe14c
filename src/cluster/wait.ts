// One way to wait for the cluster: poll a probe until it reports done or the deadline passes. No bare sleeps.
import { setTimeout as sleep } from 'node:timers/promises';

export type Probe<T> = () => Promise<{ done: true; value: T } | { done: false; observed: string }>;

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** Called after each unfinished attempt with what was seen (for progress display). */
  readonly onAttempt?: (observed: string, attempt: number) => void;
  /** Injected clock for tests. */
  readonly now?: () => number;
  readonly delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastObserved: string,
  ) {
    super(
      `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last seen: ${lastObserved}`,
    );
    this.name = 'WaitTimeoutError';
  }
}

export async function pollUntil<T>(what: string, probe: Probe<T>, options: PollOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const delay = options.delay ?? ((ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal }));
  const deadline = now() + options.timeoutMs;
  let observed = 'nothing yet';
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const result = await probe();
    if (result.done) return result.value;
    observed = result.observed;
    options.onAttempt?.(observed, attempt);
    const left = deadline - now();
    if (left <= 0) throw new WaitTimeoutError(what, options.timeoutMs, observed);
    await delay(Math.min(options.intervalMs, left), options.signal);
  }
}
