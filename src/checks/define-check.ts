// One shape for every built-in check: a failure found deep inside (a missing Service, unreadable kubectl
// output, a client pod that never became Ready) is thrown as a CheckFailed carrying the outcome to show,
// so each check's main line reads as the tutorial's promise instead of a chain of early returns.
import type { z } from 'zod';
import type { BuiltinCheck, CheckContext, CheckOutcome } from './types.ts';

export class CheckFailed extends Error {
  constructor(readonly outcome: CheckOutcome) {
    super(outcome.message);
    this.name = 'CheckFailed';
  }
}

export function fail(outcome: Omit<CheckOutcome, 'ok'>): never {
  throw new CheckFailed({ ok: false, ...outcome });
}

export interface CheckDefinition<S extends z.ZodType> {
  readonly name: string;
  /** From the message catalog, read when shown (the language is chosen after the checks are defined). */
  readonly description: () => string;
  readonly params: S;
  run(ctx: CheckContext, params: z.output<S>): Promise<CheckOutcome>;
}

/** Builds a BuiltinCheck whose run turns CheckFailed into its outcome. Anything else (SshError when the
 *  host is unreachable, an abort) propagates: the runner maps those to exit 3 / cancel, not a failed check. */
export function defineCheck<S extends z.ZodType>(def: CheckDefinition<S>): BuiltinCheck<z.output<S>> {
  return {
    name: def.name,
    get description() {
      return def.description();
    },
    params: def.params as unknown as z.ZodType<z.output<S>>,
    async run(ctx, params) {
      try {
        return await def.run(ctx, params);
      } catch (error) {
        if (error instanceof CheckFailed) return error.outcome;
        throw error;
      }
    },
  };
}
