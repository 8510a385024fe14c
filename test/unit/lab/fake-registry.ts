// A registry with one scriptable built-in check, for loader and runner tests (the real checks are tested in
// test/unit/checks). Its behaviour comes from the test, its params schema is strict like the real ones.
import { z } from 'zod';
import type { BuiltinCheck, CheckContext, CheckOutcome } from '../../../src/checks/types.ts';
import type { CheckRegistry } from '../../../src/lab/spec/types.ts';

export const fakeParams = z.strictObject({
  want: z.string().describe('What the fake check wants'),
  count: z.int().min(1).optional(),
});

export type FakeBehaviour = (ctx: CheckContext, params: z.output<typeof fakeParams>) => Promise<CheckOutcome>;

export function fakeRegistry(behaviour: FakeBehaviour = async () => pass()): CheckRegistry {
  const check: BuiltinCheck<z.output<typeof fakeParams>> = {
    name: 'fake-check',
    description: 'A check whose outcome the test decides.',
    params: fakeParams,
    run: (ctx, params) => behaviour(ctx, params),
  };
  return new Map([[check.name, check as BuiltinCheck<unknown>]]);
}

export function pass(message = 'fine'): CheckOutcome {
  return { ok: true, message, expected: 'fine', actual: 'fine' };
}

export function failing(actual: string, retryable = true): CheckOutcome {
  return { ok: false, message: `not fine: ${actual}`, expected: 'fine', actual, retryable };
}
