// One attempt of one check: a command with matchers, or a built-in check with its parameters (templates
// resolved, then parsed by the check's own schema). A plain failure is an outcome; only an unreachable host
// (SshError) escapes, because no retry can help and the run must end with exit code 3.
import type { CheckContext, CheckOutcome } from '../../checks/types.ts';
import { SshError } from '../../ssh/errors.ts';
import { UserError } from '../../util/exit-codes.ts';
import { commandProgress } from '../convergence.ts';
import { matchResult } from '../matchers.ts';
import type { CheckSpec } from '../spec/types.ts';
import { MissingMemoryError, prepareScript, substituteArgv, substituteParams } from '../template.ts';

async function attemptCommandCheck(
  spec: Extract<CheckSpec, { kind: 'command' }>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const c = spec.command;
  let command;
  let env: Record<string, string> = {};
  if ('argv' in c.body) command = { argv: substituteArgv(c.body.argv, ctx.memory) };
  else {
    const prepared = prepareScript(c.body.script, ctx.memory);
    command = { script: prepared.script };
    env = prepared.env;
  }
  const result = await ctx.exec(c.host, command, { timeoutMs: c.timeoutMs, env, sudo: c.sudo });
  const outcome = matchResult(result, spec.expect);
  const progress = outcome.ok ? undefined : commandProgress(result);
  // For a missing object kubectl's own line says it best (the matchers would list every unmet path).
  const notFound = progress === 'absent' ? result.stderr.trim().split('\n')[0] : undefined;
  return {
    ...outcome,
    ...(notFound ? { message: notFound } : {}),
    observed: { command: result.command, ...outcome.observed },
    ...(progress ? { progress } : {}),
  };
}

async function attemptBuiltin(
  spec: Extract<CheckSpec, { kind: 'builtin' }>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const parsed = spec.check.params.safeParse(substituteParams(spec.rawParams, ctx.memory));
  if (!parsed.success)
    return {
      ok: false,
      retryable: false,
      message: `parameters of ${spec.check.name} are invalid after filling in lab memory: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      expected: 'valid parameters',
      actual: JSON.stringify(spec.rawParams),
    };
  return spec.check.run(ctx, parsed.data);
}

export async function attemptCheck(spec: CheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  try {
    return spec.kind === 'command' ? await attemptCommandCheck(spec, ctx) : await attemptBuiltin(spec, ctx);
  } catch (error) {
    if (error instanceof SshError || error instanceof UserError) throw error;
    if (ctx.signal?.aborted) throw error;
    if (error instanceof MissingMemoryError)
      return {
        ok: false,
        retryable: false,
        message: error.message,
        expected: 'an earlier step ran',
        actual: 'nothing in lab memory',
      };
    const name = spec.kind === 'command' ? 'command check' : `check ${spec.check.name}`;
    return {
      ok: false,
      retryable: false,
      message: `${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      expected: 'the check runs',
      actual: error instanceof Error ? error.name : 'error',
    };
  }
}
