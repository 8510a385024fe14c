// A digest of what a lab grades: its name and, per step, id, title, points and the checks (kind and title).
// A report carries it so a grader can refuse a report of another lab, or of another version of this one. Titles
// are the English ones, so a student's Korean report matches an instructor's English run.
import { createHash } from 'node:crypto';
import type { LabSpec } from './spec/types.ts';

export function labFingerprint(spec: Pick<LabSpec, 'name' | 'steps'>): string {
  const shape = {
    name: spec.name,
    steps: spec.steps.map((s) => ({
      index: s.index,
      id: s.id,
      title: s.stableTitle,
      points: s.points,
      checks: s.checks.map((c) => [c.kind === 'command' ? 'command' : c.check.name, c.stableTitle]),
    })),
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(shape)).digest('hex')}`;
}
