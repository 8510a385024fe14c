// The `lab` command. Each command group registers itself; errors end here with a clear message and exit code.
import { Command } from 'commander';
import { registerConfigCommands } from './commands/config.ts';
import { EXIT } from './util/exit-codes.ts';
import { reportError } from './util/report-error.ts';

export function buildProgram(): Command {
  const program = new Command('lab')
    .description('labkit: Kubernetes teaching labs on Vagrant VMs, checked step by step over SSH')
    .exitOverride()
    .showHelpAfterError('(run `lab --help` for usage)');
  registerConfigCommands(program);
  return program;
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
