// The class files in DIR, each rebuilt whole and renamed into place after every student: grades.csv,
// grades.json, junit.xml, summary.md, report.html. Writes are queued one after another so two students
// finishing at once never race, and the newest state always lands last.
import { join } from 'node:path';
import { renderGradesCsv } from '../report/class/csv.ts';
import { renderReportHtml } from '../report/class/html.ts';
import { renderGradesJson } from '../report/class/json.ts';
import { renderGradesJunit } from '../report/class/junit.ts';
import { renderSummaryMarkdown } from '../report/class/markdown.ts';
import { writeFileAtomic } from './atomic.ts';
import type { Gradebook } from './types.ts';

export const CLASS_FILES: Readonly<Record<string, (book: Gradebook) => string>> = {
  'grades.csv': renderGradesCsv,
  'grades.json': renderGradesJson,
  'junit.xml': renderGradesJunit,
  'summary.md': renderSummaryMarkdown,
  'report.html': renderReportHtml,
};

export function classOutputWriter(outDir: string): (book: Gradebook) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (book) => {
    queue = queue.then(async () => {
      for (const [name, render] of Object.entries(CLASS_FILES))
        await writeFileAtomic(join(outDir, name), render(book));
    });
    return queue;
  };
}
