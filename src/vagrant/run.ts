// Runs the vagrant CLI for labkit: always with the lab's config path, no update checks, output kept in a log.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { UserError, EXIT } from '../util/exit-codes.ts';
import { localHostArchitecture } from './box-architecture.ts';

export interface VagrantOptions {
  /** Folder holding the Vagrantfile. */
  readonly cwd: string;
  /** Absolute path of the lab config the Vagrantfile reads (LAB_CONFIG). */
  readonly configPath: string;
  /** The vagrant executable (tests put a stub here). */
  readonly bin?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface VagrantRunOptions {
  /** Append stdout+stderr here (the log a user is pointed to on failure). */
  readonly logFile?: string;
  readonly onLine?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface VagrantOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function vagrantEnv(opts: VagrantOptions): Record<string, string | undefined> {
  // Every vagrant call gets the host's architecture, so the Vagrantfile picks the same box build for `up`,
  // `status` and `snapshot` alike (src/vagrant/box-architecture.ts says why Vagrant's own guess is not used).
  const arch = localHostArchitecture().arch;
  return {
    ...(arch ? { LAB_BOX_ARCH: arch } : {}),
    ...opts.env,
    LAB_CONFIG: opts.configPath,
    VAGRANT_CHECKPOINT_DISABLE: '1',
    VAGRANT_NO_COLOR: '1',
  };
}

/** Runs `vagrant ARGS`; resolves with the exit code (callers decide what a failure means). */
export async function runVagrant(
  opts: VagrantOptions,
  args: readonly string[],
  run: VagrantRunOptions = {},
): Promise<VagrantOutput> {
  const bin = opts.bin ?? 'vagrant';
  let log: ReturnType<typeof createWriteStream> | undefined;
  if (run.logFile) {
    await mkdir(dirname(run.logFile), { recursive: true });
    log = createWriteStream(run.logFile, { flags: 'a' });
    log.write(`\n$ ${bin} ${args.join(' ')}\n`);
  }
  try {
    const child = execa(bin, args, {
      cwd: opts.cwd,
      env: vagrantEnv(opts),
      reject: false,
      all: true,
      ...(run.signal ? { cancelSignal: run.signal } : {}),
      ...(run.timeoutMs ? { timeout: run.timeoutMs } : {}),
      stdin: 'ignore',
    });
    if (log || run.onLine) {
      let pending = '';
      child.all?.on('data', (chunk: Buffer) => {
        log?.write(chunk);
        if (!run.onLine) return;
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) run.onLine(line);
      });
    }
    const result = await child;
    if (result.failed && result.exitCode === undefined) {
      const notFound = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      throw new UserError(
        notFound
          ? `vagrant was not found on PATH (${bin}). Install Vagrant from https://developer.hashicorp.com/vagrant/install and open a new terminal.`
          : `vagrant ${args.join(' ')} did not run: ${result.shortMessage}`,
        EXIT.usage,
      );
    }
    return {
      exitCode: result.exitCode ?? 1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
    };
  } finally {
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  }
}
