// One file per finished student in DIR/students/, written the moment the student is done: what --resume reads,
// and what the class files are rebuilt from, so a killed run loses nobody who had finished.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { removeStaleTemps, writeFileAtomic } from './atomic.ts';
import { studentGradeSchema, type StudentGrade } from './types.ts';

export function studentsDir(outDir: string): string {
  return join(outDir, 'students');
}

/** A file name for any id (ids from report file names may hold anything): safe characters + a hash. */
export function studentFileName(id: string): string {
  const safe = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 60);
  return `${safe}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}.json`;
}

export async function prepareOutDir(outDir: string): Promise<void> {
  await mkdir(studentsDir(outDir), { recursive: true });
  await removeStaleTemps(outDir);
  await removeStaleTemps(studentsDir(outDir));
}

export async function saveStudentGrade(outDir: string, grade: StudentGrade): Promise<void> {
  await writeFileAtomic(
    join(studentsDir(outDir), studentFileName(grade.id)),
    `${JSON.stringify(grade, null, 2)}\n`,
  );
}

/** Every student file in DIR, by id. A file that does not parse, or grades another lab (or another version
 *  of it), stops --resume with its name: mixing two gradings in one folder would be silently wrong. */
export async function loadStudentGrades(
  outDir: string,
  lab: string,
  fingerprint: string,
): Promise<Map<string, StudentGrade>> {
  const dir = studentsDir(outDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const grades = new Map<string, StudentGrade>();
  for (const name of names) {
    const file = join(dir, name);
    let grade: StudentGrade;
    try {
      grade = studentGradeSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      throw new UserError(
        `${file}: not a labkit grade file; remove it or grade into another --out folder`,
        EXIT.usage,
      );
    }
    if (grade.lab !== lab || grade.labFingerprint !== fingerprint)
      throw new UserError(
        `${file}: grades ${grade.lab === lab ? 'another version of lab ' + lab : `lab ${grade.lab}`}; --resume needs the same lab: use another --out folder`,
        EXIT.usage,
      );
    grades.set(grade.id, grade);
  }
  return grades;
}
