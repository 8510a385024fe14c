// Running the system tools the testbed drives (ip, ss, ssh-keygen, useradd, apt-get): one place, argv only.
import { execa } from 'execa';

export interface ShResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `file args`; rejects with a message naming the command and its stderr when it exits non-zero. */
export async function sh(
  file: string,
  args: readonly string[],
  options: { input?: string } = {},
): Promise<string> {
  const result = await shResult(file, args, options);
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`;
    throw new Error(`testbed: \`${[file, ...args].join(' ')}\` failed: ${detail}`);
  }
  return result.stdout;
}

/** Runs `file args` and resolves whatever the exit code (a missing program counts as exit 127). */
export async function shResult(
  file: string,
  args: readonly string[],
  options: { input?: string } = {},
): Promise<ShResult> {
  const result = await execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    timeout: 120_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return {
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    exitCode: result.exitCode ?? (result.failed ? 127 : 0),
  };
}

/** Runs `file args` and ignores a failure (cleanup of things that may already be gone). */
export async function shQuiet(file: string, args: readonly string[]): Promise<boolean> {
  return (await shResult(file, args)).exitCode === 0;
}
