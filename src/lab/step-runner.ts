// One step, chainsaw-style: setup → (solve) → run → checks polled until the deadline; cleanup always (finally),
// including the undo actions checks registered (client pods), also after a failure or Ctrl-C.
import { SshError } from '../ssh/errors.ts';
import { t } from '../i18n/index.ts';
import { UserError } from '../util/exit-codes.ts';
import { createStepCheckContext } from './check-context.ts';
import { CleanupStack } from './cleanup.ts';
import { executeCommand } from './operations/command.ts';
import { pollCheck } from './poll-check.ts';
import type { CheckResult, CommandRecord, Phase, RunEvent, RunMode, StepResult } from './results.ts';
import type { Session } from './session.ts';
import type { CheckSpec, CommandSpec, StepSpec } from './spec/types.ts';
import { MissingMemoryError } from './template.ts';
import { trimForDisplay } from './trim.ts';

/** How a step ended beyond pass/fail: the run stops after an unreachable host, a usage error or Ctrl-C. */
export type StepStop = 'unreachable' | 'usage' | 'interrupted' | undefined;

export interface StepRunOptions {
  readonly mode: RunMode;
  /** Ctrl-C. */
  readonly signal?: AbortSignal;
  readonly emit: (event: RunEvent) => void;
  readonly now?: () => number;
  /** `--wait`: poll every failing check to the step deadline, also when nothing is converging. */
  readonly wait?: boolean;
}

type Failure = NonNullable<StepResult['failure']>;

