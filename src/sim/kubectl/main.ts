// The simulated `kubectl` (bundled into one .mjs at testbed up and run by node on the master host). It
// finds its cluster through $LABKIT_SIM_STATE, dispatches the subcommand, and maps errors to kubectl's
// wording and exit codes. Anything it does not implement fails with a kubectl-like error, never silently.
import { StateFileError, STATE_ENV } from '../store.ts';
import { ApiError } from '../model/api.ts';
import { KubectlError, parseKubectlArgs } from './args.ts';
import { applyCommand } from './apply.ts';
import type { KubectlContext } from './context.ts';
import { createCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { describeCommand } from './describe.ts';
import { execCommand } from './exec.ts';
import { exposeCommand } from './expose.ts';
import { getCommand } from './get.ts';
import { logsCommand } from './logs.ts';
import { runDuePodScripts } from './pod-scripts.ts';
import { rolloutCommand } from './rollout.ts';
import { runCommand } from './run.ts';
import { waitCommand } from './wait.ts';

const COMMANDS: Record<string, (ctx: KubectlContext) => Promise<number>> = {
  apply: applyCommand,
  create: createCommand,
  delete: deleteCommand,
  describe: describeCommand,
  exec: execCommand,
  expose: exposeCommand,
  get: getCommand,
  logs: logsCommand,
  rollout: rolloutCommand,
  run: runCommand,
  wait: waitCommand,
  version: async (ctx) => {
    ctx.out(
      'Client Version: v1.27.1\nKustomize Version: v5.0.1\nServer Version: v1.27.1 (labkit simulated cluster)\n',
    );
    return 0;
  },
};

export interface KubectlRun {
  readonly argv: readonly string[];
  readonly stateFile: string;
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

export async function kubectl(run: KubectlRun): Promise<number> {
  let stdinText: Promise<string> | undefined;
  try {
    const args = parseKubectlArgs(run.argv);
    const [command, ...positionals] = args.positionals;
    if (command === undefined) {
      run.out(
        'kubectl controls the Kubernetes cluster manager (labkit simulated cluster).\n\nBasic Commands: apply create delete describe exec expose get logs rollout run wait version\n',
      );
      return 0;
    }
    const handler = COMMANDS[command];
    if (!handler)
      throw new KubectlError(
        `error: unknown command "${command}" for "kubectl"\nRun 'kubectl --help' for usage.`,
      );
    const ctx: KubectlContext = {
      stateFile: run.stateFile,
      args: { ...args, positionals },
      out: run.out,
      err: run.err,
      readStdin: () => (stdinText ??= run.readStdin()),
    };
    await runDuePodScripts(run.stateFile);
    return await handler(ctx);
  } catch (error) {
    if (error instanceof KubectlError) {
      run.err(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ApiError) {
      run.err(`Error from server (${error.reason}): ${error.message}\n`);
      return 1;
    }
    if (error instanceof StateFileError) {
      run.err(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function readAll(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Entry point of the bundled executable. */
export async function main(): Promise<void> {
  const stateFile = process.env[STATE_ENV];
  if (!stateFile) {
    process.stderr.write(
      `error: ${STATE_ENV} is not set: this kubectl talks to a labkit simulated cluster (set up by the testbed)\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.on('error', () => undefined);
  process.exitCode = await kubectl({
    argv: process.argv.slice(2),
    stateFile,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readStdin: readAll,
  });
}
