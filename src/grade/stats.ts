// Class statistics for the summary and the HTML report: totals of the graded students (mean, median), pass
// rate per step, the steps failed most with their most common failure message, the distribution of scores.
import { mean, median } from 'simple-statistics';
import type { Gradebook } from './types.ts';

export interface StepStats {
  readonly index: number;
  readonly id: string;
  readonly title: string;
  readonly points: number;
  /** Students for whom this step counted (graded, not excused). */
  readonly graded: number;
  readonly passed: number;
  /** passed / graded, 0 when nobody was graded. */
  readonly passRate: number;
  readonly failed: number;
  /** The most common failure message of the step and how many students had it. */
  readonly topFailure?: { readonly message: string; readonly count: number };
}

export interface ClassStats {
  readonly students: number;
  /** Students with a score (graded, unreachable, missing or rejected: the last three score 0). */
  readonly graded: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly maxPoints: number;
  readonly mean?: number;
  readonly median?: number;
  readonly steps: readonly StepStats[];
  /** Most failed first (ties by step order); steps nobody failed are left out. */
  readonly mostFailed: readonly StepStats[];
  /** Scores of graded students as a percentage of their own maximum, in 10 bins: [0,10), ..., [90,100]. */
  readonly distribution: readonly number[];
}

// Messages differ per student in pod names and IPs; counted by their shape.
function shapeOf(message: string): string {
  return message
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>')
    .replace(/\b([a-z0-9]+-)+[a-z0-9]{5}\b/g, '<pod>')
    .replace(/\b(labkit-[a-z]+-)[0-9a-f]{6}\b/g, '$1<id>');
}

export function classStats(book: Gradebook): ClassStats {
  const grades = book.rows.flatMap((r) => (r.grade ? [r.grade] : []));
  // Scored: counted in the totals (an unreachable cluster or a missing report scores 0). Ran: the steps ran.
  const scored = grades.filter((g) => g.status !== 'interrupted' && g.status !== 'error');
  const ran = grades.filter((g) => g.status === 'graded');
  const byStatus: Record<string, number> = {};
  for (const r of book.rows) {
    const status = r.grade?.status ?? 'pending';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const steps = book.lab.steps.map((s): StepStats => {
    const counted = ran.flatMap((g) => g.steps.filter((x) => x.id === s.id && x.status !== 'excused'));
    const passed = counted.filter((x) => x.status === 'pass').length;
    const messages = new Map<string, number>();
    for (const x of counted)
      if (x.status !== 'pass') messages.set(shapeOf(x.message), (messages.get(shapeOf(x.message)) ?? 0) + 1);
    const top = [...messages].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    return {
      ...s,
      graded: counted.length,
      passed,
      passRate: counted.length ? passed / counted.length : 0,
      failed: counted.length - passed,
      ...(top ? { topFailure: { message: top[0], count: top[1] } } : {}),
    };
  });
  const percents = scored.map((g) => (g.maxPoints > 0 ? (100 * g.points) / g.maxPoints : 0));
  const distribution = Array.from({ length: 10 }, () => 0);
  for (const p of percents) {
    const bin = Math.min(9, Math.floor(p / 10));
    distribution[bin] = (distribution[bin] ?? 0) + 1;
  }
  const totals = scored.map((g) => g.points);
  return {
    students: book.rows.length,
    graded: scored.length,
    byStatus,
    maxPoints: book.lab.maxPoints,
    ...(totals.length ? { mean: mean(totals), median: median(totals) } : {}),
    steps,
    mostFailed: steps.filter((s) => s.failed > 0).sort((a, b) => b.failed - a.failed || a.index - b.index),
    distribution,
  };
}
