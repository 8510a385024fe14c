// `kubectl get ... -o json` through the CheckContext, parsed by a zod schema. Each failure becomes a
// CheckFailed naming the object and what to do, so the student sees "service X not found in namespace Y"
// rather than kubectl's raw stderr or a zod dump.
import type { z } from 'zod';
import { t } from '../i18n/index.ts';
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
  const say = t().checks.read;
  if (result.timedOut)
    fail({
      message: say.timedOut(shown, ctx.commandTimeoutMs, ctx.controlPlane),
      expected: say.readable(options.what),
      actual: say.timeout,
    });
  if (result.exitCode !== 0) {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    const exit = String(result.exitCode ?? result.signal);
    const missing = /NotFound|not found/i.test(result.stderr);
    fail({
      message: missing
        ? say.notFound(options.what, options.namespace)
        : say.failed(shown, ctx.controlPlane, exit, stderr),
      expected: say.exists(options.what),
      actual: stderr || say.exit(exit),
      retryable: missing ? (options.retryableWhenMissing ?? true) : true,
      ...(missing ? { progress: 'absent' as const } : {}),
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(result.stdout);
  } catch {
    fail({
      message: say.notJson(shown, ctx.controlPlane),
      expected: 'JSON',
      actual: result.stdout.slice(0, 200),
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail({
      message: say.badJson(
        shown,
        options.what,
        issue?.path.join('.') || '(root)',
        issue?.message ?? say.invalid,
      ),
      expected: say.asApi(options.what),
      actual: JSON.stringify(data).slice(0, 200),
      retryable: false,
    });
  }
  return parsed.data;
}
