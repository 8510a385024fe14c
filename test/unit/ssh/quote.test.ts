import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { envAssignments, quoteArgv, quoteEnvExports, quoteWord } from '../../../src/ssh/quote.ts';
import { toolPath, type Tool } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const HOSTILE: [title: string, word: string][] = [
  ['command substitution', '$(touch /tmp/labkit-pwned)'],
  ['backticks', '`id`'],
  ['single quote', "it's"],
  ['lone single quote', "'"],
  ['double quotes', '"quoted"'],
  ['newline', 'line one\nline two'],
  ['tab', 'a\tb'],
  ['unicode', '한국어 서비스 ✓ é'],
  ['empty string', ''],
  ['spaces only', '   '],
  ['glob', '*'],
  ['tilde', '~'],
  ['variable', '$HOME ${PATH}'],
  ['backslash', 'a\\b\\'],
  ['assignment-looking word', 'A=b'],
  ['operators', 'a; b && c | d > e'],
  ['history bang', '!bang'],
  ['reserved word', 'if'],
  ['dash option', '--flag=value'],
  ['brace expansion', '{a,b}'],
  ['comment', '#not a comment'],
];

/** Runs the quoted line in a real shell that prints each argument NUL-terminated. */
function roundTrip(shell: Extract<Tool, 'bash' | 'posix-sh'>, argv: string[]): string[] {
  const out = execFileSync(toolPath(shell), ['-c', `printf '%s\\0' ${quoteArgv(argv)}`], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

describeWithTools(['bash'], 'quoteArgv through bash', () => {
  test.each(HOSTILE)('%s arrives intact through bash -c', (_title, word) => {
    expect(roundTrip('bash', [word])).toEqual([word]);
  });

  test('all hostile words together keep their count and order', () => {
    const words = HOSTILE.map(([, w]) => w);
    expect(roundTrip('bash', words)).toEqual(words);
  });

  test('exports survive a real shell', () => {
    const env = { GREETING: "hello 'world' $(id)", EMPTY: '' };
    const out = execFileSync(
      toolPath('bash'),
      ['-c', `${quoteEnvExports(env)}; printf '%s|%s' "$GREETING" "$EMPTY"`],
      { encoding: 'utf8' },
    );
    expect(out).toBe("hello 'world' $(id)|");
  });
});

describeWithTools(['posix-sh'], 'quoteArgv through /bin/sh', () => {
  test.each(HOSTILE)('%s arrives intact through sh -c (dash)', (_title, word) => {
    expect(roundTrip('posix-sh', [word])).toEqual([word]);
  });
});

describe('quoteArgv', () => {
  test('plain words stay readable, everything else is single-quoted', () => {
    expect(quoteArgv(['kubectl', 'get', 'pod', '-o', 'wide', '--selector=app'])).toBe(
      "kubectl get pod -o wide '--selector=app'",
    );
    expect(quoteArgv(['echo', "it's", ''])).toBe("echo 'it'\\''s' ''");
    expect(quoteWord('/usr/bin/env')).toBe('/usr/bin/env');
    expect(quoteWord('if')).toBe("'if'");
  });

  test('a NUL byte cannot be passed and says so', () => {
    expect(() => quoteWord('a\0b')).toThrow('a shell word cannot contain a NUL byte');
  });
});

describe('environment', () => {
  test('exports single-quote values', () => {
    const env = { GREETING: "hello 'world' $(id)", EMPTY: '' };
    expect(quoteEnvExports(env)).toBe("export GREETING='hello '\\''world'\\'' $(id)' EMPTY=''");
    expect(quoteEnvExports({})).toBe('');
  });

  test('env assignments for `env K=V` and bad names', () => {
    expect(envAssignments({ A: '1 2' })).toEqual(['A=1 2']);
    expect(() => envAssignments({ 'BAD-NAME': 'x' })).toThrow(
      'invalid environment variable name: "BAD-NAME"',
    );
    expect(() => quoteEnvExports({ '1X': 'x' })).toThrow('invalid environment variable name: "1X"');
  });
});
