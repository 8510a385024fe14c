// Runs the project's own npm scripts (lab:up, lab:status, lab:ssh, lab:down) exactly as a user would, with a
// timeout, and keeps everything they printed for the check's message and the lane's log.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export interface NpmRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export async function npmRun(
  script: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: Record<string, string>; workDir?: string },
): Promise<NpmRun> {
  const t0 = Date.now();
  const result = await execa('npm', ['run', '--silent', script, '--', ...args], {
    reject: false,
    timeout: options.timeoutMs,
    stdin: 'ignore',
    env: { ...options.env },
  });
  const run: NpmRun = {
    exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    ms: Date.now() - t0,
  };
  if (options.workDir) {
    appendFileSync(
      join(options.workDir, 'commands.log'),
      `\n$ npm run ${script} -- ${args.join(' ')}  (exit ${run.exitCode}${result.timedOut ? ', timed out' : ''}, ${run.ms} ms)\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n`,
    );
  }
  return run;
}

/** The end of a command's output, for failure messages. */
export function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
