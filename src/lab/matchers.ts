// A command check's matchers (exit code, stdout/stderr text, JSON path) applied to one result. Every matcher
// is evaluated so the student sees every failed expectation at once, each with what came back.
import { isDeepStrictEqual } from 'node:util';
import type { CheckOutcome } from '../checks/types.ts';
import type { ExecResult } from '../ssh/types.ts';
import { t } from '../i18n/index.ts';
import { evaluateJsonPath } from './json-path.ts';
import type { ExpectSpec, TextMatchers } from './spec/schema.ts';
import { trimForDisplay } from './trim.ts';

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function textFailures(stream: 'stdout' | 'stderr', text: string, m: TextMatchers): string[] {
  const say = t().match;
  const failures: string[] = [];
  for (const needle of list(m.contains))
    if (!text.includes(needle)) failures.push(say.lacks(stream, JSON.stringify(needle)));
  for (const needle of list(m.notContains))
    if (text.includes(needle)) failures.push(say.contains(stream, JSON.stringify(needle)));
  if (m.matches !== undefined && !new RegExp(m.matches, 'm').test(text))
    failures.push(say.noMatch(stream, `/${m.matches}/`));
  return failures;
}

function textExpected(stream: string, m: TextMatchers): string[] {
  const say = t().match;
  return [
    ...list(m.contains).map((n) => say.contains(stream, JSON.stringify(n))),
    ...list(m.notContains).map((n) => say.lacks(stream, JSON.stringify(n))),
    ...(m.matches !== undefined ? [say.matches(stream, `/${m.matches}/`)] : []),
  ];
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

function jsonFailures(stdout: string, expect: ExpectSpec, observed: Record<string, unknown>): string[] {
  if (!expect.jsonPath) return [];
  const say = t().match;
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return [say.notJson];
  }
  const failures: string[] = [];
  for (const m of expect.jsonPath) {
    const { found, value } = evaluateJsonPath(doc, m.path);
    observed[m.path] = value;
    if (!found) {
      failures.push(say.missing(m.path));
      continue;
    }
    if ('equals' in m && !isDeepStrictEqual(value, m.equals))
      failures.push(say.differs(m.path, show(value), show(m.equals)));
    if (m.length !== undefined) {
      const length = Array.isArray(value) ? value.length : undefined;
      if (length !== m.length)
        failures.push(
          length === undefined
            ? say.notList(m.path, show(value))
            : say.lengthDiffers(m.path, length, m.length),
        );
    }
  }
  return failures;
}

/** "exit code 0, stdout contains ..." — the expectation in words. */
export function describeExpect(expect: ExpectSpec): string {
  const say = t().match;
  return [
    say.exitCode(expect.exitCode ?? 0),
    ...(expect.stdout ? textExpected('stdout', expect.stdout) : []),
    ...(expect.stderr ? textExpected('stderr', expect.stderr) : []),
    ...(expect.jsonPath ?? []).flatMap((m) => [
      ...('equals' in m ? [`${m.path} = ${show(m.equals)}`] : []),
      ...(m.length !== undefined ? [say.hasLength(m.path, m.length)] : []),
    ]),
  ].join('; ');
}

function describeResult(result: ExecResult): string {
  const say = t().match;
  if (result.timedOut) return say.timedOut(Math.round(result.durationMs));
  if (result.canceled) return say.canceled;
  const head = result.signal ? say.killed(result.signal) : say.exitCode(result.exitCode ?? 0);
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
  else if (result.exitCode !== wantExit) failures.push(t().match.exitDiffers(result.exitCode ?? 0, wantExit));
  if (expect.stdout) failures.push(...textFailures('stdout', result.stdout, expect.stdout));
  if (expect.stderr) failures.push(...textFailures('stderr', result.stderr, expect.stderr));
  failures.push(...jsonFailures(result.stdout, expect, observed));
  return {
    ok: failures.length === 0,
    message: failures.length === 0 ? t().match.asExpected : failures.join('; '),
    expected: describeExpect(expect),
    actual: trimForDisplay(describeResult(result)),
    observed,
  };
}
