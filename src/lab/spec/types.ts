// A lab spec after loading: defaults applied, hosts resolved, built-in checks bound to their implementations.
import type { BuiltinCheck } from '../../checks/types.ts';
import type { ExpectSpec } from './schema.ts';

/** Built-in checks by the name used in lab.yaml (`check: NAME`). */
export type CheckRegistry = ReadonlyMap<string, BuiltinCheck<unknown>>;

export interface CommandSpec {
  readonly title?: string;
  readonly host: string;
  readonly body: { readonly argv: readonly string[] } | { readonly script: string };
  readonly timeoutMs: number;
  readonly sudo: boolean;
  readonly passEnv: readonly string[];
  /** Exit codes that count as success, or 'any'. */
  readonly expectExit: readonly number[] | 'any';
  /** Sent as stdin (read from `stdinFile` at load time). */
  readonly stdin?: string;
  readonly stdinFile?: string;
  readonly unlessSaved?: string;
  readonly save: Readonly<Record<string, 'stdout' | 'stderr' | 'exitCode'>>;
}

export type CheckSpec =
  | {
      readonly kind: 'command';
      readonly title: string;
      /** The English title: what machine-readable outputs and the fingerprint use, the same in every language. */
      readonly stableTitle: string;
      readonly command: CommandSpec;
      readonly expect: ExpectSpec;
    }
  | {
      readonly kind: 'builtin';
      readonly title: string;
      readonly stableTitle: string;
      readonly check: BuiltinCheck<unknown>;
      /** Parameters as written (templates unresolved); parsed by the check's schema before each run. */
      readonly rawParams: Readonly<Record<string, unknown>>;
    };

export interface StepSpec {
  /** 1-based position, as `--step N` counts. */
  readonly index: number;
  readonly id: string;
  /** Title, description and hint in the language the spec was loaded in (src/i18n). */
  readonly title: string;
  /** The English title (see CheckSpec.stableTitle). */
  readonly stableTitle: string;
  readonly description?: string;
  readonly points: number;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly setup: readonly CommandSpec[];
  readonly run: readonly CommandSpec[];
  readonly checks: readonly CheckSpec[];
  readonly hint?: string;
  readonly diagnose: readonly CommandSpec[];
  readonly solve: readonly CommandSpec[];
  readonly cleanup: readonly CommandSpec[];
}

export interface LabSpec {
  /** Directory name under labs/ (e.g. `service`). */
  readonly name: string;
  readonly file: string;
  readonly title: string;
  readonly description?: string;
  readonly hosts: readonly string[];
  readonly controlPlane: string;
  readonly namespace: string;
  readonly commandTimeoutMs: number;
  readonly steps: readonly StepSpec[];
  readonly cleanup: readonly CommandSpec[];
  /** Which lab and which version of it, the same in every language (src/lab/fingerprint.ts). */
  readonly fingerprint: string;
}

export const DEFAULT_STEP_TIMEOUT_MS = 120_000;
export const DEFAULT_INTERVAL_MS = 2_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
