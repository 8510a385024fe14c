// The CheckContext (src/checks/types.ts) a built-in check sees: exec by lab host name, kubectl on the control
// plane, the step's signal and command timeout, cleanup registration and lab memory. Every call is recorded.
import type { CheckContext } from '../checks/types.ts';
import type { ExecOptions, ExecResult, RemoteCommand } from '../ssh/types.ts';
import type { CleanupStack } from './cleanup.ts';
import type { CommandRecord, Phase } from './results.ts';
import { hostHttpGet } from './host-http.ts';
import { execRecorded, type Session } from './session.ts';

export interface ContextOptions {
  readonly phase: Phase;
  readonly signal?: AbortSignal;
  readonly sink: (record: CommandRecord) => void;
  readonly cleanups: CleanupStack;
}

export function createCheckContext(session: Session, options: ContextOptions): CheckContext {
  const exec = (host: string, command: RemoteCommand, opts: ExecOptions = {}): Promise<ExecResult> =>
    execRecorded(session, options.phase, options.sink, host, command, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...opts,
    });
  return {
    exec,
    kubectl: (args, opts) => exec(session.controlPlane, { argv: ['kubectl', ...args] }, opts),
    controlPlane: session.controlPlane,
    namespace: session.namespace,
    ...(options.signal ? { signal: options.signal } : {}),
    commandTimeoutMs: session.commandTimeoutMs,
    onCleanup: (label, undo) => options.cleanups.add(label, undo),
    memory: session.memory,
    hostHttp: async (url, opts) => {
      const started = performance.now();
      const signal = opts.signal ?? options.signal;
      const result = await hostHttpGet(url, { timeoutMs: opts.timeoutMs, ...(signal ? { signal } : {}) });
      options.sink({
        phase: options.phase,
        host: HOST_SIDE,
        command: `GET ${url}`,
        exitCode: result.ok ? 0 : 1,
        durationMs: Math.round(performance.now() - started),
        timedOut: !result.ok && result.error === 'timeout',
        canceled: signal?.aborted ?? false,
      });
      return result;
    },
    ...(session.target.facts ? { facts: session.target.facts } : {}),
  };
}

/** The `host` of a recorded host-side request: the machine running labkit, not a lab host. */
export const HOST_SIDE = '(labkit host)';

/** One context for all checks of a step and all their attempts, so checks reuse what an earlier check or
 *  attempt made through it (the checks keep a Ready client pod per context: one pod start per step). Each
 *  attempt's commands are collected apart, for the report. */
export interface StepCheckContext {
  readonly ctx: CheckContext;
  /** Starts collecting a new attempt's commands; returns the list they go into. */
  startAttempt(): CommandRecord[];
}

export function createStepCheckContext(
  session: Session,
  options: Omit<ContextOptions, 'phase'>,
): StepCheckContext {
  let current: CommandRecord[] = [];
  const ctx = createCheckContext(session, {
    ...options,
    phase: 'check',
    sink: (r) => (current.push(r), options.sink(r)),
  });
  return { ctx, startAttempt: () => (current = []) };
}
