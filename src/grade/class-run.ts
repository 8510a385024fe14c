// Grades a class: every selected student N at a time (p-limit), each isolated (ssh-student.ts) or read from
// their report (reports.ts). Each result is saved to DIR/students/ and the class files rebuilt the moment it is
// known. --resume keeps the students DIR already has (except interrupted or failed ones, graded again).
// Ctrl-C: no new student starts; running ones stop through their signal (their cleanup runs) and are saved
// as interrupted; the class files are written once more.
import { rm } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { InventoryStudent } from '../inventory/load.ts';
import type { RunEvent } from '../lab/results.ts';
import type { LabSpec } from '../lab/spec/types.ts';
import { classFlags } from './flags.ts';
import { classOutputWriter } from './outputs.ts';
import { gradeFromReport, type ReportFile } from './reports.ts';
import { gradeOverSsh } from './ssh-student.ts';
import { loadStudentGrades, prepareOutDir, saveStudentGrade, studentsDir } from './store.ts';
import type { Gradebook, GradeSubject, StudentGrade } from './types.ts';

/** One student to grade and how. */
export type PlannedStudent =
  | { readonly kind: 'ssh'; readonly subject: GradeSubject; readonly student: InventoryStudent }
  | {
      readonly kind: 'report';
      readonly subject: GradeSubject;
      readonly report?: ReportFile;
      readonly only?: readonly (string | number)[];
    };

export interface ClassProgress {
  studentStart(subject: GradeSubject): void;
  studentEvent(subject: GradeSubject, event: RunEvent): void;
  studentEnd(subject: GradeSubject, grade: StudentGrade, skipped: boolean): void;
}

/** Students graded at once unless the instructor says (`lab grade --concurrency`). */
export const DEFAULT_CONCURRENCY = 8;

export interface ClassRunOptions {
  readonly spec: LabSpec;
  readonly fingerprint: string;
  readonly planned: readonly PlannedStudent[];
  readonly outDir: string;
  readonly concurrency: number;
  readonly resume: boolean;
  readonly signal: AbortSignal;
  readonly studentTimeoutMs: number;
  readonly stepTimeoutMs?: number;
  readonly wait?: boolean;
  readonly progress: ClassProgress;
  /** Ids graded from a report but absent from the inventory (flagged). */
  readonly unlisted?: ReadonlySet<string>;
}

export function buildGradebook(
  spec: LabSpec,
  planned: readonly PlannedStudent[],
  grades: ReadonlyMap<string, StudentGrade>,
  unlisted?: ReadonlySet<string>,
): Gradebook {
  const known = planned.flatMap((p) => {
    const g = grades.get(p.subject.id);
    return g ? [g] : [];
  });
  const flags = classFlags(known, unlisted ? { unlisted } : {});
  return {
    lab: {
      name: spec.name,
      title: spec.title,
      steps: spec.steps.map((s) => ({ index: s.index, id: s.id, title: s.title, points: s.points })),
      maxPoints: spec.steps.reduce((sum, s) => sum + s.points, 0),
    },
    generatedAt: new Date().toISOString(),
    rows: planned.map((p) => {
      const grade = grades.get(p.subject.id);
      return { subject: p.subject, ...(grade ? { grade } : {}), flags: flags.get(p.subject.id) ?? [] };
    }),
  };
}

const RERUN: ReadonlySet<StudentGrade['status']> = new Set(['interrupted', 'error']);

async function gradeOne(p: PlannedStudent, o: ClassRunOptions): Promise<StudentGrade> {
  if (p.kind === 'report') return gradeFromReport(o.spec, o.fingerprint, p.subject, p.report, p.only);
  return gradeOverSsh({
    spec: o.spec,
    fingerprint: o.fingerprint,
    student: p.student,
    signal: o.signal,
    studentTimeoutMs: o.studentTimeoutMs,
    emit: (event) => o.progress.studentEvent(p.subject, event),
    ...(o.stepTimeoutMs !== undefined ? { stepTimeoutMs: o.stepTimeoutMs } : {}),
    ...(o.wait ? { wait: true } : {}),
  });
}

export async function gradeClass(o: ClassRunOptions): Promise<Gradebook> {
  await prepareOutDir(o.outDir);
  const grades = new Map<string, StudentGrade>();
  if (o.resume) {
    for (const [id, g] of await loadStudentGrades(o.outDir, o.spec.name, o.fingerprint))
      if (!RERUN.has(g.status)) grades.set(id, g);
  } else {
    // A new grading: results of an earlier one in this folder must not mix in.
    await rm(studentsDir(o.outDir), { recursive: true, force: true });
    await prepareOutDir(o.outDir);
  }
  const write = classOutputWriter(o.outDir);
  const book = () => buildGradebook(o.spec, o.planned, grades, o.unlisted);
  await write(book());
  const limit = pLimit(o.concurrency);
  await Promise.all(
    o.planned.map((p) =>
      limit(async () => {
        const done = grades.get(p.subject.id);
        if (done) return o.progress.studentEnd(p.subject, done, true);
        if (o.signal.aborted) return;
        o.progress.studentStart(p.subject);
        const grade = await gradeOne(p, o);
        await saveStudentGrade(o.outDir, grade);
        grades.set(grade.id, grade);
        o.progress.studentEnd(p.subject, grade, false);
        await write(book());
      }),
    ),
  );
  const final = book();
  await write(final);
  return final;
}
