// The one result shape every remote command resolves to (and that ExecError carries when it rejects).
import type { ExecResult } from './types.ts';

export type { ExecResult };

export interface ResultFields {
  host: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  timedOut?: boolean;
  canceled?: boolean;
}

/** Freezes the fields into an ExecResult; durationMs is measured from `startedAt` (performance.now()). */
export function createResult(fields: ResultFields, now: number = performance.now()): ExecResult {
  return Object.freeze({
    host: fields.host,
    command: fields.command,
    exitCode: fields.exitCode,
    signal: fields.signal,
    stdout: fields.stdout,
    stderr: fields.stderr,
    durationMs: Math.max(0, Math.round((now - fields.startedAt) * 10) / 10),
    timedOut: fields.timedOut ?? false,
    canceled: fields.canceled ?? false,
  });
}

/** True when the command ran to completion with exit code 0. */
export function isSuccess(result: ExecResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.canceled && result.signal === null;
}
