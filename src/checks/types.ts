// The contract between the lab runner (src/lab) and the built-in checks (src/checks). A check asserts one
// promise of a lab on a live cluster, reached only through `CheckContext` (so the same code runs on a Vagrant
// lab, an inventory host or the simulated cluster), and returns what it saw, never throws for a plain failure.
import type { z } from 'zod';
import type { ExecOptions, ExecResult, RemoteCommand } from '../ssh/types.ts';

export interface CheckContext {
  /** Runs a command on a lab host by its lab name (`master-node`, `worker-node01`, ...); resolves whatever the
   *  exit code; rejects only when the host is unreachable (SshError). Every call is recorded for the report. */
  exec(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  /** `kubectl ARGS` on the control-plane host (argv, quoted by the SSH layer). */
  kubectl(args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** The host kubectl runs on (usually `master-node`). */
  readonly controlPlane: string;
  /** Namespace the lab works in (default `default`). */
  readonly namespace: string;
  /** Set when the student presses Ctrl-C or the step deadline passes: stop, do not start new commands. */
  readonly signal?: AbortSignal;
  /** Per-command timeout the runner wants (ms); checks pass it on to exec/kubectl. */
  readonly commandTimeoutMs: number;
  /** Registers the removal of something the check created (a client pod); the runner runs it when the step
   *  ends, also on failure and on Ctrl-C. */
  onCleanup(label: string, undo: () => Promise<void>): void;
  /** Values kept between steps and between runs for this lab and target (e.g. the pod a step deleted), set by
   *  run/solve commands' outputs or by checks themselves. */
  readonly memory: LabMemory;
  /** An HTTP GET from the machine running labkit itself (not through a lab host), bounded by `timeoutMs`:
   *  how a student's browser or curl reaches a NodePort or a LoadBalancer address. Absent when the runner
   *  cannot make one; checks then say that part was not tried. */
  readonly hostHttp?: (url: string, options: HostHttpOptions) => Promise<HostHttpResult>;
  /** What the lab's configuration says about the target (lab.config.yaml for the Vagrant lab), when known. */
  readonly facts?: TargetFacts;
}

export interface HostHttpOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** A host-side GET: the page (any status) or why none came back (refused, timeout, unreachable). */
export type HostHttpResult =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: string };

export interface TargetFacts {
  /** lab.config.yaml `metallb`: whether LoadBalancer Services get addresses, and from which pool. */
  readonly metallb?: { readonly enabled: boolean; readonly pool: string };
}

export interface LabMemory {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** What a check saw. `ok: false` is a failed expectation, shown to the student with `expected` and `observed`. */
export interface CheckOutcome {
  readonly ok: boolean;
  /** One line: what passed or what went wrong, in the student's terms. */
  readonly message: string;
  /** What the tutorial promises, e.g. "3 pods answer, counts fit a uniform spread (p >= 1e-4)". */
  readonly expected: string;
  /** What came back, trimmed for display (e.g. "pod-a: 12, pod-b: 9, pod-c: 0"). */
  readonly actual: string;
  /** Structured values for the reports (spread counts, affinity mapping, env vars...). */
  readonly observed?: Observed;
  /** false: polling again cannot help (bad parameters, missing object the step never creates). Default true. */
  readonly retryable?: boolean;
  /** What a failure says about the cluster, so the runner knows whether waiting can help (see CheckProgress). */
  readonly progress?: CheckProgress;
}

/** Where the cluster stands for a failed check. `absent`: what it needs does not exist and nothing is making it
 *  (the step was never applied); `converging`: it exists but is not ready yet (pods starting, endpoints
 *  changing); `settled`: it exists, has settled, and is not what the step asks. Absent and settled fail at once
 *  (unless `--wait` or right after `solve`); converging, and a failure that does not say, poll to the deadline. */
export type CheckProgress = 'absent' | 'converging' | 'settled';

/** What a check saw, as data for the reports: JSON-serializable, any keys a check finds useful (the JSON report
 *  prints them all). Reporters draw `spread` themselves; a check never formats for the console. (A command
 *  check's keys are JSON paths, `$`/`.`/`[`-led, so they never collide with `spread`.) */
export interface Observed {
  readonly spread?: Spread;
  readonly [key: string]: unknown;
}

/** Answers counted per pod over one batch of requests, drawn by every reporter as one titled histogram
 *  (src/report/histogram.ts). */
export interface Spread {
  /** What was counted, e.g. "60 requests by ClusterIP:8080 over 3 pods". */
  readonly what: string;
  /** Answers per pod in display order: the ready endpoints (zeros included), then any other pod that answered. */
  readonly counts: Readonly<Record<string, number>>;
  /** Pearson's chi-squared against equal shares over the endpoints, and its p-value; only where the check judged
   *  the spread by them (random mode), so a report never shows a statistic nobody tested. */
  readonly chiSquared?: number;
  readonly pValue?: number;
}

/** A built-in check: a name used in lab.yaml (`check: NAME`), a zod schema for its `with:` parameters (strict,
 *  so misspelled keys are errors at load time), and the assertion itself. */
export interface BuiltinCheck<P = unknown> {
  readonly name: string;
  /** One sentence for `lab explain`. */
  readonly description: string;
  readonly params: z.ZodType<P>;
  run(ctx: CheckContext, params: P): Promise<CheckOutcome>;
}
