// Which steps a run covers: all, `--step N|ID` (one), or `--from N|ID` (that one and every later one).
import { EXIT, UserError } from '../util/exit-codes.ts';
import type { LabSpec, StepSpec } from './spec/types.ts';

export interface StepSelection {
  readonly step?: string;
  readonly from?: string;
}

/** Finds a step by its 1-based number or its id; the error lists what exists. */
export function findStep(spec: LabSpec, ref: string, flag: string): StepSpec {
  const byNumber = /^\d+$/.test(ref) ? spec.steps[Number(ref) - 1] : undefined;
  const step = byNumber ?? spec.steps.find((s) => s.id === ref);
  if (!step)
    throw new UserError(
      `${flag} ${JSON.stringify(ref)}: lab ${spec.name} has steps 1-${spec.steps.length} (${spec.steps.map((s) => s.id).join(', ')}); see \`lab explain ${spec.name}\``,
      EXIT.usage,
    );
  return step;
}

export function selectSteps(spec: LabSpec, selection: StepSelection): readonly StepSpec[] {
  if (selection.step !== undefined && selection.from !== undefined)
    throw new UserError('use either --step or --from, not both', EXIT.usage);
  if (selection.step !== undefined) return [findStep(spec, selection.step, '--step')];
  if (selection.from !== undefined)
    return spec.steps.slice(findStep(spec, selection.from, '--from').index - 1);
  return spec.steps;
}
