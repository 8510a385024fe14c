// Maps any error that reaches the top of a command to what the user sees and the process exit code.
import { CommanderError } from 'commander';
import { setLanguage } from '../i18n/index.ts';
import { languageOfProcess } from '../i18n/lang.ts';
import { EXIT, UserError } from './exit-codes.ts';
import { SourceError } from './yaml-source.ts';

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

/** Runs a script's main function and sets the exit code from its result or error; `lang` is its `--lang`. */
export async function runMain(main: () => Promise<number | undefined>, lang?: unknown): Promise<void> {
  try {
    setLanguage(languageOfProcess(typeof lang === 'string' ? lang : undefined));
    process.exitCode = (await main()) ?? EXIT.ok;
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
