// Students' own `lab check --report json:FILE` reports (clusters on laptops behind NAT, out of SSH's reach),
// graded like an SSH run but marked self-reported. A report is refused, with the reason, when it is not a
// labkit JSON report, its checksum does not match (edited or damaged), or it is of another lab or another
// version of this one. Points always come from the lab spec, never from the file.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { clusterIdentitySchema } from '../cluster/identity.ts';
import type { LabSpec } from '../lab/spec/types.ts';
import { reportDigest } from '../report/json/integrity.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { gradeStep, totals, zeroSteps } from './score.ts';
import { GRADE_FILE_VERSION, type GradeSubject, type StepGrade, type StudentGrade } from './types.ts';

const reportSchema = z.object({
  version: z.literal(1),
  lab: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  labFingerprint: z.string().nullable(),
  cluster: clusterIdentitySchema.nullable(),
  steps: z.array(
    z.object({
      index: z.number(),
      id: z.string(),
      title: z.string(),
      status: z.enum(['pass', 'fail', 'skip', 'error']),
      durationMs: z.number(),
      message: z.string(),
      expected: z.string().optional(),
      actual: z.string().optional(),
      failedCommand: z.string().nullable().optional(),
      hint: z.string().optional(),
      checks: z.array(z.record(z.string(), z.unknown())),
      commands: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  integrity: z.object({ algorithm: z.literal('sha256'), digest: z.string() }),
});
type Report = z.output<typeof reportSchema>;

export interface ReportFile {
  /** The student id: the file's name without `.json`. */
  readonly id: string;
  readonly file: string;
}

/** `DIR/*.json`, one per student, named by student id. */
export async function listReports(dir: string): Promise<ReportFile[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `--reports ${dir}: cannot read the folder (${error.code ?? error.message})`,
      EXIT.usage,
    );
  });
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .map((n) => ({ id: basename(n, '.json'), file: join(dir, n) }));
}

/** Why a report cannot be counted, or the parsed report. */
function verify(text: string, spec: LabSpec, fingerprint: string): Report | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'not JSON: hand in the file `lab check --report json:FILE` wrote';
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `not a labkit check report (${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}); run \`lab check ${spec.name} --report json:FILE\` with this labkit`;
  }
  const report = parsed.data;
  if (reportDigest(data as Record<string, unknown>) !== report.integrity.digest)
    return 'checksum mismatch: the file was changed after lab check wrote it';
  if (report.lab !== spec.name) return `a report of lab ${report.lab}, not ${spec.name}`;
  if (report.labFingerprint !== fingerprint)
    return `made with another version of lab ${spec.name} (its steps or checks differ): run lab check again with the course's labkit`;
  return report;
}

function stepsFromReport(spec: LabSpec, report: Report, only?: readonly (string | number)[]): StepGrade[] {
  return spec.steps.map((s) => {
    const r = report.steps.find((x) => x.id === s.id);
    const failure =
      r && r.status !== 'pass' && r.expected !== undefined
        ? {
            check: r.message,
            ...(r.failedCommand ? { command: r.failedCommand } : {}),
            expected: r.expected,
            actual: r.actual ?? '',
          }
        : undefined;
    return gradeStep(s, r && { ...r, ...(failure ? { failure } : {}) }, only);
  });
}

export async function gradeFromReport(
  spec: LabSpec,
  fingerprint: string,
  subject: GradeSubject,
  report: ReportFile | undefined,
  only?: readonly (string | number)[],
): Promise<StudentGrade> {
  const base = {
    version: GRADE_FILE_VERSION,
    lab: spec.name,
    labFingerprint: fingerprint,
    ...subject,
    source: 'report' as const,
  };
  const zero = (status: 'missing' | 'rejected', reason: string): StudentGrade => {
    const steps = zeroSteps(spec.steps, reason, only);
    return {
      ...base,
      status,
      reason,
      steps,
      ...totals(steps),
      startedAt: new Date().toISOString(),
      durationMs: 0,
    };
  };
  if (!report) return zero('missing', 'no report handed in');
  const text = await readFile(report.file, 'utf8').catch(() => undefined);
  if (text === undefined) return zero('rejected', `cannot read ${basename(report.file)}`);
  const verified = verify(text, spec, fingerprint);
  if (typeof verified === 'string') return zero('rejected', `${basename(report.file)}: ${verified}`);
  const steps = stepsFromReport(spec, verified, only);
  return {
    ...base,
    status: 'graded',
    steps,
    ...totals(steps),
    ...(verified.cluster ? { cluster: verified.cluster } : {}),
    startedAt: verified.startedAt,
    durationMs: verified.durationMs,
  };
}
