// What preflight needs to know about the host, behind one interface so tests can describe any machine.
import { readFile } from 'node:fs/promises';
import { cpus, platform, totalmem } from 'node:os';
import { execa } from 'execa';

export interface HostProbe {
  readonly platform: NodeJS.Platform;
  readonly totalMemoryMb: number;
  readonly cpuCount: number;
  /** Runs a program; undefined when it is not installed. */
  run(bin: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string } | undefined>;
  /** Reads a text file; undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
}

export function realHostProbe(): HostProbe {
  return {
    platform: platform(),
    totalMemoryMb: Math.floor(totalmem() / 1024 / 1024),
    cpuCount: cpus().length,
    async run(bin, args) {
      const result = await execa(bin, args, {
        reject: false,
        timeout: 30_000,
        stdin: 'ignore',
        env: { VAGRANT_CHECKPOINT_DISABLE: '1' },
      });
      if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
      return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout) };
    },
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
