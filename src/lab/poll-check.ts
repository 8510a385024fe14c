// Retries one check until it passes, says retrying cannot help, or the step deadline passes (src/cluster/wait.ts,
// no bare sleeps). The result keeps the last meaningful attempt: an attempt cut short by the deadline does not
// replace what the previous attempt actually saw. With patience 'fast' (a plain `lab check`), a failure that
// says nothing is on its way (absent, settled) ends at once; only converging state is polled to the deadline.
import type { CheckOutcome } from '../checks/types.ts';
import { pollUntil } from '../cluster/wait.ts';
import { t } from '../i18n/index.ts';
import type { StepCheckContext } from './check-context.ts';
import { attemptCheck } from './operations/check.ts';
import type { CheckResult, CommandRecord } from './results.ts';
import type { CheckSpec } from './spec/types.ts';

export interface PollCheckOptions {
  /** Aborted at the step deadline or on Ctrl-C. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** The step's shared context (see createStepCheckContext). */
  readonly context: StepCheckContext;
  readonly onRetry?: (attempt: number, actual: string) => void;
  readonly now?: () => number;
  /** 'fast' (default): absent or settled state fails at once. 'deadline': every retryable failure is polled
   *  to the deadline (`--wait`, and right after `solve`, when objects are still being made). */
  readonly patience?: Patience;
}

export type Patience = 'fast' | 'deadline';

/** Whether another attempt can change the outcome. */
function worthRetrying(outcome: CheckOutcome, patience: Patience): boolean {
  if (outcome.ok || outcome.retryable === false) return false;
  return patience === 'deadline' || (outcome.progress !== 'absent' && outcome.progress !== 'settled');
}

function failureMessage(
  outcome: CheckOutcome,
  attempts: number,
  seconds: number,
  patience: Patience,
): string {
  if (outcome.ok || outcome.retryable === false) return outcome.message;
  const m = t().step;
  if (patience === 'fast' && outcome.progress === 'absent') return m.absent(outcome.message);
  if (patience === 'fast' && outcome.progress === 'settled') return m.settled(outcome.message);
  if (outcome.progress === 'converging') return m.converging(seconds, outcome.message);
  return attempts <= 1 ? outcome.message : m.stillFailing(outcome.message, attempts);
}

export async function pollCheck(spec: CheckSpec, options: PollCheckOptions): Promise<CheckResult> {
  const now = options.now ?? Date.now;
  const patience = options.patience ?? 'fast';
  const started = now();
  let attempts = 0;
  let last: { outcome: CheckOutcome; commands: CommandRecord[] } | undefined;
  const { ctx } = options.context;
  const probe = async () => {
    attempts++;
    const commands = options.context.startAttempt();
    const outcome = await attemptCheck(spec, ctx);
    // An attempt the deadline cut short says nothing about the cluster: keep the previous one if there is one.
    if (!(options.signal.aborted && last !== undefined && !outcome.ok)) last = { outcome, commands };
    return worthRetrying(outcome, patience)
      ? { done: false as const, observed: outcome.actual }
      : { done: true as const, value: outcome };
  };
  try {
    await pollUntil(spec.title, probe, {
      timeoutMs: options.timeoutMs,
      intervalMs: options.intervalMs,
      signal: options.signal,
      onAttempt: (actual, attempt) => options.onRetry?.(attempt, actual),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    // Deadline (WaitTimeoutError or the aborted signal): the last attempt stands as the failure. The caller
    // tells Ctrl-C apart by its own signal; an SshError goes up.
    if (!options.signal.aborted && !(error instanceof Error && error.name === 'WaitTimeoutError'))
      throw error;
  }
  const kind = spec.kind === 'command' ? 'command' : spec.check.name;
  if (!last)
    return {
      title: spec.title,
      stableTitle: spec.stableTitle,
      kind,
      status: 'fail',
      message: t().step.deadlineBeforeCheck,
      expected: t().step.oneAttempt,
      actual: t().step.none,
      attempts,
      durationMs: now() - started,
      commands: [],
    };
  const { outcome, commands: lastCommands } = last;
  return {
    title: spec.title,
    stableTitle: spec.stableTitle,
    kind,
    status: outcome.ok ? 'pass' : 'fail',
    message: failureMessage(outcome, attempts, Math.round((now() - started) / 1000), patience),
    expected: outcome.expected,
    actual: outcome.actual,
    ...(!outcome.ok && outcome.progress ? { progress: outcome.progress } : {}),
    ...(outcome.observed ? { observed: outcome.observed } : {}),
    attempts,
    durationMs: now() - started,
    commands: lastCommands,
  };
}
