// A command check's matchers (exit code, stdout/stderr text, JSON path) applied to one result. Every matcher
// is evaluated so the student sees every failed expectation at once, each with what came back.
import { isDeepStrictEqual } from 'node:util';
import type { CheckOutcome } from '../checks/types.ts';
import type { ExecResult } from '../ssh/types.ts';
import { evaluateJsonPath } from './json-path.ts';
import type { ExpectSpec, TextMatchers } from './spec/schema.ts';
import { trimForDisplay } from './trim.ts';

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function textFailures(stream: 'stdout' | 'stderr', text: string, m: TextMatchers): string[] {
  const failures: string[] = [];
  for (const needle of list(m.contains))
    if (!text.includes(needle)) failures.push(`${stream} does not contain ${JSON.stringify(needle)}`);
  for (const needle of list(m.notContains))
    if (text.includes(needle)) failures.push(`${stream} contains ${JSON.stringify(needle)}`);
  if (m.matches !== undefined && !new RegExp(m.matches, 'm').test(text))
    failures.push(`${stream} does not match /${m.matches}/`);
  return failures;
}

function textExpected(stream: string, m: TextMatchers): string[] {
  return [
    ...list(m.contains).map((n) => `${stream} contains ${JSON.stringify(n)}`),
    ...list(m.notContains).map((n) => `${stream} does not contain ${JSON.stringify(n)}`),
    ...(m.matches !== undefined ? [`${stream} matches /${m.matches}/`] : []),
  ];
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

function jsonFailures(stdout: string, expect: ExpectSpec, observed: Record<string, unknown>): string[] {
  if (!expect.jsonPath) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return ['stdout is not JSON (did the command use -o json?)'];
  }
  const failures: string[] = [];
  for (const m of expect.jsonPath) {
    const { found, value } = evaluateJsonPath(doc, m.path);
    observed[m.path] = value;
    if (!found) {
      failures.push(`${m.path} is missing`);
      continue;
    }
    if ('equals' in m && !isDeepStrictEqual(value, m.equals))
      failures.push(`${m.path} is ${show(value)}, expected ${show(m.equals)}`);
    if (m.length !== undefined) {
      const length = Array.isArray(value) ? value.length : undefined;
      if (length !== m.length)
        failures.push(
          length === undefined
            ? `${m.path} is not a list (${show(value)})`
            : `${m.path} has ${length} item${length === 1 ? '' : 's'}, expected ${m.length}`,
        );
    }
  }
  return failures;
}

/** "exit code 0, stdout contains ..." — the expectation in words. */
export function describeExpect(expect: ExpectSpec): string {
  return [
    `exit code ${expect.exitCode ?? 0}`,
    ...(expect.stdout ? textExpected('stdout', expect.stdout) : []),
    ...(expect.stderr ? textExpected('stderr', expect.stderr) : []),
    ...(expect.jsonPath ?? []).flatMap((m) => [
      ...('equals' in m ? [`${m.path} = ${show(m.equals)}`] : []),
      ...(m.length !== undefined ? [`${m.path} has ${m.length} items`] : []),
    ]),
  ].join('; ');
}

function describeResult(result: ExecResult): string {
  if (result.timedOut) return `timed out after ${Math.round(result.durationMs)} ms`;
  if (result.canceled) return 'canceled';
  const head = result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
  const out = result.stdout.trim() ? `; stdout: ${result.stdout.trim()}` : '';
  const err = result.stderr.trim() ? `; stderr: ${result.stderr.trim()}` : '';
  return `${head}${out}${err}`;
}

/** Applies every matcher; the outcome lists each failure in `message` and the trimmed output in `actual`. */
export function matchResult(result: ExecResult, expect: ExpectSpec): CheckOutcome {
  const observed: Record<string, unknown> = { exitCode: result.exitCode };
  const failures: string[] = [];
  const wantExit = expect.exitCode ?? 0;
  if (result.timedOut || result.canceled) failures.push(describeResult(result));
  else if (result.exitCode !== wantExit) failures.push(`exit code ${result.exitCode}, expected ${wantExit}`);
  if (expect.stdout) failures.push(...textFailures('stdout', result.stdout, expect.stdout));
  if (expect.stderr) failures.push(...textFailures('stderr', result.stderr, expect.stderr));
  failures.push(...jsonFailures(result.stdout, expect, observed));
  return {
    ok: failures.length === 0,
    message: failures.length === 0 ? 'as expected' : failures.join('; '),
    expected: describeExpect(expect),
    actual: trimForDisplay(describeResult(result)),
    observed,
  };
}
