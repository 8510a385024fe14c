import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseLabSpecText } from '../../../src/lab/spec/load.ts';
import { SourceError } from '../../../src/util/yaml-source.ts';
import { fakeRegistry } from './fake-registry.ts';

const FILE = fileURLToPath(new URL('../../fixtures/labs/minimal/lab.yaml', import.meta.url));
const BASE = readFileSync(FILE, 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseLabSpecText(FILE, text, fakeRegistry());
  } catch (error) {
    if (error instanceof SourceError) return error.message.split('\n');
    throw error;
  }
  return [];
}

/** Replaces one exact substring of the fixture (fails loudly if the anchor is gone). */
function edit(from: string, to: string): string {
  expect(BASE, `fixture anchor ${JSON.stringify(from)}`).toContain(from);
  return BASE.replace(from, to);
}

/** Line of the first occurrence of `snippet` at or after the first occurrence of `after`. */
function lineOf(text: string, snippet: string, after = ''): number {
  const start = text.indexOf(after);
  const at = text.indexOf(snippet, start);
  expect(at, `snippet ${JSON.stringify(snippet)}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

describe('lab spec loader', () => {
  test('the minimal fixture loads with defaults applied and stdin files read', () => {
    const spec = parseLabSpecText(FILE, BASE, fakeRegistry());
    expect(spec.name).toBe('minimal');
    expect(spec.controlPlane).toBe('master-node');
    expect(spec.namespace).toBe('default');
    expect(spec.steps.map((s) => [s.index, s.id, s.points, s.timeoutMs, s.intervalMs])).toEqual([
      [1, 'first-step', 2, 2000, 50],
      [2, 'second-step', 1, 1000, 50],
    ]);
    const setup = spec.steps[0]?.setup[0];
    expect(setup?.host).toBe('master-node');
    expect(setup?.stdin).toContain('kind: Deployment');
    expect(setup?.timeoutMs).toBe(5000);
    expect(setup?.expectExit).toEqual([0]);
    expect(spec.steps[0]?.run[0]?.save).toEqual({ pods: 'stdout' });
    const check = spec.steps[1]?.checks[0];
    expect(check?.kind).toBe('builtin');
    expect(check?.kind === 'builtin' && check.rawParams).toEqual({ want: 'yes' });
  });

  const cases: { name: string; text: () => string; expected: (t: string) => string[] }[] = [
    {
      name: 'a misspelled step key is rejected at its own line',
      text: () => edit('    points: 2\n', '    points: 2\n    pionts: 3\n'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'pionts')} steps[0].pionts: unknown key (check the spelling; see the JSON Schema for allowed keys)`,
      ],
    },
    {
      name: 'a step id that is not kebab-case',
      text: () => edit('id: first-step', 'id: First Step'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'id: First')} steps[0].id: must be a kebab-case id such as cluster-ip-service`,
      ],
    },
    {
      name: 'a missing title says the key is missing, at the step',
      text: () => edit('    title: The fake check passes\n', ''),
      expected: (t) => [`${FILE}:${lineOf(t, '- id: second-step')} steps[1].title: required key is missing`],
    },
    {
      name: "a misspelled built-in parameter is reported by that check's schema at the with key",
      text: () => edit('          want: yes', '          wnt: yes'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'with:')} steps[1].checks[0].with.want: required key is missing`,
        `${FILE}:${lineOf(t, 'wnt:')} steps[1].checks[0].with.wnt: unknown key (check the spelling; see the JSON Schema for allowed keys)`,
      ],
    },
    {
      name: 'a built-in parameter of the wrong type',
      text: () => edit('          want: yes', '          want: 3'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'want: 3')} steps[1].checks[0].with.want: Invalid input: expected string, received number`,
      ],
    },
    {
      name: 'an unknown built-in check lists the known ones',
      text: () => edit('check: fake-check', 'check: no-such'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'check: no-such')} steps[1].checks[0].check: unknown built-in check "no-such": known checks are fake-check`,
      ],
    },
    {
      name: 'a missing stdin file names the resolved path',
      text: () => edit('stdinFile: manifest.yaml\n    run', 'stdinFile: missing.yaml\n    run'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'missing.yaml')} steps[0].setup[0].stdinFile: file not found: ${FILE.replace('lab.yaml', 'missing.yaml')}`,
      ],
    },
    {
      name: 'a template other than ${memory.KEY} in argv',
      text: () => edit('argv: [kubectl, get, pods, -o, name]', 'argv: [kubectl, get, "${pods}"]'),
      expected: (t) => [
        `${FILE}:${lineOf(t, '"${pods}"')} steps[0].run[0].argv[2]: unknown template "\${pods}": argv words run without a shell; only \${memory.KEY} is replaced`,
      ],
    },
    {
      name: 'a command on a host the lab does not declare',
      text: () =>
        edit(
          '      - argv: [kubectl, get, pods, -o, name]',
          '      - host: worker-node09\n        argv: [kubectl]',
        ),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'host: worker-node09')} steps[0].run[0].host: unknown host "worker-node09": must be one of hosts (master-node, worker-node01)`,
      ],
    },
    {
      name: 'a duration without a known unit',
      text: () => edit('timeout: 1s', 'timeout: 5x'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'timeout: 5x')} steps[1].timeout: must be a duration such as 30s, 500ms or 2m (or seconds)`,
      ],
    },
    {
      name: 'a duplicate step id names the first one',
      text: () => edit('id: second-step', 'id: first-step'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'id: first-step', 'The deployment exists')} steps[1].id: duplicate step id "first-step" (also steps[0])`,
      ],
    },
    {
      name: 'a command with both argv and script',
      text: () =>
        edit(
          '          argv: [kubectl, get, deployment, web, -o, json]',
          '          argv: [kubectl]\n          script: echo',
        ),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'command:')} steps[0].checks[0].command: needs exactly one of argv or script`,
      ],
    },
    {
      name: 'a JSON path matcher with a misspelled equals',
      text: () => edit('equals: 3', 'equal: 3'),
      expected: (t) => [
        `${FILE}:${lineOf(t, '- path:')} steps[0].checks[0].expect.jsonPath[0]: needs equals or length`,
        `${FILE}:${lineOf(t, 'equal: 3')} steps[0].checks[0].expect.jsonPath[0].equal: unknown key (check the spelling; see the JSON Schema for allowed keys)`,
      ],
    },
    {
      name: 'a check that is both a command and a built-in',
      text: () =>
        edit(
          '      - title: three replicas ready',
          '      - title: three replicas ready\n        check: fake-check',
        ),
      expected: (t) => [
        `${FILE}:${lineOf(t, '- title: three replicas ready')} steps[0].checks[0]: needs exactly one of command (with expect) or check (with with)`,
        `${FILE}:${lineOf(t, 'expect:')} steps[0].checks[0].expect: \`expect\` belongs to a command, not a built-in check`,
      ],
    },
    {
      name: 'save from an output that does not exist',
      text: () => edit('save: { pods: stdout }', 'save: { pods: stdot }'),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'save:')} steps[0].run[0].save.pods: Invalid option: expected one of "stdout"|"stderr"|"exitCode"`,
      ],
    },
    {
      name: 'an invalid regular expression',
      text: () =>
        edit(
          '        expect:\n          exitCode: 0\n',
          '        expect:\n          exitCode: 0\n          stdout: { matches: "a(" }\n',
        ),
      expected: (t) => [
        `${FILE}:${lineOf(t, 'stdout: { matches')} steps[0].checks[0].expect.stdout.matches: invalid regular expression: Invalid regular expression: /a(/: Unterminated group`,
      ],
    },
    {
      name: 'duplicate keys are a YAML error with the line',
      text: () =>
        edit('hosts: [master-node, worker-node01]', 'hosts: [master-node, worker-node01]\nhosts: []'),
      expected: (t) => [`${FILE}:${lineOf(t, 'hosts: []')}: invalid YAML: Map keys must be unique`],
    },
    {
      name: 'no steps at all',
      text: () => BASE.slice(0, BASE.indexOf('steps:')) + 'steps: []\n',
      expected: (t) => [
        `${FILE}:${lineOf(t, 'steps: []')} steps: Too small: expected array to have >=1 items`,
      ],
    },
  ];

  for (const c of cases)
    test(c.name, () => {
      const text = c.text();
      expect(problemsOf(text)).toEqual(c.expected(text));
    });
});
