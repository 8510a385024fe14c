// Progress of a class grading: in a terminal a listr2 line per student (its running step and points so far),
// otherwise plain lines (CI logs, pipes); then a table of the class. Both read the class run's events only.
import { Listr } from 'listr2';
import type { GradeSubject, Gradebook, StudentGrade } from './types.ts';
import type { ClassProgress } from './class-run.ts';
import type { RunEvent } from '../lab/results.ts';
import { t } from '../i18n/index.ts';
import { displayWidth, padEndWidth, truncateWidth } from '../util/display-width.ts';

export interface ClassDisplay extends ClassProgress {
  /** Resolves once everything is printed (students never started are closed as not graded). */
  finish(book: Gradebook): Promise<void>;
}

// One line of a student's name for a terminal: control characters and newlines cannot move the cursor.
// eslint-disable-next-line no-control-regex -- exactly the characters a terminal would act on
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
const who = (s: GradeSubject) => oneLine(s.name ? `${s.id} (${s.name})` : s.id);
const endLine = (g: StudentGrade) =>
  `${g.points}/${g.maxPoints} ${g.status}${g.reason ? `: ${oneLine(g.reason)}` : ''} (${(g.durationMs / 1000).toFixed(1)} s)`;

/** The final table: one line per student, columns padded by display width (Korean names take two cells a
 *  character), each cut at 30 cells. */
export function classTableLines(book: Gradebook): string[] {
  const c = t().grade.column;
  const cut = (text: string) => truncateWidth(text, 30);
  const rows = book.rows.map((r) => [
    cut(oneLine(r.subject.id)),
    cut(oneLine(r.subject.name ?? '')),
    r.grade ? `${r.grade.points}/${r.grade.maxPoints}` : '-',
    r.grade?.status ?? 'pending',
    oneLine([r.grade?.reason, ...r.flags].filter(Boolean).join('; ')).slice(0, 100),
  ]);
  const all = [[c.student, c.name, c.points, c.status, c.notes], ...rows];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (r: string[]) =>
    r
      .map((cell, i) => (i < 4 ? padEndWidth(cell, widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const graded = book.rows.filter((r) => r.grade).length;
  return [pad(all[0] ?? []), ...rows.map(pad), '', t().grade.graded(graded, book.rows.length)];
}

function stepLine(event: RunEvent, points: number): string | undefined {
  if (event.type === 'step-start') return `step ${event.index} ${event.id} (${points} points so far)`;
  return undefined;
}

export function createPlainClassDisplay(write: (t: string) => void, total: number): ClassDisplay {
  let started = 0;
  const points = new Map<string, number>();
  return {
    studentStart(s) {
      started++;
      write(`[${started}/${total}] ${who(s)}: grading\n`);
    },
    studentEvent(s, event) {
      if (event.type !== 'step-end') return;
      const r = event.result;
      points.set(s.id, (points.get(s.id) ?? 0) + r.points);
      write(`    ${oneLine(s.id)} ${r.index} ${r.id}: ${r.status} ${r.points}/${r.maxPoints}\n`);
    },
    studentEnd(s, g, skipped) {
      write(`${who(s)}: ${skipped ? 'kept from an earlier run (--resume): ' : ''}${endLine(g)}\n`);
    },
    finish: async (book) => void write(`\n${classTableLines(book).join('\n')}\n`),
  };
}

interface Pending {
  resolve: (failure?: string) => void;
  promise: Promise<string | undefined>;
  title?: (text: string) => void;
}

export function createListrClassDisplay(
  write: (t: string) => void,
  subjects: readonly GradeSubject[],
): ClassDisplay {
  const pending = new Map<string, Pending>();
  const points = new Map<string, number>();
  for (const s of subjects) {
    let resolve: (failure?: string) => void = () => undefined;
    const promise = new Promise<string | undefined>((r) => (resolve = r));
    pending.set(s.id, { resolve, promise });
  }
  const list = new Listr(
    subjects.map((s) => ({
      title: `${who(s)}: waiting`,
      task: async (_ctx: unknown, task: { title: string; skip: (m?: string) => void }) => {
        const p = pending.get(s.id);
        if (!p) return;
        p.title = (text) => (task.title = `${who(s)}: ${text}`);
        const failure = await p.promise;
        if (failure === 'skip') return task.skip(`${who(s)}: not graded`);
        if (failure !== undefined) throw new Error(`${who(s)}: ${failure}`);
      },
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
  );
  const running = list.run().catch(() => undefined);
  return {
    studentStart: (s) => pending.get(s.id)?.title?.('connecting'),
    studentEvent(s, event) {
      if (event.type === 'step-end') points.set(s.id, (points.get(s.id) ?? 0) + event.result.points);
      const line = stepLine(event, points.get(s.id) ?? 0);
      if (line) pending.get(s.id)?.title?.(line);
    },
    studentEnd(s, g) {
      const p = pending.get(s.id);
      p?.title?.(endLine(g));
      p?.resolve(g.status === 'graded' ? undefined : endLine(g));
    },
    async finish(book) {
      for (const p of pending.values()) p.resolve('skip');
      await running;
      write(`\n${classTableLines(book).join('\n')}\n`);
    },
  };
}
