// The class run without SSH (students graded from reports): files written whole, --resume keeps what DIR has,
// Ctrl-C before a student starts leaves it pending, and a temp file a killed run left is removed.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.ts';
import { gradeClass, type ClassProgress, type PlannedStudent } from '../../../src/grade/class-run.ts';
import { studentsDir } from '../../../src/grade/store.ts';
import { SPEC } from './fixtures.ts';

const silent: ClassProgress = {
  studentStart: () => undefined,
  studentEvent: () => undefined,
  studentEnd: () => undefined,
};
const planned: PlannedStudent[] = ['a', 'b', 'c'].map((id) => ({ kind: 'report', subject: { id } }));

function run(
  outDir: string,
  over: { resume?: boolean; signal?: AbortSignal; progress?: ClassProgress } = {},
) {
  return gradeClass({
    spec: SPEC,
    fingerprint: 'sha256:f',
    planned,
    outDir,
    concurrency: 2,
    resume: over.resume ?? false,
    signal: over.signal ?? new AbortController().signal,
    studentTimeoutMs: 10_000,
    progress: over.progress ?? silent,
  });
}

describe('gradeClass', () => {
  test('every class file and one file per student; no temp file left', async () => {
    const out = tempDir('labkit-class-');
    writeFileSync(join(out, '.grades.csv.123.abcd.labkit-tmp'), 'half');
    const book = await run(out);
    expect(book.rows.map((r) => r.grade?.status)).toEqual(['missing', 'missing', 'missing']);
    for (const f of ['grades.csv', 'grades.json', 'junit.xml', 'summary.md', 'report.html'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readdirSync(studentsDir(out))).toHaveLength(3);
    expect(readdirSync(out).filter((f) => f.endsWith('.labkit-tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')).students).toHaveLength(3);
  });

  test('--resume keeps the students DIR has; without it an earlier grading is not mixed in', async () => {
    const out = tempDir('labkit-class-');
    await run(out);
    const kept: string[] = [];
    await run(out, {
      resume: true,
      progress: { ...silent, studentEnd: (s, _g, skipped) => void (skipped && kept.push(s.id)) },
    });
    expect(kept.sort()).toEqual(['a', 'b', 'c']);
    const started: string[] = [];
    await run(out, { progress: { ...silent, studentStart: (s) => void started.push(s.id) } });
    expect(started.sort()).toEqual(['a', 'b', 'c']);
  });

  test('Ctrl-C before students start: they stay pending, the class files are still written', async () => {
    const out = tempDir('labkit-class-');
    const controller = new AbortController();
    controller.abort();
    const book = await run(out, { signal: controller.signal });
    expect(book.rows.map((r) => r.grade)).toEqual([undefined, undefined, undefined]);
    expect(readFileSync(join(out, 'grades.csv'), 'utf8')).toContain('\r\na,,,,,,,,,,pending,,,\r\n');
  });

  test('--resume refuses a folder graded for another lab', async () => {
    const out = tempDir('labkit-class-');
    await run(out);
    await expect(
      gradeClass({
        spec: { ...SPEC, name: 'other' },
        fingerprint: 'sha256:f',
        planned,
        outDir: out,
        concurrency: 1,
        resume: true,
        signal: new AbortController().signal,
        studentTimeoutMs: 1,
        progress: silent,
      }),
    ).rejects.toThrow(/grades lab service; --resume needs the same lab/);
  });
});
