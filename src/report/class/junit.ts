// junit.xml: a testsuite per student, a testcase per step (failure with command, expected, actual, hint; an
// unreachable cluster or refused report as an error; excused and not-run steps skipped), for CI dashboards.
// The one XML writer of src/report/junit/xml.ts escapes every name and message.
import type { Gradebook, GradebookRow, StepGrade } from '../../grade/types.ts';
import { xmlDocument, type XmlElement } from '../junit/xml.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function failureText(step: StepGrade): string {
  const f = step.failure;
  return [
    f?.command ? `command: ${f.host ? `${f.host}$ ` : ''}${f.command}` : undefined,
    f ? `expected: ${f.expected}` : undefined,
    f ? `actual: ${f.actual}` : undefined,
    step.hint ? `hint: ${step.hint}` : undefined,
  ]
    .filter((l): l is string => l !== undefined)
    .join('\n');
}

function testcase(lab: string, row: GradebookRow, step: StepGrade): XmlElement {
  const grade = row.grade;
  const children: XmlElement[] = [];
  const blocked = grade && grade.status !== 'graded';
  if (step.status === 'excused' || (step.status === 'skip' && !blocked))
    children.push({ name: 'skipped', attrs: { message: step.message } });
  else if (blocked || step.status === 'error')
    children.push({
      name: 'error',
      attrs: { message: grade?.reason ?? step.message, type: grade?.status ?? 'error' },
      text: failureText(step),
    });
  else if (step.status === 'fail')
    children.push({
      name: 'failure',
      attrs: { message: step.message, type: 'CheckFailed' },
      text: failureText(step),
    });
  return {
    name: 'testcase',
    attrs: {
      classname: `lab.${lab}.${row.subject.id}`,
      name: `${step.index} ${step.id}: ${step.title} (${step.points}/${step.maxPoints})`,
      time: seconds(step.durationMs),
    },
    children,
  };
}

export function renderGradesJunit(book: Gradebook): string {
  const suites = book.rows.flatMap((row): XmlElement[] => {
    const grade = row.grade;
    if (!grade) return [];
    const count = (...s: StepGrade['status'][]) => grade.steps.filter((x) => s.includes(x.status)).length;
    const blocked = grade.status !== 'graded';
    return [
      {
        name: 'testsuite',
        attrs: {
          name: `${row.subject.id}${row.subject.name ? ` (${row.subject.name})` : ''}`,
          tests: grade.steps.length,
          failures: blocked ? 0 : count('fail'),
          errors: blocked ? grade.steps.length - count('excused') : count('error'),
          skipped: blocked ? count('excused') : count('excused', 'skip'),
          time: seconds(grade.durationMs),
          timestamp: grade.startedAt,
        },
        children: [
          {
            name: 'properties',
            children: [
              { name: 'property', attrs: { name: 'points', value: `${grade.points}/${grade.maxPoints}` } },
              { name: 'property', attrs: { name: 'status', value: grade.status } },
              { name: 'property', attrs: { name: 'source', value: grade.source } },
              ...row.flags.map((f) => ({ name: 'property', attrs: { name: 'flag', value: f } })),
            ],
          },
          ...grade.steps.map((s) => testcase(book.lab.name, row, s)),
        ],
      },
    ];
  });
  return xmlDocument({
    name: 'testsuites',
    attrs: { name: `lab ${book.lab.name} grades` },
    children: suites,
  });
}
