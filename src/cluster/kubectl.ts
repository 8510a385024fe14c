// kubectl on the control-plane host over SSH, with JSON output parsed by a schema.
import type { z } from 'zod';
import type { ExecOptions, RemoteExecutor } from '../ssh/types.ts';

export class KubectlOutputError extends Error {
  constructor(
    readonly host: string,
    readonly args: readonly string[],
    readonly detail: string,
  ) {
    super(`${host}: kubectl ${args.join(' ')} returned output labkit cannot read: ${detail}`);
    this.name = 'KubectlOutputError';
  }
}

export interface Kubectl {
  readonly host: string;
  /** `kubectl ARGS -o json`, parsed; rejects (with the remote error) when kubectl fails. */
  json<T>(args: readonly string[], schema: z.ZodType<T>, options?: ExecOptions): Promise<T>;
  /** `kubectl ARGS`, raw result whatever the exit code. */
  raw(args: readonly string[], options?: ExecOptions): ReturnType<RemoteExecutor['exec']>;
}

export function kubectlOn(
  executor: RemoteExecutor,
  host: string,
  defaults: ExecOptions = { timeoutMs: 30_000 },
): Kubectl {
  return {
    host,
    async json(args, schema, options) {
      const full = ['kubectl', ...args, '-o', 'json'];
      const result = await executor.run(host, { argv: full }, { ...defaults, ...options });
      let data: unknown;
      try {
        data = JSON.parse(result.stdout);
      } catch {
        throw new KubectlOutputError(host, full.slice(1), `not JSON: ${result.stdout.slice(0, 200)}`);
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success)
        throw new KubectlOutputError(host, full.slice(1), parsed.error.message.slice(0, 500));
      return parsed.data;
    },
    raw(args, options) {
      return executor.exec(host, { argv: ['kubectl', ...args] }, { ...defaults, ...options });
    },
  };
}
