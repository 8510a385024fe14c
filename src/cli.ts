// The `lab` command. Each command group registers itself; errors end here with a clear message and exit code.
import { Command, CommanderError } from 'commander';
import { registerConfigCommands } from './commands/config.ts';
import { EXIT, UserError } from './util/exit-codes.ts';
import { SourceError } from './util/yaml-source.ts';

export function buildProgram(): Command {
  const program = new Command('lab')
    .description('labkit: Kubernetes teaching labs on Vagrant VMs, checked step by step over SSH')
    .exitOverride()
    .showHelpAfterError('(run `lab --help` for usage)');
  registerConfigCommands(program);
  return program;
}

/** Maps an error to what the user sees and the exit code. */
export function reportError(
  error: unknown,
  write: (text: string) => void = (t) => process.stderr.write(t),
): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof SourceError) {
    write(
      `${error.message}\n${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} found.\n`,
    );
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    write(`${error.message}\n`);
    return error.exitCode;
  }
  write(
    `labkit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.checkFailed;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
