// Runs a lab's steps in order against one target and says how it went (src/lab/results.ts). Steps keep going
// after a failed step (so every step's result is reported), but stop after an unreachable host, a usage
// problem or Ctrl-C; the steps not run are reported as skipped.
import type { LabMemory } from '../checks/types.ts';
import { probeClusterIdentity, type ClusterIdentity } from '../cluster/identity.ts';
import { SshError } from '../ssh/errors.ts';
import { clusterMemoryStore, MirroredMemory } from './cluster-memory.ts';
import { language, t } from '../i18n/index.ts';
import type { LabRunResult, RunEvent, RunMode, StepResult } from './results.ts';
import { selectSteps, type StepSelection } from './select.ts';
import type { LabTarget, Session } from './session.ts';
import type { LabSpec, StepSpec } from './spec/types.ts';
import { runStep, type StepStop } from './step-runner.ts';

export interface RunLabOptions {
  readonly mode: RunMode;
  readonly selection?: StepSelection;
  readonly memory: LabMemory;
  readonly signal?: AbortSignal;
  readonly emit?: (event: RunEvent) => void;
  readonly localEnv?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  /** Overrides every step's deadline (`--timeout`), e.g. short deadlines for a quick look or in tests. */
  readonly stepTimeoutMs?: number;
  /** `--wait`: every failing check polls to its step deadline (default: only converging state does). */
  readonly wait?: boolean;
  /** Read the cluster's identity first (for reports) and mirror lab memory on the cluster (cluster-memory.ts). */
  readonly identify?: boolean;
  /** The namespace the built-in checks work in, instead of the lab's (a student's override when grading). */
  readonly namespace?: string;
}

/** The cluster's identity and, when it has one, the memory mirrored on it; an unreachable host is left for
 *  the first step to report. */
async function identify(
  spec: LabSpec,
  session: Session,
): Promise<{ cluster?: ClusterIdentity; memory?: MirroredMemory }> {
  const host = session.target.resolveHost(session.controlPlane);
  const exec = session.target.executor;
  const timeoutMs = session.commandTimeoutMs;
  try {
    const cluster = await probeClusterIdentity((args) =>
      exec.exec(host, { argv: ['kubectl', ...args] }, { timeoutMs }),
    );
    if (cluster.kubeSystemUid === null) return { cluster };
    const store = clusterMemoryStore(
      (command, options) => exec.exec(host, command, { timeoutMs, ...options }),
      spec.name,
      cluster.kubeSystemUid,
    );
    return { cluster, memory: await MirroredMemory.open(session.memory, store) };
  } catch (error) {
    if (error instanceof SshError) return {};
    throw error;
  }
}

function skippedStep(step: StepSpec, why: string): StepResult {
  return {
    index: step.index,
    id: step.id,
    title: step.title,
    stableTitle: step.stableTitle,
    status: 'skip',
    durationMs: 0,
    points: 0,
    maxPoints: step.points,
    message: why,
    commands: [],
    checks: [],
    cleanup: [],
  };
}

function exitCodeOf(steps: readonly StepResult[], stop: StepStop): LabRunResult['exitCode'] {
  if (stop === 'unreachable') return 3;
  if (stop === 'usage') return 2;
  return steps.every((s) => s.status === 'pass') ? 0 : 1;
}

export async function runLab(
  spec: LabSpec,
  target: LabTarget,
  options: RunLabOptions,
): Promise<LabRunResult> {
  const now = options.now ?? Date.now;
  const emit = options.emit ?? (() => undefined);
  const override = options.stepTimeoutMs;
  const steps = selectSteps(spec, options.selection ?? {}).map((s) =>
    override !== undefined ? { ...s, timeoutMs: override } : s,
  );
  const base: Session = {
    target,
    memory: options.memory,
    localEnv: options.localEnv ?? {},
    namespace: options.namespace ?? spec.namespace,
    controlPlane: spec.controlPlane,
    commandTimeoutMs: spec.commandTimeoutMs,
  };
  const identity = options.identify && !options.signal?.aborted ? await identify(spec, base) : {};
  const mirror = identity.memory;
  const session: Session = mirror ? { ...base, memory: mirror } : base;
  const started = now();
  const startedAt = new Date().toISOString();
  emit({
    type: 'lab-start',
    lab: spec.name,
    target: target.name,
    mode: options.mode,
    steps: steps.map((s) => ({ index: s.index, id: s.id, title: s.title })),
  });
  const results: StepResult[] = [];
  let stop: StepStop;
  for (const step of steps) {
    if (stop !== undefined || options.signal?.aborted) {
      const result = skippedStep(step, t().step.notRun[stop ?? 'interrupted']);
      results.push(result);
      emit({ type: 'step-end', result });
      continue;
    }
    const outcome = await runStep(step, session, {
      mode: options.mode,
      emit,
      ...(options.wait ? { wait: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    results.push(outcome.result);
    stop = outcome.stop;
    // Each step's records reach the cluster's copy as soon as the step ends; a host lost meanwhile is the
    // next step's to report.
    await mirror?.flush().catch(() => undefined);
  }
  const result: LabRunResult = {
    lab: spec.name,
    title: spec.title,
    lang: language(),
    target: target.name,
    mode: options.mode,
    startedAt,
    durationMs: now() - started,
    steps: results,
    points: results.reduce((sum, s) => sum + s.points, 0),
    maxPoints: results.reduce((sum, s) => sum + s.maxPoints, 0),
    interrupted: stop === 'interrupted' || Boolean(options.signal?.aborted),
    exitCode: exitCodeOf(results, stop),
    labFingerprint: spec.fingerprint,
    ...(identity.cluster ? { cluster: identity.cluster } : {}),
  };
  emit({ type: 'lab-end', result });
  return result;
}
