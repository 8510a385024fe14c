// A tiny TAP-style harness for the VM lane: numbered checks, each timed, failures listed with what was
// expected and what came back. The lane is one long scenario on shared VMs, so a failed check that later
// checks depend on stops the scenario (`required`), and the teardown still runs (test/vm/lane.sh).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckRecord {
  readonly n: number;
  readonly name: string;
  readonly ok: boolean;
  /** Not run because an earlier required check failed (counts as not ok). */
  readonly skipped?: boolean;
  readonly ms: number;
  readonly detail: string;
}

export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** Fails the current check with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export class Harness {
  readonly records: CheckRecord[] = [];
  private stopped = false;

  constructor(private readonly workDir: string | undefined) {}

  /** One timed measurement for docs/benchmarks.md (test/vm/lane.sh collects them). */
  timing(step: string, ms: number, extra: Record<string, unknown> = {}): void {
    if (!this.workDir) return;
    appendFileSync(join(this.workDir, 'timings.jsonl'), `${JSON.stringify({ step, ms, ...extra })}\n`);
  }

  /** Runs one check. `required`: when it fails, the remaining checks (except `always` ones) are skipped. */
  async check(
    name: string,
    body: () => Promise<unknown>,
    options: { required?: boolean; always?: boolean } = {},
  ): Promise<boolean> {
    const n = this.records.length + 1;
    if (this.stopped && !options.always) {
      this.records.push({
        n,
        name,
        ok: false,
        skipped: true,
        ms: 0,
        detail: 'an earlier required check failed',
      });
      process.stdout.write(`not ok ${n} - ${name} # SKIP an earlier required check failed\n`);
      return false;
    }
    const t0 = Date.now();
    try {
      const returned = await body();
      const detail = typeof returned === 'string' ? returned : '';
      const ms = Date.now() - t0;
      this.records.push({ n, name, ok: true, ms, detail });
      process.stdout.write(
        `ok ${n} - ${name} (${(ms / 1000).toFixed(1)} s)${detail ? ` # ${detail}` : ''}\n`,
      );
      return true;
    } catch (error) {
      const ms = Date.now() - t0;
      const detail = error instanceof Error ? error.message : String(error);
      this.records.push({ n, name, ok: false, ms, detail });
      process.stdout.write(
        `not ok ${n} - ${name} (${(ms / 1000).toFixed(1)} s)\n${detail.replace(/^/gm, '  # ')}\n`,
      );
      if (options.required) this.stopped = true;
      return false;
    }
  }

  summary(): { passed: number; failed: number; skipped: number } {
    const skipped = this.records.filter((r) => r.skipped).length;
    const failed = this.records.filter((r) => !r.ok && !r.skipped).length;
    const passed = this.records.length - failed - skipped;
    process.stdout.write(
      `1..${this.records.length}\n# ${passed} passed, ${failed} failed, ${skipped} skipped (not run after a failed required check)\n`,
    );
    return { passed, failed, skipped };
  }
}
