// Points per step, from the lab spec: a passed step earns the spec's points, anything else 0; a step an
// inventory override leaves out is excused (0 of 0, not counted). The same results always give the same grade.
import type { StepResult } from '../lab/results.ts';
import type { StepGrade } from './types.ts';

export interface SpecStep {
  readonly index: number;
  readonly id: string;
  readonly title: string;
  readonly points: number;
}

/** Whether an override list (ids or 1-based numbers) includes a step; no list includes every step. */
export function stepIncluded(
  step: { index: number; id: string },
  only?: readonly (string | number)[],
): boolean {
  return (
    only === undefined || only.some((r) => r === step.id || r === step.index || r === String(step.index))
  );
}

/** What scoring reads of a step's run: a StepResult, or a step of a student's JSON report. */
export interface StepOutcome {
  readonly status: StepResult['status'];
  readonly message: string;
  readonly durationMs: number;
  readonly failure?: StepResult['failure'];
  readonly hint?: string;
  readonly checks: readonly object[];
  readonly commands: readonly object[];
}

export function gradeStep(
  spec: SpecStep,
  result: StepOutcome | undefined,
  only?: readonly (string | number)[],
): StepGrade {
  const included = stepIncluded(spec, only);
  const status = !included ? 'excused' : (result?.status ?? 'skip');
  return {
    index: spec.index,
    id: spec.id,
    title: spec.title,
    status,
    points: status === 'pass' ? spec.points : 0,
    maxPoints: included ? spec.points : 0,
    message: !included ? 'excused (inventory override)' : (result?.message ?? 'not run'),
    durationMs: Math.round(result?.durationMs ?? 0),
    ...(included && result?.failure ? { failure: result.failure } : {}),
    ...(included && result?.hint ? { hint: result.hint } : {}),
    checks: (result?.checks ?? []).map((c) => ({ ...c })),
    commands: (result?.commands ?? []).map((c) => ({ ...c })),
  };
}

export function gradeSteps(
  specSteps: readonly SpecStep[],
  results: readonly StepResult[],
  only?: readonly (string | number)[],
): StepGrade[] {
  return specSteps.map((s) =>
    gradeStep(
      s,
      results.find((r) => r.id === s.id),
      only,
    ),
  );
}

export function totals(steps: readonly StepGrade[]): { points: number; maxPoints: number } {
  return {
    points: steps.reduce((sum, s) => sum + s.points, 0),
    maxPoints: steps.reduce((sum, s) => sum + s.maxPoints, 0),
  };
}

/** Every step at 0 with one reason (unreachable, missing or rejected report). */
export function zeroSteps(
  specSteps: readonly SpecStep[],
  reason: string,
  only?: readonly (string | number)[],
): StepGrade[] {
  return specSteps.map((s) => {
    const step = gradeStep(s, undefined, only);
    return step.status === 'excused' ? step : { ...step, message: reason };
  });
}
