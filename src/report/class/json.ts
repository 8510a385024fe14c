// grades.json: everything, for machines: the lab, class statistics, and per student the grade with every step's
// status, points, message, failure (command/expected/actual), hint, checks, commands and durations, its cluster
// identity and flags.
import { classStats } from '../../grade/stats.ts';
import type { Gradebook } from '../../grade/types.ts';

export function renderGradesJson(book: Gradebook): string {
  return `${JSON.stringify(
    {
      version: 1,
      generatedAt: book.generatedAt,
      lab: book.lab,
      stats: classStats(book),
      students: book.rows.map(({ subject, grade, flags }) => ({
        ...subject,
        status: grade?.status ?? 'pending',
        flags,
        grade: grade ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}
