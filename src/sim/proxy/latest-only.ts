// Runs an async job for the latest input only: while one run is in progress, newer inputs replace each
// other and the last one runs next (kube-proxy's "sync on change, coalesced" loop). Inputs with the same
// key as the last run are skipped.
export class LatestOnly<T> {
  private running = false;
  private pending: { key: string; input: T } | undefined;
  private lastKey: string | undefined;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | undefined;

  constructor(
    private readonly job: (input: T) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  offer(key: string, input: T): void {
    if (key === (this.pending?.key ?? this.lastKey)) return;
    this.pending = { key, input };
    if (!this.running) void this.drain();
  }

  /** Forgets the last key, so the next offer runs even if unchanged (e.g. after a failure). */
  invalidate(): void {
    this.lastKey = undefined;
  }

  /** Resolves once nothing runs or waits. */
  settled(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.idle = new Promise((r) => (this.resolveIdle = r));
    while (this.pending) {
      const { key, input } = this.pending;
      this.pending = undefined;
      try {
        await this.job(input);
        this.lastKey = key;
      } catch (error) {
        this.lastKey = undefined;
        this.onError(error);
      }
    }
    this.running = false;
    this.resolveIdle?.();
  }
}
