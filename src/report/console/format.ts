// Text the console shows for a step and a run, shared by the live (listr2) and plain displays. Words come from
// the message catalog (src/i18n), columns are padded by display width so Korean titles line up.
import { t } from '../../i18n/index.ts';
import type { CheckResult, LabRunResult, StepResult } from '../../lab/results.ts';
import { maxWidth, padEndWidth, truncateWidth } from '../../util/display-width.ts';
import { stepHistograms } from '../histogram.ts';

/** Titles in the summary table are cut to this many cells, so a row fits a terminal. */
const SUMMARY_TITLE_WIDTH = 48;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

/** The step's histograms, indented to sit under its line; the same text in a TTY and in plain output. */
export function histogramLines(step: StepResult): string[] {
  return stepHistograms(step).flatMap((h) => h.map((l) => `    ${l}`));
}

export function checkLine(check: CheckResult): string {
  const mark = check.status === 'pass' ? '✔' : check.status === 'skip' ? '-' : '✖';
  const tries = check.attempts > 1 ? t().run.attempts(check.attempts) : '';
  return `${mark} ${check.title} (${tries}${seconds(check.durationMs)})`;
}

/** What went wrong and what to do: the command, expected, actual, hint; labels in one column. */
export function failureLines(step: StepResult): string[] {
  const m = t().run;
  const column = maxWidth([m.command, m.expected, m.actual, m.hint]) + 1;
  const pad = ' '.repeat(4 + column);
  const field = (label: string, text: string) => `    ${padEndWidth(label, column)}${indent(text, pad)}`;
  const lines = [`${t().status[step.status]} ${step.index} ${step.id}: ${step.message}`];
  const f = step.failure;
  if (f?.command) lines.push(field(m.command, `${f.host ? `${f.host}$ ` : ''}${f.command}`));
  if (f) lines.push(field(m.expected, f.expected), field(m.actual, f.actual));
  lines.push(...histogramLines(step));
  if (step.hint) lines.push(field(m.hint, step.hint));
  for (const d of step.diagnostics ?? [])
    lines.push(`    ${m.diagnose} ${d.command}`, ...d.output.split('\n').map((l) => `      ${l}`));
  for (const c of step.cleanup) if (!c.ok) lines.push(`    ${m.cleanupFailed(c.label, c.message)}`);
  return lines;
}

export function stepLines(step: StepResult): string[] {
  if (step.status === 'pass')
    return [
      `${t().status.pass} ${step.index} ${step.id}: ${step.title} (${seconds(step.durationMs)})`,
      ...histogramLines(step),
    ];
  return failureLines(step);
}

/** Rows of cells → lines with every column but the last padded to its widest cell (by display width). */
export function alignColumns(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const widths = rows[0]?.map((_, i) => maxWidth(rows.map((r) => r[i] ?? ''))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i < r.length - 1 ? padEndWidth(cell, widths[i] ?? 0) : cell))
      .join(gap)
      .trimEnd(),
  );
}

/** Per-step title, status, points and time, then the total. */
export function summaryLines(result: LabRunResult): string[] {
  const m = t();
  const h = m.run.summaryHead;
  const rows = [
    [h.step, h.title, h.status, h.points, h.time],
    ...result.steps.map((s) => [
      `${s.index} ${s.id}`,
      truncateWidth(s.title, SUMMARY_TITLE_WIDTH),
      m.status[s.status],
      `${s.points}/${s.maxPoints}`,
      seconds(s.durationMs),
    ]),
  ];
  const passed = result.steps.filter((s) => s.status === 'pass').length;
  return [
    ...alignColumns(rows),
    m.run.summaryTotal(
      result.lab,
      result.target,
      `${result.points}/${result.maxPoints}`,
      passed,
      result.steps.length,
      seconds(result.durationMs),
      result.interrupted,
    ),
  ];
}
