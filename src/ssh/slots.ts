// A per-host channel limit (OpenSSH's MaxSessions, default 10). Commands queue FIFO beyond it; one slot
// is kept back for priority work (the kill that ends a timed-out command), so a host whose every slot
// holds a hung command can still be cleaned up. The limit can only go down: when a server turns out to
// allow fewer sessions than assumed (see session-limit.ts), the pool lowers it.

export const MIN_SESSION_LIMIT = 2;

export class ChannelSlots {
  private used = 0;
  private currentLimit: number;
  private readonly normal: (() => void)[] = [];
  private readonly priority: (() => void)[] = [];
  private readonly releaseWaiters = new Set<() => void>();
  /** Highest number of slots held at once (for tests and diagnostics). */
  peak = 0;
  /** Slots given back so far. */
  releases = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < MIN_SESSION_LIMIT)
      throw new RangeError(`session limit must be an integer ≥ ${MIN_SESSION_LIMIT}, got ${limit}`);
    this.currentLimit = limit;
  }

  get limit(): number {
    return this.currentLimit;
  }

  get inUse(): number {
    return this.used;
  }

  /** Commands waiting for a slot. */
  get queued(): number {
    return this.normal.length + this.priority.length;
  }

  /** Lowers the limit (never raises it, never below 2); slots held above it drain as they are released. */
  lowerLimit(limit: number): void {
    this.currentLimit = Math.max(MIN_SESSION_LIMIT, Math.min(this.currentLimit, Math.floor(limit)));
  }

  /** Waits for a slot; ordinary work may use all but one. Call the returned function to give it back. */
  acquire(priority = false): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.used++;
        this.peak = Math.max(this.peak, this.used);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.used--;
          this.releases++;
          this.drain();
          for (const waiter of [...this.releaseWaiters]) waiter();
        });
      };
      if (this.canGrant(priority)) grant();
      else (priority ? this.priority : this.normal).push(grant);
    });
  }

  /** Resolves at the next release of any slot, or after `ms`, whichever comes first. */
  nextRelease(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.releaseWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.releaseWaiters.add(done);
    });
  }

  private canGrant(priority: boolean): boolean {
    return priority ? this.used < this.currentLimit : this.used < this.currentLimit - 1;
  }

  private drain(): void {
    while (this.priority.length > 0 && this.canGrant(true)) this.priority.shift()?.();
    while (this.normal.length > 0 && this.canGrant(false)) this.normal.shift()?.();
  }
}
