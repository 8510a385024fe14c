// Grades one student over SSH, isolated from every other: an SSH pool of its own, its own deadline, its own
// lab memory (seeded from the copy on its cluster). Whatever happens to this student (a host that does not
// answer, a wrong key, a changed host key, a hung command, a labkit bug) ends as this student's grade with a
// reason; nothing is thrown to the class run, and the pool is always closed.
import type { ClusterIdentity } from '../cluster/identity.ts';
import type { InventoryStudent } from '../inventory/load.ts';
import { InMemoryLabMemory } from '../lab/memory.ts';
import type { LabRunResult, RunEvent } from '../lab/results.ts';
import { runLab } from '../lab/runner.ts';
import type { LabTarget } from '../lab/session.ts';
import type { LabSpec } from '../lab/spec/types.ts';
import { SshError } from '../ssh/errors.ts';
import { createSshPool, type SshPool } from '../ssh/pool.ts';
import { studentTargetName, targetsFromInventory } from '../ssh/targets.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { gradeSteps, totals, zeroSteps } from './score.ts';
import { subjectOf } from './subject.ts';
import { GRADE_FILE_VERSION, type GradeStatus, type StepGrade, type StudentGrade } from './types.ts';

export interface SshGradeOptions {
  readonly spec: LabSpec;
  readonly fingerprint: string;
  readonly student: InventoryStudent;
  /** Ctrl-C of the whole class run. */
  readonly signal: AbortSignal;
  /** This student's whole budget; past it the run is cut (cleanup still runs) and the student is interrupted. */
  readonly studentTimeoutMs: number;
  readonly stepTimeoutMs?: number;
  readonly wait?: boolean;
  readonly emit?: (event: RunEvent) => void;
}

function studentTarget(student: InventoryStudent, pool: SshPool): LabTarget {
  const hosts = [student.master, ...student.workers].map((h) => h.name);
  return {
    name: student.id,
    executor: pool,
    resolveHost(labHost) {
      if (!hosts.includes(labHost))
        throw new UserError(
          `student ${student.id} has no host ${labHost} in the inventory (it has ${hosts.join(', ')})`,
          EXIT.usage,
        );
      return studentTargetName(student.id, labHost);
    },
    close: () => pool.close(),
  };
}

/** Status and reason from a finished run: a lost host, an interruption, or a plain graded run. */
function statusOf(result: LabRunResult, deadlineHit: boolean): { status: GradeStatus; reason?: string } {
  if (result.interrupted)
    return {
      status: 'interrupted',
      reason: deadlineHit ? 'the student deadline passed' : 'interrupted (Ctrl-C)',
    };
  if (result.exitCode === 3)
    return {
      status: 'unreachable',
      reason: result.steps.find((s) => s.status === 'error')?.message ?? 'a host became unreachable',
    };
  return { status: 'graded' };
}

interface GradeOutcome {
  readonly status: GradeStatus;
  readonly reason?: string;
  readonly steps: StepGrade[];
  readonly cluster?: ClusterIdentity;
}

export async function gradeOverSsh(options: SshGradeOptions): Promise<StudentGrade> {
  const { spec, student } = options;
  const only = student.overrides?.steps;
  const startedAt = new Date();
  const base = {
    version: GRADE_FILE_VERSION,
    lab: spec.name,
    labFingerprint: options.fingerprint,
    ...subjectOf(student),
    source: 'ssh' as const,
    startedAt: startedAt.toISOString(),
  };
  const finish = (rest: GradeOutcome): StudentGrade => ({
    ...base,
    ...rest,
    ...totals(rest.steps),
    durationMs: Date.now() - startedAt.getTime(),
  });
  const deadline = AbortSignal.timeout(options.studentTimeoutMs);
  const signal = AbortSignal.any([options.signal, deadline]);
  const pool = createSshPool(targetsFromInventory({ students: [student] }));
  try {
    // One cheap command first: an unreachable cluster scores 0 with the reason, before any step runs.
    await pool.run(
      studentTargetName(student.id, student.master.name),
      { argv: ['true'] },
      { timeoutMs: 30_000, signal },
    );
    const result = await runLab(spec, studentTarget(student, pool), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      signal,
      identify: true,
      localEnv: {},
      ...(options.emit ? { emit: options.emit } : {}),
      ...(options.wait ? { wait: true } : {}),
      ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
      ...(student.overrides?.namespace ? { namespace: student.overrides.namespace } : {}),
    });
    const { status, reason } = statusOf(result, deadline.aborted && !options.signal.aborted);
    return finish({
      status,
      ...(reason ? { reason } : {}),
      steps: gradeSteps(spec.steps, result.steps, only),
      ...(result.cluster ? { cluster: result.cluster } : {}),
    });
  } catch (error) {
    if (error instanceof SshError) {
      const reason = `${error.shortMessage} — ${error.hint}`;
      return finish({
        status: 'unreachable',
        reason,
        steps: zeroSteps(spec.steps, `not run: ${reason}`, only),
      });
    }
    if (signal.aborted) {
      const reason = options.signal.aborted ? 'interrupted (Ctrl-C)' : 'the student deadline passed';
      return finish({
        status: 'interrupted',
        reason,
        steps: zeroSteps(spec.steps, `not run: ${reason}`, only),
      });
    }
    const reason = `labkit failed on this student: ${error instanceof Error ? error.message : String(error)}`;
    return finish({ status: 'error', reason, steps: zeroSteps(spec.steps, reason, only) });
  } finally {
    await pool.close().catch(() => undefined);
  }
}
