// The npm scripts a student runs work in cmd.exe (what npm uses on Windows, also from PowerShell) as in
// sh: no POSIX-only shell syntax in them.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

// Not for students: the VM lane and the test runners need Linux anyway.
const DEVELOPER_ONLY = new Set(['test:vm', 'test:e2e', 'bench', 'testbed']);

const POSIX_ONLY: [RegExp, string][] = [
  [/\$[A-Za-z_{(]/, 'a $VARIABLE or $(...) (cmd.exe writes %VAR%)'],
  [/(^|\s)[A-Za-z_][A-Za-z0-9_]*=\S*\s+\S/, 'a VAR=value prefix (cmd.exe runs it as a program)'],
  [/'/, 'single quotes (cmd.exe does not treat them as quotes)'],
  [/(^|\s)\.\//, 'a ./relative program (cmd.exe cannot run it)'],
  [/(^|\s)(rm|cp|mv|mkdir -p|cat|grep|sed|bash|sh|flock|export|source)\s/, 'a POSIX command'],
  [/[^&|]&$|\s&\s/, 'a background &'],
  [/`/, 'backquotes'],
  [/;/, "';' as a separator (cmd.exe uses &&)"],
];

const studentScripts = Object.entries(pkg.scripts).filter(([name]) => !DEVELOPER_ONLY.has(name));

test('the student-facing scripts are there', () => {
  expect(studentScripts.map(([n]) => n)).toEqual(
    expect.arrayContaining(['lab:up', 'lab:down', 'lab:status', 'lab:ssh', 'lab:reset', 'lab', 'schema']),
  );
});

test.each(studentScripts)('npm run %s runs in cmd.exe and PowerShell: %s', (_name, command) => {
  expect(POSIX_ONLY.filter(([re]) => re.test(command)).map(([, why]) => why)).toEqual([]);
});

test('the checker catches POSIX-only syntax', () => {
  for (const bad of [
    'FOO=1 tsx x.ts',
    'tsx x.ts $ARG',
    './bin/lab',
    'rm -rf .lab && tsx x.ts',
    'a; b',
    "echo 'x'",
  ])
    expect(
      POSIX_ONLY.some(([re]) => re.test(bad)),
      bad,
    ).toBe(true);
});
