// `lab check` and `lab solve`: load the spec, pick the target, run the steps with a live display, write the
// reports, and end with the run's exit code. Ctrl-C aborts the run and still cleans up; a second Ctrl-C quits.
import { planLab } from '../lab/dry-run.ts';
import { resolveLabFile } from '../lab/catalog.ts';
import { FileLabMemory, InMemoryLabMemory, memoryPath } from '../lab/memory.ts';
import { defaultCheckRegistry } from '../lab/registry.ts';
import type { RunMode } from '../lab/results.ts';
import { runLab } from '../lab/runner.ts';
import { selectSteps, type StepSelection } from '../lab/select.ts';
import { parseDuration } from '../lab/spec/duration.ts';
import { loadLabSpec } from '../lab/spec/load.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import type { LabSpec } from '../lab/spec/types.ts';
import { createListrDisplay, createPlainDisplay, isInteractive } from '../report/console/display.ts';
import { parseReportRequest, writeReports } from '../report/request.ts';
import { defaultStateDir } from './lab-env.ts';
import { selectTarget } from './lab-target.ts';

export interface LabRunOptions {
  readonly step?: string;
  readonly from?: string;
  readonly dryRun?: boolean;
  readonly inventory?: string;
  readonly target?: string;
  readonly config?: string;
  readonly report?: readonly string[];
  /** Every step's deadline, e.g. "30s" (default: each step's own timeout). */
  readonly timeout?: string;
  /** `--wait`: poll every failing check to its deadline. */
  readonly wait?: boolean;
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text) ?? (/^\d+$/.test(text) ? Number(text) * 1000 : undefined);
  if (ms === undefined || ms < 1000)
    throw new UserError(
      `--timeout ${JSON.stringify(text)}: expected a duration of at least 1s, such as 30s or 2m`,
      EXIT.usage,
    );
  return ms;
}

export async function loadLab(ref: string): Promise<LabSpec> {
  return loadLabSpec(await resolveLabFile(ref), defaultCheckRegistry());
}

/** Ctrl-C: first press aborts (cleanup runs), second press exits at once. */
function interruptController(write: (t: string) => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    write('\ninterrupted: stopping and cleaning up (Ctrl-C again to quit at once)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export async function labRunCommand(ref: string, mode: RunMode, options: LabRunOptions): Promise<number> {
  const write = (t: string) => void process.stdout.write(t);
  const spec = await loadLab(ref);
  const selection: StepSelection = {
    ...(options.step !== undefined ? { step: options.step } : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
  };
  const steps = selectSteps(spec, selection);
  const reports = (options.report ?? []).map(parseReportRequest);
  const stepTimeoutMs = parseTimeout(options.timeout);
  if (options.dryRun) {
    const planned = steps.map((s) => (stepTimeoutMs !== undefined ? { ...s, timeoutMs: stepTimeoutMs } : s));
    write(`${planLab(spec, planned, mode, new InMemoryLabMemory()).join('\n')}\n`);
    return 0;
  }
  const stateDir = defaultStateDir();
  const selected = await selectTarget({ ...options, stateDir });
  const interrupt = interruptController(write);
  try {
    const memory = FileLabMemory.open(memoryPath(stateDir, spec.name, selected.memoryId));
    const display = isInteractive() ? createListrDisplay(write) : createPlainDisplay(write);
    const result = await runLab(spec, selected.target, {
      mode,
      selection,
      memory,
      signal: interrupt.signal,
      emit: (e) => display.onEvent(e),
      localEnv: process.env,
      ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
      ...(options.wait ? { wait: true } : {}),
      // The cluster's identity goes into reports; lab memory is mirrored on the cluster (cluster-memory.ts).
      identify: true,
    });
    await display.finish();
    for (const line of await writeReports(reports, result)) write(`${line}\n`);
    return result.exitCode;
  } finally {
    interrupt.dispose();
    await selected.target.close();
  }
}
