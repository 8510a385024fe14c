// The one drawing of a spread (src/checks/types.ts Spread), for every reporter that shows one (console, markdown,
// JUnit): a title saying what was counted, with the fit where the check judged one, then a bar per pod scaled
// to the largest count.
import type { Spread } from '../checks/types.ts';
import type { StepResult } from '../lab/results.ts';
import { maxWidth, padEndWidth } from '../util/display-width.ts';

/** 0.39 stays readable; 2.1e-7 does not round to 0.00. */
function formatP(p: number): string {
  return p >= 0.01 ? p.toFixed(2) : p.toExponential(1);
}

/** "60 requests by ClusterIP:8080 over 3 pods, chi² 1.9, p 0.39" */
export function histogramTitle(spread: Spread): string {
  return [
    spread.what,
    ...(spread.chiSquared !== undefined ? [`chi² ${spread.chiSquared.toFixed(1)}`] : []),
    ...(spread.pValue !== undefined ? [`p ${formatP(spread.pValue)}`] : []),
  ].join(', ');
}

/** The title, then `  name │██████ 21 (35%)` per pod in the spread's order. */
export function renderHistogram(spread: Spread, width = 30): string[] {
  const entries = Object.entries(spread.counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const label = maxWidth(entries.map(([name]) => name));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return [
    histogramTitle(spread),
    ...entries.map(([name, n]) => {
      // A count too small for one full block still shows a sliver, so no answering pod looks silent.
      const bar = '█'.repeat(Math.round((n / max) * width)) || (n > 0 ? '▏' : '');
      const pct = total > 0 ? ` (${Math.round((n / total) * 100)}%)` : '';
      return `  ${padEndWidth(name, label)} │${bar} ${n}${pct}`;
    }),
  ];
}

/** Every histogram of a step, one per check that observed a spread, in check order. */
export function stepHistograms(step: StepResult): string[][] {
  return step.checks.flatMap((c) => (c.observed?.spread ? [renderHistogram(c.observed.spread)] : []));
}
