// A per-host channel limit (OpenSSH's MaxSessions, default 10). Commands queue FIFO beyond it; one slot
// is kept back for priority work (the kill that ends a timed-out command), so a host whose every slot
// holds a hung command can still be cleaned up.

export class ChannelSlots {
  private used = 0;
  private readonly normal: (() => void)[] = [];
  private readonly priority: (() => void)[] = [];
  /** Highest number of slots held at once (for tests and diagnostics). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 2)
      throw new RangeError(`session limit must be an integer ≥ 2, got ${limit}`);
  }

  get inUse(): number {
    return this.used;
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
          this.drain();
        });
      };
      if (this.canGrant(priority)) grant();
      else (priority ? this.priority : this.normal).push(grant);
    });
  }

  private canGrant(priority: boolean): boolean {
    return priority ? this.used < this.limit : this.used < this.limit - 1;
  }

  private drain(): void {
    while (this.priority.length > 0 && this.canGrant(true)) this.priority.shift()?.();
    while (this.normal.length > 0 && this.canGrant(false)) this.normal.shift()?.();
  }
}
