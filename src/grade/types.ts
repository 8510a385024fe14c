// The gradebook's records. A student's grade is written to DIR/students/<id>.json as soon as it is known and
// read back by --resume, so its shape is a zod schema (a file from another version or edited by hand is
// refused with the reason, never half-trusted).
import { z } from 'zod';
import { clusterIdentitySchema } from '../cluster/identity.ts';

export const GRADE_FILE_VERSION = 1 as const;

export const stepGradeSchema = z.object({
  index: z.number().int(),
  id: z.string(),
  title: z.string(),
  /** excused: an inventory override left this step out (0 of 0 points). */
  status: z.enum(['pass', 'fail', 'skip', 'error', 'excused']),
  points: z.number(),
  maxPoints: z.number(),
  message: z.string(),
  durationMs: z.number(),
  failure: z
    .object({
      check: z.string(),
      command: z.string().optional(),
      host: z.string().optional(),
      expected: z.string(),
      actual: z.string(),
    })
    .optional(),
  hint: z.string().optional(),
  /** Every check and command of the step as the run recorded them (grades.json carries everything). */
  checks: z.array(z.record(z.string(), z.unknown())),
  commands: z.array(z.record(z.string(), z.unknown())),
});
export type StepGrade = z.output<typeof stepGradeSchema>;

/** graded: the lab ran (over SSH or from the student's report); unreachable: no host answered (0 points);
 *  rejected: a report that failed its checks; missing: no report handed in; interrupted: Ctrl-C or the
 *  student's deadline cut the run (re-run by --resume); error: labkit failed on this student. */
export const GRADE_STATUSES = [
  'graded',
  'unreachable',
  'rejected',
  'missing',
  'interrupted',
  'error',
] as const;
export type GradeStatus = (typeof GRADE_STATUSES)[number];

export const studentGradeSchema = z.object({
  version: z.literal(GRADE_FILE_VERSION),
  lab: z.string(),
  labFingerprint: z.string(),
  id: z.string(),
  classId: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  lmsId: z.string().optional(),
  source: z.enum(['ssh', 'report']),
  status: z.enum(GRADE_STATUSES),
  /** Why the status is not plain `graded`, in one line. */
  reason: z.string().optional(),
  points: z.number(),
  maxPoints: z.number(),
  steps: z.array(stepGradeSchema),
  cluster: clusterIdentitySchema.optional(),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type StudentGrade = z.output<typeof studentGradeSchema>;

/** A student to grade: who, and (for SSH) which inventory entry. */
export interface GradeSubject {
  readonly id: string;
  readonly classId?: string;
  readonly name?: string;
  readonly email?: string;
  readonly lmsId?: string;
}

/** The class at one moment: the lab's steps, every selected student's grade so far, and the flags found
 *  across students (duplicates). Renderers (src/report/class/) read only this. */
export interface Gradebook {
  readonly lab: {
    readonly name: string;
    readonly title: string;
    readonly steps: readonly {
      readonly index: number;
      readonly id: string;
      readonly title: string;
      readonly points: number;
    }[];
    readonly maxPoints: number;
  };
  readonly generatedAt: string;
  /** One row per selected student, in inventory (or file name) order; `grade` undefined while pending. */
  readonly rows: readonly GradebookRow[];
}

export interface GradebookRow {
  readonly subject: GradeSubject;
  readonly grade?: StudentGrade;
  /** Warnings for the instructor, e.g. `same cluster as bob (kube-system uid ...)`, `self-reported`. */
  readonly flags: readonly string[];
}
