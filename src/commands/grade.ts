// `lab grade LAB --inventory FILE | --reports DIR`: a whole class graded into --out DIR (grades.csv,
// grades.json, junit.xml, summary.md, report.html, students/), with live progress and a final table.
// Ctrl-C: running students stop and are saved as interrupted (their cleanup runs); a second Ctrl-C quits.
import type { Command } from 'commander';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CONCURRENCY, gradeClass } from '../grade/class-run.ts';
import { createListrClassDisplay, createPlainClassDisplay } from '../grade/progress.ts';
import { parseDuration } from '../lab/spec/duration.ts';
import { isInteractive } from '../report/console/display.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { planGrading } from './grade-plan.ts';
import { loadLab } from './lab-run.ts';

export interface GradeOptions {
  readonly inventory?: string;
  readonly reports?: string;
  readonly class?: string;
  readonly student?: readonly string[];
  readonly concurrency?: string;
  readonly out?: string;
  readonly resume?: boolean;
  readonly report?: readonly string[];
  readonly timeout?: string;
  readonly studentTimeout?: string;
  readonly wait?: boolean;
}

const REPORT_FILES: Readonly<Record<string, string>> = {
  csv: 'grades.csv',
  json: 'grades.json',
  junit: 'junit.xml',
  md: 'summary.md',
  html: 'report.html',
};

function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text) ?? (/^\d+$/.test(text) ? Number(text) * 1000 : undefined);
  if (ms === undefined || ms < 1000)
    throw new UserError(
      `${flag} ${JSON.stringify(text)}: expected a duration of at least 1s, such as 30s or 2m`,
      EXIT.usage,
    );
  return ms;
}

function concurrencyOf(text: string | undefined): number {
  const n = text === undefined ? DEFAULT_CONCURRENCY : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UserError(
      `--concurrency ${JSON.stringify(text)}: expected a whole number from 1 to 256`,
      EXIT.usage,
    );
  return n;
}

/** `--report KIND:PATH`: a copy of one class file where CI wants it. */
function parseCopies(requests: readonly string[]): { file: string; path: string }[] {
  return requests.map((text) => {
    const colon = text.indexOf(':');
    const file = REPORT_FILES[text.slice(0, colon)];
    if (colon <= 0 || file === undefined || text.slice(colon + 1) === '')
      throw new UserError(
        `--report ${JSON.stringify(text)}: expected KIND:PATH with KIND one of ${Object.keys(REPORT_FILES).join(', ')} (e.g. --report junit:ci/grades.xml)`,
        EXIT.usage,
      );
    return { file, path: text.slice(colon + 1) };
  });
}

export async function gradeCommand(lab: string, options: GradeOptions): Promise<number> {
  const write = (t: string) => void process.stdout.write(t);
  const spec = await loadLab(lab);
  const concurrency = concurrencyOf(options.concurrency);
  const stepTimeoutMs = duration('--timeout', options.timeout);
  const copies = parseCopies(options.report ?? []);
  const plan = await planGrading(spec, {
    ...(options.inventory !== undefined ? { inventory: options.inventory } : {}),
    ...(options.reports !== undefined ? { reports: options.reports } : {}),
    ...(options.class !== undefined ? { classId: options.class } : {}),
    ...(options.student ? { students: options.student } : {}),
  });
  if (plan.planned.length === 0)
    throw new UserError('no student to grade (empty inventory selection or report folder)', EXIT.usage);
  const stepsBudget = spec.steps.reduce((sum, s) => sum + (stepTimeoutMs ?? s.timeoutMs), 0);
  const studentTimeoutMs = duration('--student-timeout', options.studentTimeout) ?? stepsBudget + 120_000;
  const outDir = resolve(options.out ?? join('grades', spec.name));
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    write(
      '\ninterrupted: stopping the running students (their cleanup runs); Ctrl-C again to quit at once\n',
    );
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    write(
      `lab ${spec.name}: grading ${plan.planned.length} student(s), ${concurrency} at a time, into ${outDir}\n`,
    );
    const subjects = plan.planned.map((p) => p.subject);
    const display = isInteractive()
      ? createListrClassDisplay(write, subjects)
      : createPlainClassDisplay(write, subjects.length);
    const book = await gradeClass({
      spec,
      fingerprint: spec.fingerprint,
      planned: plan.planned,
      outDir,
      concurrency,
      resume: Boolean(options.resume),
      signal: controller.signal,
      studentTimeoutMs,
      progress: display,
      unlisted: plan.unlisted,
      ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
      ...(options.wait ? { wait: true } : {}),
    });
    await display.finish(book);
    for (const c of copies) {
      await mkdir(dirname(resolve(c.path)), { recursive: true });
      await copyFile(join(outDir, c.file), c.path);
    }
    write(
      `\n${Object.values(REPORT_FILES)
        .map((f) => join(outDir, f))
        .join('\n')}\n`,
    );
    const unfinished = book.rows.filter(
      (r) => !r.grade || r.grade.status === 'interrupted' || r.grade.status === 'error',
    );
    if (unfinished.length) write(`${unfinished.length} student(s) not graded: run again with --resume\n`);
    return unfinished.length ? EXIT.checkFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerGradeCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('grade')
    .description(
      "grade a class: every student's cluster over SSH (N at a time) and/or their own JSON reports",
    )
    .argument('<lab>', 'lab name (see `lab list`) or path to a lab.yaml')
    .option('--inventory <file>', 'class inventory: students and their hosts')
    .option(
      '--reports <dir>',
      "students' `lab check --report json:` files, one per student, named <student id>.json",
    )
    .option('--class <id>', 'only this class of the inventory')
    .option('--student <id>', 'only this student (repeatable)', collect)
    .option('--concurrency <n>', `students graded at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--out <dir>', 'where the gradebook goes (default grades/<lab>)')
    .option('--resume', 'keep the students already graded in --out (a killed or interrupted run goes on)')
    .option(
      '--report <kind:path>',
      'also copy a class file: csv|json|junit|md|html:PATH (repeatable)',
      collect,
    )
    .option('--timeout <duration>', "every step's deadline, e.g. 30s (default: each step's own)")
    .option(
      '--student-timeout <duration>',
      "one student's whole budget (default: the steps' deadlines + 2 min)",
    )
    .option('--wait', 'poll every failing check to its deadline (default: only while the cluster converges)')
    .action(async (lab: string, opts: GradeOptions) => setExit(await gradeCommand(lab, opts)));
}
