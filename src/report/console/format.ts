// Text the console shows for a step and a run, shared by the live (listr2) and plain displays.
import type { CheckResult, LabRunResult, StepResult } from '../../lab/results.ts';
import { stepHistograms } from '../histogram.ts';

const MARK: Record<StepResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERROR',
};

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
  const tries = check.attempts > 1 ? `${check.attempts} attempts, ` : '';
  return `${mark} ${check.title} (${tries}${seconds(check.durationMs)})`;
}

/** What went wrong and what to do: the command, expected, actual, hint. */
export function failureLines(step: StepResult): string[] {
  const lines = [`${MARK[step.status]} ${step.index} ${step.id}: ${step.message}`];
  const f = step.failure;
  if (f?.command)
    lines.push(`    command:  ${f.host ? `${f.host}$ ` : ''}${indent(f.command, '              ')}`);
  if (f)
    lines.push(
      `    expected: ${indent(f.expected, '              ')}`,
      `    actual:   ${indent(f.actual, '              ')}`,
    );
  lines.push(...histogramLines(step));
  if (step.hint) lines.push(`    hint:     ${indent(step.hint, '              ')}`);
  for (const d of step.diagnostics ?? [])
    lines.push(`    diagnose: ${d.command}`, ...d.output.split('\n').map((l) => `      ${l}`));
  for (const c of step.cleanup) if (!c.ok) lines.push(`    cleanup ${c.label} failed: ${c.message}`);
  return lines;
}

export function stepLines(step: StepResult): string[] {
  if (step.status === 'pass')
    return [
      `${MARK.pass} ${step.index} ${step.id}: ${step.title} (${seconds(step.durationMs)})`,
      ...histogramLines(step),
    ];
  return failureLines(step);
}

/** Per-step timings and points, then the total. */
export function summaryLines(result: LabRunResult): string[] {
  const width = Math.max(4, ...result.steps.map((s) => `${s.index} ${s.id}`.length));
  return [
    `${'step'.padEnd(width)}  status  points  time`,
    ...result.steps.map(
      (s) =>
        `${`${s.index} ${s.id}`.padEnd(width)}  ${s.status.padEnd(6)}  ${`${s.points}/${s.maxPoints}`.padEnd(6)}  ${seconds(s.durationMs)}`,
    ),
    `${result.lab} on ${result.target}: ${result.points}/${result.maxPoints} points, ${result.steps.filter((s) => s.status === 'pass').length}/${result.steps.length} steps passed in ${seconds(result.durationMs)}${result.interrupted ? ' (interrupted)' : ''}`,
  ];
}
