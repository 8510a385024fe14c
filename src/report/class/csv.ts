// grades.csv: a row per student (id, name, email, LMS id, class, a column per step with its points, total,
// maximum, status, source, flags, reason), for a spreadsheet or an LMS gradebook import. RFC 4180 quoting; a
// text cell that a spreadsheet would run as a formula (= + - @, tab, CR first) is prefixed with ' (OWASP's
// CSV injection advice); a UTF-8 byte order mark so Excel reads names in any script.
import type { Gradebook } from '../../grade/types.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell: neutralised against formula injection, quoted when it holds , " CR LF or edge spaces. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderGradesCsv(book: Gradebook): string {
  const steps = book.lab.steps;
  const header = [
    'id',
    'name',
    'email',
    'lms_id',
    'class',
    ...steps.map((s) => `${s.index} ${s.id} (${s.points})`),
    'total',
    'max',
    'status',
    'source',
    'flags',
    'reason',
  ];
  const rows = book.rows.map(({ subject, grade, flags }) => {
    const byId = new Map(grade?.steps.map((s) => [s.id, s]) ?? []);
    return [
      subject.id,
      subject.name,
      subject.email,
      subject.lmsId,
      subject.classId,
      ...steps.map((s) => {
        const step = byId.get(s.id);
        return step === undefined ? undefined : step.status === 'excused' ? 'excused' : step.points;
      }),
      grade?.points,
      grade?.maxPoints,
      grade?.status ?? 'pending',
      grade?.source,
      flags.join('; ') || undefined,
      grade?.reason,
    ];
  });
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
