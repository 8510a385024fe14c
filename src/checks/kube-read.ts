// `kubectl get ... -o json` through the CheckContext, parsed by a zod schema. Each failure becomes a
// CheckFailed naming the object and what to do, so the student sees "service X not found in namespace Y"
// rather than kubectl's raw stderr or a zod dump.
import type { z } from 'zod';
import { fail } from './define-check.ts';
import type { CheckContext } from './types.ts';

export interface ReadOptions {
  /** Shown in messages, e.g. `service hostname-service-clusterip`. */
  readonly what: string;
  readonly namespace: string;
  /** A missing object can appear later (the step creates it): keep polling. Default true. */
  readonly retryableWhenMissing?: boolean;
}

export async function kubectlJson<T>(
  ctx: CheckContext,
  args: readonly string[],
  schema: z.ZodType<T>,
  options: ReadOptions,
): Promise<T> {
  const argv = [...args, '-n', options.namespace, '-o', 'json'];
  const result = await ctx.kubectl(argv, { timeoutMs: ctx.commandTimeoutMs, signal: ctx.signal });
  const shown = `kubectl ${argv.join(' ')}`;
  if (result.timedOut)
    fail({
      message: `${shown} timed out after ${ctx.commandTimeoutMs} ms on ${ctx.controlPlane}: is the API server up?`,
      expected: `${options.what} readable`,
      actual: 'timeout',
    });
  if (result.exitCode !== 0) {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    const missing = /NotFound|not found/i.test(result.stderr);
    fail({
      message: missing
        ? `${options.what} not found in namespace ${options.namespace}`
        : `${shown} failed on ${ctx.controlPlane} (exit ${result.exitCode ?? result.signal}): ${stderr}`,
      expected: `${options.what} exists`,
      actual: stderr || `exit ${result.exitCode ?? result.signal}`,
      retryable: missing ? (options.retryableWhenMissing ?? true) : true,
      ...(missing ? { progress: 'absent' as const } : {}),
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(result.stdout);
  } catch {
    fail({
      message: `${shown} did not print JSON: is kubectl on ${ctx.controlPlane} working?`,
      expected: 'JSON',
      actual: result.stdout.slice(0, 200),
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail({
      message: `${shown}: unexpected ${options.what} JSON at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      expected: `${options.what} as the Kubernetes API returns it`,
      actual: JSON.stringify(data).slice(0, 200),
      retryable: false,
    });
  }
  return parsed.data;
}
