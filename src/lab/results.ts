// What a lab run produced: per step, per check, per command. The runner fills these; reporters only read them.
import type { CheckProgress, Observed } from '../checks/types.ts';
import type { ClusterIdentity } from '../cluster/identity.ts';
import type { Lang } from '../i18n/lang.ts';

export type StepStatus = 'pass' | 'fail' | 'skip' | 'error';
export type Phase = 'setup' | 'run' | 'check' | 'solve' | 'diagnose' | 'cleanup';
export type RunMode = 'check' | 'solve';

/** One command that ran (display form: secrets redacted by the SSH layer). */
export interface CommandRecord {
  readonly phase: Phase;
  readonly host: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly canceled: boolean;
}

export interface CheckResult {
  /** In the run's language; `stableTitle` is the English one machine-readable outputs key by. */
  readonly title: string;
  readonly stableTitle: string;
  /** `command` or the built-in check's name. */
  readonly kind: string;
  readonly status: StepStatus;
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  readonly observed?: Observed;
  readonly attempts: number;
  readonly durationMs: number;
  /** For a failure: what it said about the cluster (src/checks/types.ts CheckProgress), when it said. */
  readonly progress?: CheckProgress;
  /** Commands of the last attempt. */
  readonly commands: readonly CommandRecord[];
}

export interface CleanupRecord {
  readonly label: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface StepResult {
  readonly index: number;
  readonly id: string;
  readonly title: string;
  readonly stableTitle: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  readonly points: number;
  readonly maxPoints: number;
  /** One line: why it passed/failed. */
  readonly message: string;
  /** For a failure: what was run, expected and seen (the first failing check or command). */
  readonly failure?: {
    readonly check: string;
    readonly command?: string;
    readonly host?: string;
    readonly expected: string;
    readonly actual: string;
  };
  readonly hint?: string;
  /** Output of the step's `diagnose` commands, run because it failed (trimmed). */
  readonly diagnostics?: readonly { readonly command: string; readonly output: string }[];
  readonly commands: readonly CommandRecord[];
  readonly checks: readonly CheckResult[];
  readonly cleanup: readonly CleanupRecord[];
}

export interface LabRunResult {
  readonly lab: string;
  readonly title: string;
  /** The language titles, hints and explanations are in (src/i18n); keys and ids are the same in every one. */
  readonly lang: Lang;
  readonly target: string;
  readonly mode: RunMode;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  readonly points: number;
  readonly maxPoints: number;
  /** Ctrl-C ended the run early (cleanup still ran). */
  readonly interrupted: boolean;
  /** 0 passed, 1 a check failed, 2 spec/usage problem found while running, 3 a host was unreachable. */
  readonly exitCode: 0 | 1 | 2 | 3;
  /** Digest of the lab's steps and checks (src/lab/fingerprint.ts): which lab, which version of it. */
  readonly labFingerprint?: string;
  /** Which cluster this was (kube-system uid, nodes, when), when the run was asked to identify it. */
  readonly cluster?: ClusterIdentity;
}

/** What the runner tells a display while it works (listr2, plain lines, JSON lines in tests). */
export type RunEvent =
  | {
      readonly type: 'lab-start';
      readonly lab: string;
      readonly target: string;
      readonly mode: RunMode;
      readonly steps: readonly { readonly index: number; readonly id: string; readonly title: string }[];
    }
  | { readonly type: 'step-start'; readonly index: number; readonly id: string; readonly title: string }
  | { readonly type: 'command'; readonly index: number; readonly record: CommandRecord }
  | {
      readonly type: 'check-retry';
      readonly index: number;
      readonly check: string;
      readonly attempt: number;
      readonly actual: string;
    }
  | { readonly type: 'check-end'; readonly index: number; readonly result: CheckResult }
  | { readonly type: 'step-end'; readonly result: StepResult }
  | { readonly type: 'lab-end'; readonly result: LabRunResult };
