// Undo actions registered while a step runs (client pods a check created, the step's cleanup commands). They
// run in reverse order when the step ends: after a pass, a failure or Ctrl-C, each bounded by its own timeout
// and never by the (possibly aborted) step signal, so an interrupted run still removes what it made.
import type { CleanupRecord } from './results.ts';

export interface CleanupEntry {
  readonly label: string;
  readonly undo: () => Promise<void>;
}

export class CleanupStack {
  private readonly entries: CleanupEntry[] = [];

  add(label: string, undo: () => Promise<void>): void {
    this.entries.push({ label, undo });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every entry, last registered first; failures are recorded, never thrown. */
  async runAll(): Promise<CleanupRecord[]> {
    const records: CleanupRecord[] = [];
    while (this.entries.length > 0) {
      const entry = this.entries.pop();
      if (!entry) break;
      try {
        await entry.undo();
        records.push({ label: entry.label, ok: true, message: 'done' });
      } catch (error) {
        records.push({
          label: entry.label,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return records;
  }
}
