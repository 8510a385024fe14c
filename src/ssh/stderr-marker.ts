// Splits the wrapper's `labkit-pid:N` line off the front of stderr (after any shell start-up noise),
// so callers and streaming callbacks never see it.
import { PID_MARKER } from './command-line.ts';

const SEARCH_LIMIT = 64 * 1024;

export class StderrMarker {
  pid: number | undefined;
  private pending = '';
  private searching = true;
  private readonly waiters: ((pid: number | undefined) => void)[] = [];

  /** Feeds decoded stderr text; returns what belongs to the command's own stderr. */
  push(text: string): string {
    if (!this.searching) return text;
    this.pending += text;
    const at = this.pending.indexOf(PID_MARKER);
    const end = at === -1 ? -1 : this.pending.indexOf('\n', at);
    if (end !== -1) {
      const pid = Number(this.pending.slice(at + PID_MARKER.length, end));
      const rest = this.pending.slice(0, at) + this.pending.slice(end + 1);
      this.finish(Number.isInteger(pid) && pid > 0 ? pid : undefined);
      return rest;
    }
    if (this.pending.length > SEARCH_LIMIT) {
      const rest = this.pending;
      this.finish(undefined);
      return rest;
    }
    return '';
  }

  /** At the end of the stream: whatever is still held back. */
  flush(): string {
    const rest = this.searching ? this.pending : '';
    if (this.searching) this.finish(undefined);
    return rest;
  }

  /** Resolves with the PID once known (undefined if it never comes within `ms`). */
  waitForPid(ms: number): Promise<number | undefined> {
    if (!this.searching) return Promise.resolve(this.pid);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.pid), ms);
      this.waiters.push((pid) => {
        clearTimeout(timer);
        resolve(pid);
      });
    });
  }

  private finish(pid: number | undefined): void {
    this.pid = pid;
    this.searching = false;
    this.pending = '';
    for (const waiter of this.waiters.splice(0)) waiter(pid);
  }
}
