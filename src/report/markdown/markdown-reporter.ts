// A Markdown report for people: a summary table (status, points, time per step), then each failed step with
// the command, expected, actual and hint, and every step's spread histograms (each with its title).
import type { LabRunResult, StepResult } from '../../lab/results.ts';
import { stepHistograms } from '../histogram.ts';
import type { Reporter } from '../types.ts';

const ICON: Record<StepResult['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  skip: '⏭ skip',
  error: '⚠️ error',
};

/** Table cells cannot hold pipes or newlines. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

function stepSection(step: StepResult): string[] {
  const lines = [
    `### ${step.index}. ${cell(step.title)} (\`${step.id}\`): ${ICON[step.status]}`,
    '',
    cell(step.message),
    '',
  ];
  if (step.failure) {
    if (step.failure.command)
      lines.push('Command:', '', fence(`${step.failure.host ?? ''}$ ${step.failure.command}`), '');
    lines.push(
      'Expected:',
      '',
      fence(step.failure.expected),
      '',
      'Actual:',
      '',
      fence(step.failure.actual),
      '',
    );
  }
  for (const histogram of stepHistograms(step)) lines.push(fence(histogram.join('\n')), '');
  for (const d of step.diagnostics ?? [])
    lines.push(`Diagnostics \`${d.command}\`:`, '', fence(d.output), '');
  if (step.hint) lines.push(`> **Hint:** ${step.hint.replace(/\n/g, '\n> ')}`, '');
  return lines;
}

export function renderMarkdown(result: LabRunResult): string {
  const lines = [
    `# Lab ${cell(result.lab)}: ${cell(result.title)}`,
    '',
    `Target \`${cell(result.target)}\`, ${result.mode}, ${result.startedAt}, ${(result.durationMs / 1000).toFixed(1)} s: **${result.points}/${result.maxPoints} points**${result.interrupted ? ' (interrupted)' : ''}.`,
    '',
    '| # | step | status | points | time |',
    '|---|---|---|---|---|',
    ...result.steps.map(
      (s) =>
        `| ${s.index} | ${cell(s.title)} | ${ICON[s.status]} | ${s.points}/${s.maxPoints} | ${(s.durationMs / 1000).toFixed(1)} s |`,
    ),
    '',
    '## Steps',
    '',
    ...result.steps.flatMap(stepSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

export const markdownReporter: Reporter = { kind: 'md', render: renderMarkdown };
