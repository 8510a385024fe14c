// A spec command (setup, run, solve, cleanup): templates resolved, passEnv values added as secrets, run on its
// host with its timeout, exit code judged against expectExit, outputs saved to lab memory.
import type { ExecResult, RemoteCommand } from '../../ssh/types.ts';
import type { CommandRecord, Phase } from '../results.ts';
import { execRecorded, type Session } from '../session.ts';
import type { CommandSpec } from '../spec/types.ts';
import { prepareScript, substituteArgv } from '../template.ts';
import { trimForDisplay } from '../trim.ts';

export interface CommandOutcome {
  readonly ok: boolean;
  /** Absent when the command was skipped (`unlessSaved` key already in memory). */
  readonly result?: ExecResult;
  /** For a failure: what was expected and what came back. */
  readonly expected: string;
  readonly actual: string;
}

/** The remote command and env for a spec command, templates resolved (throws MissingMemoryError). */
export function resolveCommand(
  spec: CommandSpec,
  session: Pick<Session, 'memory' | 'localEnv'>,
): { command: RemoteCommand; env: Record<string, string>; secrets: string[] } {
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  for (const name of spec.passEnv) {
    const value = session.localEnv[name];
    if (value === undefined || value === '') continue;
    env[name] = value;
    secrets.push(value);
  }
  if ('argv' in spec.body)
    return { command: { argv: substituteArgv(spec.body.argv, session.memory) }, env, secrets };
  const prepared = prepareScript(spec.body.script, session.memory);
  return { command: { script: prepared.script }, env: { ...env, ...prepared.env }, secrets };
}

function exitAccepted(spec: CommandSpec, result: ExecResult): boolean {
  if (result.timedOut || result.canceled || result.signal !== null) return false;
  if (spec.expectExit === 'any') return true;
  return result.exitCode !== null && spec.expectExit.includes(result.exitCode);
}

export function describeExpectedExit(spec: CommandSpec): string {
  if (spec.expectExit === 'any') return 'the command completes';
  return spec.expectExit.length === 1
    ? `exit code ${spec.expectExit[0]}`
    : `exit code one of ${spec.expectExit.join(', ')}`;
}

export function describeActual(result: ExecResult): string {
  if (result.timedOut) return `timed out after ${Math.round(result.durationMs)} ms`;
  if (result.canceled) return 'canceled';
  const head = result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
  const detail = (result.stderr.trim() || result.stdout.trim()).trim();
  return trimForDisplay(detail ? `${head}: ${detail}` : head);
}

export async function executeCommand(
  spec: CommandSpec,
  session: Session,
  phase: Phase,
  sink: (record: CommandRecord) => void,
  signal?: AbortSignal,
): Promise<CommandOutcome> {
  if (spec.unlessSaved !== undefined && session.memory.get(spec.unlessSaved) !== undefined)
    return { ok: true, expected: '', actual: `skipped: ${spec.unlessSaved} already saved` };
  const { command, env, secrets } = resolveCommand(spec, session);
  const result = await execRecorded(session, phase, sink, spec.host, command, {
    timeoutMs: spec.timeoutMs,
    env,
    secrets,
    sudo: spec.sudo,
    ...(spec.stdin !== undefined ? { stdin: spec.stdin } : {}),
    ...(signal ? { signal } : {}),
  });
  const ok = exitAccepted(spec, result);
  if (ok)
    for (const [key, source] of Object.entries(spec.save))
      session.memory.set(key, source === 'exitCode' ? String(result.exitCode) : result[source].trim());
  return { ok, result, expected: describeExpectedExit(spec), actual: describeActual(result) };
}
