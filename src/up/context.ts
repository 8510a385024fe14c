// What every lab:up phase gets: the validated config, how to reach vagrant and the VMs, where to write.
import type { LabConfig } from '../config/schema.ts';
import type { HostProbe } from '../preflight/host.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import type { VagrantOptions } from '../vagrant/run.ts';

export interface UpContext {
  readonly config: LabConfig;
  readonly configPath: string;
  /** Project root: Vagrantfile, scripts/provision. */
  readonly projectDir: string;
  /** `.lab/` under the project: logs, kubeconfig. */
  readonly stateDir: string;
  readonly vagrant: VagrantOptions;
  readonly host: HostProbe;
  /** Opens SSH connections to the lab's VMs (from `vagrant ssh-config`); called once, after the VMs run. */
  readonly connect: () => Promise<RemoteExecutor>;
  readonly signal?: AbortSignal;
  /** Readiness wait limits (tests shorten them). */
  readonly waits: { readonly readyTimeoutMs: number; readonly pollIntervalMs: number };
}

// `base` only does work when the run stops there (`--until base`); a full run provisions everything in `vms`.
// `snapshot` saves the VMs for `npm run lab:reset` once the smoke check passed (`--until smoke` skips it).
export const PHASES = [
  'preflight',
  'base',
  'vms',
  'join',
  'ready',
  'metallb',
  'kubeconfig',
  'smoke',
  'snapshot',
] as const;
export type PhaseName = (typeof PHASES)[number];

export interface PhaseOutcome {
  readonly phase: PhaseName;
  readonly status: 'done' | 'skipped' | 'failed';
  /** One line for the summary: what was done or verified. */
  readonly detail: string;
  readonly durationMs: number;
}

/** Ends lab:up with a message naming where it failed and what to do; `exitCode` follows src/util/exit-codes. */
export class PhaseError extends Error {
  constructor(
    readonly phase: PhaseName,
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'PhaseError';
  }
}
