// summary.md: the class at a glance: how many were graded, mean and median, pass rate per step, the steps
// failed most with their most common failure message, and the students who need a look (unreachable,
// refused reports, duplicates). Every cell escaped: student names may hold | ` < or newlines.
import { classStats } from '../../grade/stats.ts';
import type { Gradebook } from '../../grade/types.ts';
import { t } from '../../i18n/index.ts';

/** Text safe in a Markdown table cell (and in renderers that allow inline HTML). */
export function mdCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|<>&#]/g, (c) => `&#${c.charCodeAt(0)};`)
    .trim();
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
const num = (x: number | undefined) =>
  x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(1);

export function renderSummaryMarkdown(book: Gradebook): string {
  const st = classStats(book);
  const g = t().grade;
  const c = g.column;
  const lines = [
    `# ${mdCell(g.heading(book.lab.title))}`,
    '',
    g.labLine(`\`${book.lab.name}\``, book.lab.maxPoints, book.generatedAt),
    '',
    `- ${g.counts(
      st.students,
      st.graded,
      Object.entries(st.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    )}`,
    `- ${g.meanMedian(num(st.mean), num(st.median), st.maxPoints)}`,
    '',
    `## ${g.passRate}`,
    '',
    `| ${c.step} | ${c.points} | ${c.passed} | ${c.passRate} |`,
    '|---|---:|---:|---:|',
    ...st.steps.map(
      (s) => `| ${s.index} ${mdCell(s.id)} | ${s.points} | ${s.passed}/${s.graded} | ${pct(s.passRate)} |`,
    ),
    '',
    `## ${g.mostFailed}`,
    '',
    ...(st.mostFailed.length
      ? [
          `| ${c.step} | ${c.failed} | ${c.topFailure} |`,
          '|---|---:|---|',
          ...st.mostFailed.map(
            (s) =>
              `| ${s.index} ${mdCell(s.id)} | ${s.failed} | ${mdCell(s.topFailure?.message ?? '')} (${s.topFailure?.count ?? 0}) |`,
          ),
        ]
      : [g.noStepFailed]),
  ];
  const attention = book.rows.filter(
    (r) => (r.grade && r.grade.status !== 'graded') || r.flags.some((f) => !f.startsWith('self')),
  );
  if (attention.length)
    lines.push(
      '',
      `## ${g.needsLook}`,
      '',
      `| ${c.student} | ${c.status} | ${c.reasons} |`,
      '|---|---|---|',
      ...attention.map(
        (r) =>
          `| ${mdCell(r.subject.id)}${r.subject.name ? ` (${mdCell(r.subject.name)})` : ''} | ${r.grade?.status ?? 'pending'} | ${mdCell([r.grade?.reason, ...r.flags].filter(Boolean).join('; '))} |`,
      ),
    );
  return `${lines.join('\n')}\n`;
}
