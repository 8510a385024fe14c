// JUnit XML: one testsuite per lab run, one testcase per step (classname = lab, name = "N id: title"), with a
// <failure> carrying message, expected, actual, command, the step's histograms and hint; skipped steps as <skipped/>; a host
// that could not be reached as <error>. The layout CI systems (GitLab, Jenkins, GitHub actions) read.
import type { LabRunResult, StepResult } from '../../lab/results.ts';
import { stepHistograms } from '../histogram.ts';
import type { Reporter } from '../types.ts';
import { xmlDocument, type XmlElement } from './xml.ts';

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function failureText(step: StepResult): string {
  return [
    step.failure?.command
      ? `command: ${step.failure.host ? `${step.failure.host}$ ` : ''}${step.failure.command}`
      : undefined,
    step.failure ? `expected: ${step.failure.expected}` : undefined,
    step.failure ? `actual: ${step.failure.actual}` : undefined,
    ...stepHistograms(step).flat(),
    step.hint ? `hint: ${step.hint}` : undefined,
    ...(step.diagnostics ?? []).map((d) => `diagnose: ${d.command}\n${d.output}`),
  ]
    .filter((l): l is string => l !== undefined)
    .join('\n');
}

function testcase(result: LabRunResult, step: StepResult): XmlElement {
  const attrs = {
    classname: `lab.${result.lab}`,
    // The English title: CI systems track a test by its name, which must not change with the student's language.
    name: `${step.index} ${step.id}: ${step.stableTitle}`,
    time: seconds(step.durationMs),
  };
  const out: XmlElement = {
    name: 'system-out',
    text: step.commands
      .map(
        (c) =>
          `[${c.phase}] ${c.host}$ ${c.command} -> ${c.timedOut ? 'timed out' : `exit ${c.exitCode}`} (${Math.round(c.durationMs)} ms)`,
      )
      .join('\n'),
  };
  const children: XmlElement[] = [];
  if (step.status === 'fail')
    children.push({
      name: 'failure',
      attrs: { message: step.message, type: 'CheckFailed' },
      text: failureText(step),
    });
  if (step.status === 'error')
    children.push({
      name: 'error',
      attrs: { message: step.message, type: 'RunError' },
      text: failureText(step),
    });
  if (step.status === 'skip') children.push({ name: 'skipped', attrs: { message: step.message } });
  if (step.commands.length > 0) children.push(out);
  return { name: 'testcase', attrs, children };
}

export function renderJunit(result: LabRunResult): string {
  const count = (status: StepResult['status']) => result.steps.filter((s) => s.status === status).length;
  const suite: XmlElement = {
    name: 'testsuite',
    attrs: {
      name: `${result.lab} (${result.target})`,
      tests: result.steps.length,
      failures: count('fail'),
      errors: count('error'),
      skipped: count('skip'),
      time: seconds(result.durationMs),
      timestamp: result.startedAt,
    },
    children: [
      {
        name: 'properties',
        children: [
          { name: 'property', attrs: { name: 'target', value: result.target } },
          { name: 'property', attrs: { name: 'mode', value: result.mode } },
          { name: 'property', attrs: { name: 'points', value: `${result.points}/${result.maxPoints}` } },
        ],
      },
      ...result.steps.map((s) => testcase(result, s)),
    ],
  };
  return xmlDocument({
    name: 'testsuites',
    attrs: {
      name: `lab ${result.lab}`,
      tests: result.steps.length,
      failures: count('fail'),
      errors: count('error'),
      time: seconds(result.durationMs),
    },
    children: [suite],
  });
}

export const junitReporter: Reporter = { kind: 'junit', render: renderJunit };
