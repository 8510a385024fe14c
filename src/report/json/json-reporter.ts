// The JSON report: per step id, title, status, duration, points, commands run, observed values (spread counts,
// affinity mapping...), message, expected/actual, the cluster's identity and the lab's fingerprint, and a
// checksum over all of it. Stable field order; for machines (grading, dashboards). Titles, hints and explanations
// are in the run's language (`lang`); keys, ids, kinds and statuses are the same in every language.
import type { CheckResult, LabRunResult, StepResult } from '../../lab/results.ts';
import type { Reporter } from '../types.ts';
import { reportDigest } from './integrity.ts';

export const JSON_REPORT_VERSION = 1;

function checkJson(c: CheckResult) {
  return {
    title: c.title,
    kind: c.kind,
    status: c.status,
    message: c.message,
    expected: c.expected,
    actual: c.actual,
    attempts: c.attempts,
    durationMs: Math.round(c.durationMs),
    observed: c.observed ?? {},
    commands: c.commands,
  };
}

function stepJson(s: StepResult) {
  return {
    index: s.index,
    id: s.id,
    title: s.title,
    status: s.status,
    durationMs: Math.round(s.durationMs),
    points: s.points,
    maxPoints: s.maxPoints,
    message: s.message,
    ...(s.failure
      ? { expected: s.failure.expected, actual: s.failure.actual, failedCommand: s.failure.command ?? null }
      : {}),
    ...(s.hint ? { hint: s.hint } : {}),
    ...(s.diagnostics ? { diagnostics: s.diagnostics } : {}),
    // Keyed by the English title, so the keys are the same in every language.
    observed: Object.fromEntries(s.checks.filter((c) => c.observed).map((c) => [c.stableTitle, c.observed])),
    commands: s.commands,
    checks: s.checks.map(checkJson),
    cleanup: s.cleanup,
  };
}

export function labReportJson(result: LabRunResult) {
  const report = {
    version: JSON_REPORT_VERSION,
    lab: result.lab,
    title: result.title,
    lang: result.lang,
    target: result.target,
    mode: result.mode,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    points: result.points,
    maxPoints: result.maxPoints,
    passed: result.steps.filter((s) => s.status === 'pass').length,
    failed: result.steps.filter((s) => s.status === 'fail' || s.status === 'error').length,
    interrupted: result.interrupted,
    exitCode: result.exitCode,
    labFingerprint: result.labFingerprint ?? null,
    cluster: result.cluster ?? null,
    steps: result.steps.map(stepJson),
  };
  // Last, over all of the above: `lab grade --reports` refuses a file whose digest does not match.
  return { ...report, integrity: { algorithm: 'sha256', digest: reportDigest(report) } };
}

export const jsonReporter: Reporter = {
  kind: 'json',
  render: (result) => `${JSON.stringify(labReportJson(result), null, 2)}\n`,
};
