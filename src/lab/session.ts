// One run's connection to its target plus the bookkeeping every operation shares: host-name mapping, the
// record of commands run, lab memory, local environment for passEnv. Operations go through `exec` here.
import type { LabMemory, TargetFacts } from '../checks/types.ts';
import type { ExecOptions, ExecResult, RemoteCommand, RemoteExecutor } from '../ssh/types.ts';
import type { CommandRecord, Phase } from './results.ts';

/** Where a run goes: an executor plus the mapping from lab host names to the executor's host names. */
export interface LabTarget {
  /** Shown in reports and used in the memory file name (`vagrant`, `c1`, ...). */
  readonly name: string;
  readonly executor: RemoteExecutor;
  /** Lab host (`master-node`) → executor host (`c1/master-node`); throws UserError for a host it lacks. */
  resolveHost(labHost: string): string;
  close(): Promise<void>;
  /** What the lab configuration says about this target (MetalLB on or off, its pool), when known. */
  readonly facts?: TargetFacts;
}

export interface Session {
  readonly target: LabTarget;
  readonly memory: LabMemory;
  /** The local environment `passEnv` reads from (process.env in the CLI). */
  readonly localEnv: Readonly<Record<string, string | undefined>>;
  readonly namespace: string;
  readonly controlPlane: string;
  readonly commandTimeoutMs: number;
}

/** Runs a command on a lab host and records it under `phase` into `sink`. */
export async function execRecorded(
  session: Session,
  phase: Phase,
  sink: (record: CommandRecord) => void,
  host: string,
  command: RemoteCommand,
  options: ExecOptions,
): Promise<ExecResult> {
  const result = await session.target.executor.exec(session.target.resolveHost(host), command, {
    timeoutMs: session.commandTimeoutMs,
    ...options,
  });
  sink({
    phase,
    host,
    command: result.command,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    canceled: result.canceled,
  });
  return result;
}
