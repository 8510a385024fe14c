// Small gradebooks for the class-report tests: a lab of three steps and students in every state.
import { buildGradebook, type PlannedStudent } from '../../../src/grade/class-run.ts';
import { gradeSteps, totals, zeroSteps } from '../../../src/grade/score.ts';
import { GRADE_FILE_VERSION, type GradeSubject, type StudentGrade } from '../../../src/grade/types.ts';
import type { StepResult } from '../../../src/lab/results.ts';
import type { LabSpec } from '../../../src/lab/spec/types.ts';

export const SPEC = {
  name: 'service',
  title: 'Service <lab>',
  steps: [
    { index: 1, id: 'deployment', title: 'Deployment', points: 10, timeoutMs: 1000, checks: [] },
    { index: 2, id: 'service', title: 'Service', points: 20, timeoutMs: 1000, checks: [] },
    { index: 3, id: 'affinity', title: 'Affinity', points: 10, timeoutMs: 1000, checks: [] },
  ],
} as unknown as LabSpec;

export function stepResult(
  id: string,
  status: StepResult['status'],
  message = status === 'pass' ? 'ok' : `${id} failed`,
): StepResult {
  const index = SPEC.steps.findIndex((s) => s.id === id) + 1;
  return {
    index,
    id,
    title: id,
    stableTitle: id,
    status,
    durationMs: 1234.4,
    points: 0,
    maxPoints: 0,
    message,
    ...(status === 'fail'
      ? {
          failure: {
            check: 'c',
            command: 'kubectl get svc x',
            host: 'master-node',
            expected: 'exists',
            actual: 'NotFound',
          },
          hint: 'apply it',
        }
      : {}),
    commands: [],
    checks: [],
    cleanup: [],
  };
}

export function grade(
  subject: GradeSubject,
  statuses: StepResult['status'][],
  extra: Partial<StudentGrade> = {},
  only?: (string | number)[],
): StudentGrade {
  const steps = gradeSteps(
    SPEC.steps,
    SPEC.steps.map((s, i) => stepResult(s.id, statuses[i] ?? 'skip')),
    only,
  );
  return {
    version: GRADE_FILE_VERSION,
    lab: 'service',
    labFingerprint: 'sha256:x',
    ...subject,
    source: 'ssh',
    status: 'graded',
    steps,
    ...totals(steps),
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5000,
    ...extra,
  };
}

export function unreachable(subject: GradeSubject, reason: string): StudentGrade {
  const steps = zeroSteps(SPEC.steps, `not run: ${reason}`);
  return { ...grade(subject, []), status: 'unreachable', reason, steps, ...totals(steps) };
}

export function book(grades: StudentGrade[], pending: GradeSubject[] = []) {
  const subjectOf = (g: StudentGrade): GradeSubject => ({
    id: g.id,
    ...(g.name !== undefined ? { name: g.name } : {}),
    ...(g.email !== undefined ? { email: g.email } : {}),
    ...(g.lmsId !== undefined ? { lmsId: g.lmsId } : {}),
  });
  const planned: PlannedStudent[] = [...grades.map(subjectOf), ...pending].map((subject) => ({
    kind: 'report',
    subject,
  }));
  return buildGradebook(SPEC, planned, new Map(grades.map((g) => [g.id, g])));
}