class CommandFailed extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.check}: expected ${failure.expected}, got ${failure.actual}`);
  }
}

async function runPhase(
  phase: Phase,
  commands: readonly CommandSpec[],
  session: Session,
  signal: AbortSignal,
  sink: (r: CommandRecord) => void,
): Promise<void> {
  for (const spec of commands) {
    const outcome = await executeCommand(spec, session, phase, sink, signal);
    if (!outcome.ok)
      throw new CommandFailed({
        check: t().step.phaseCommand(phase, spec.title),
        ...(outcome.result ? { command: outcome.result.command } : {}),
        host: spec.host,
        expected: outcome.expected,
        actual: signal.aborted && !outcome.result?.timedOut ? t().step.stoppedAtDeadline : outcome.actual,
      });
  }
}

function registerStepCleanup(
  step: StepSpec,
  session: Session,
  cleanups: CleanupStack,
  sink: (r: CommandRecord) => void,
) {
  if (step.cleanup.length === 0) return;
  cleanups.add(`step ${step.id} cleanup`, async () => {
    const failed: string[] = [];
    for (const spec of step.cleanup) {
      // No step signal here: cleanup must run after Ctrl-C or the deadline; each command has its own timeout.
      const outcome = await executeCommand(spec, session, 'cleanup', sink);
      if (!outcome.ok) failed.push(`${outcome.result?.command ?? 'command'}: ${outcome.actual}`);
    }
    if (failed.length > 0) throw new Error(failed.join('; '));
  });
}

/** chainsaw's catch: collect what helps explain a failure; a diagnostic that fails is shown, never fatal. */
async function runDiagnostics(
  step: StepSpec,
  session: Session,
  sink: (r: CommandRecord) => void,
): Promise<{ command: string; output: string }[]> {
  const out: { command: string; output: string }[] = [];
  for (const spec of step.diagnose) {
    try {
      const outcome = await executeCommand({ ...spec, expectExit: 'any' }, session, 'diagnose', sink);
      const r = outcome.result;
      if (r)
        out.push({
          command: r.command,
          output: trimForDisplay(`${r.stdout}${r.stderr}`.trim(), 20, 2000),
        });
    } catch (error) {
      if (error instanceof SshError) throw error;
      out.push({
        command: spec.title ?? 'diagnostic',
        output: t().step.diagnosticNotRun((error as Error).message),
      });
    }
  }
  return out;
}

function skipped(check: CheckSpec): CheckResult {
  return {
    title: check.title,
    stableTitle: check.stableTitle,
    kind: check.kind === 'command' ? 'command' : check.check.name,
    status: 'skip',
    message: t().step.checkNotRun,
    expected: '',
    actual: '',
    attempts: 0,
    durationMs: 0,
    commands: [],
  };
}

interface Verdict {
  readonly status: StepResult['status'];
  readonly message: string;
  readonly failure?: Failure;
  readonly stop?: StepStop;
}

/** Why a step ended early, from what was thrown (the step's own signal tells Ctrl-C apart). */
function verdictOf(error: unknown, userSignal: AbortSignal | undefined): Verdict {
  if (userSignal?.aborted)
    return {
      status: 'error',
      message: t().step.interrupted,
      stop: 'interrupted',
    };
  if (error instanceof CommandFailed)
    return {
      status: 'fail',
      message: t().step.commandFailed(error.failure.check, error.failure.expected, error.failure.actual),
      failure: error.failure,
    };
  if (error instanceof SshError)
    return {
      status: 'error',
      message: `${error.shortMessage} — ${error.hint}`,
      stop: 'unreachable',
    };
  if (error instanceof MissingMemoryError) return { status: 'fail', message: error.message };
  if (error instanceof UserError) return { status: 'error', message: error.message, stop: 'usage' };
  // A bug or an unexpected failure inside one step: report it there and go on, so the run still ends with
  // every other step's result and the reports get written.
  return {
    status: 'error',
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  };
}

interface CheckLoop {
  readonly step: StepSpec;
  readonly session: Session;
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
  readonly sink: (r: CommandRecord) => void;
  readonly cleanups: CleanupStack;
  readonly options: StepRunOptions;
  readonly now: () => number;
}

/** Polls each check in turn; the first that fails ends the loop and the rest are listed as skipped. */
async function runChecks(loop: CheckLoop, checks: CheckResult[]): Promise<Verdict | undefined> {
  const { step, options } = loop;
  const context = createStepCheckContext(loop.session, {
    signal: loop.signal,
    sink: loop.sink,
    cleanups: loop.cleanups,
  });
  let verdict: Verdict | undefined;
  for (const [i, check] of step.checks.entries()) {
    if (verdict) {
      checks.push(skipped(check));
      continue;
    }
    const result = await pollCheck(check, {
      signal: loop.signal,
      timeoutMs: Math.max(0, loop.deadlineAt - loop.now()),
      intervalMs: step.intervalMs,
      context,
      // Right after solve the step's objects are still being made: wait for them as for --wait.
      patience: options.mode === 'solve' || options.wait ? 'deadline' : 'fast',
      onRetry: (attempt, actual) =>
        options.emit({
          type: 'check-retry',
          index: step.index,
          check: check.title,
          attempt,
          actual,
        }),
      ...(options.now ? { now: options.now } : {}),
    });
    checks.push(result);
    options.emit({ type: 'check-end', index: step.index, result });
    if (options.signal?.aborted) throw options.signal.reason;
    if (result.status === 'pass') continue;
    const cmd = result.commands.at(-1);
    verdict = {
      status: 'fail',
      message: t().step.checkFailed(
        i + 1,
        step.checks.length,
        check.title,
        check.kind === 'builtin' ? check.check.name : undefined,
        result.message,
      ),
      failure: {
        check: check.title,
        ...(cmd ? { command: cmd.command, host: cmd.host } : {}),
        expected: result.expected,
        actual: result.actual,
      },
    };
  }
  return verdict;
}

export async function runStep(
  step: StepSpec,
  session: Session,
  options: StepRunOptions,
): Promise<{ result: StepResult; stop: StepStop }> {
  const now = options.now ?? Date.now;
  const started = now();
  const commands: CommandRecord[] = [];
  const checks: CheckResult[] = [];
  const cleanups = new CleanupStack();
  const sink = (record: CommandRecord) => {
    commands.push(record);
    options.emit({ type: 'command', index: step.index, record });
  };
  const deadline = AbortSignal.timeout(step.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const passed: Verdict = {
    status: 'pass',
    message: t().step.passed(step.checks.length),
  };
  let verdict = passed;
  let diagnostics: NonNullable<StepResult['diagnostics']> = [];
  let cleanupRecords: StepResult['cleanup'] = [];
  options.emit({
    type: 'step-start',
    index: step.index,
    id: step.id,
    title: step.title,
  });
  registerStepCleanup(step, session, cleanups, sink);
  try {
    await runPhase('setup', step.setup, session, signal, sink);
    if (options.mode === 'solve') await runPhase('solve', step.solve, session, signal, sink);
    await runPhase('run', step.run, session, signal, sink);
    const loop = {
      step,
      session,
      signal,
      deadlineAt: started + step.timeoutMs,
      sink,
      cleanups,
      options,
      now,
    };
    verdict = (await runChecks(loop, checks)) ?? passed;
  } catch (error) {
    verdict = verdictOf(error, options.signal);
  } finally {
    if (verdict.status === 'fail') diagnostics = await runDiagnostics(step, session, sink);
    cleanupRecords = await cleanups.runAll();
  }
  const { status, message, failure } = verdict;
  const result: StepResult = {
    index: step.index,
    id: step.id,
    title: step.title,
    stableTitle: step.stableTitle,
    status,
    durationMs: now() - started,
    points: status === 'pass' ? step.points : 0,
    maxPoints: step.points,
    message,
    ...(failure ? { failure } : {}),
    ...(status !== 'pass' && step.hint ? { hint: step.hint.trim() } : {}),
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
    commands,
    checks,
    cleanup: cleanupRecords,
  };
  options.emit({ type: 'step-end', result });
  return { result, stop: verdict.stop };
}
