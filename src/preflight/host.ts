// What preflight needs to know about the host, behind one interface so tests can describe any machine
// (a Windows laptop with VirtualBox in D:\, an Apple Silicon Mac, a Linux box) from real command outputs.
import { readFile, stat, statfs } from 'node:fs/promises';
import { cpus, platform, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { execa } from 'execa';

export interface CommandOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr?: string;
}

export interface DiskFree {
  readonly freeMb: number;
  /** Identifies the filesystem, so two paths on one disk are counted once. */
  readonly device: string;
}

export interface HostProbe {
  readonly platform: NodeJS.Platform;
  /** Node's own architecture (`process.arch`): `x64` also for a Node that runs under Rosetta. */
  readonly arch: string;
  readonly totalMemoryMb: number;
  readonly cpuCount: number;
  /** The environment labkit and Vagrant run with (on Windows, names are matched without case). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs a program; undefined when it is not installed. */
  run(bin: string, args: readonly string[]): Promise<CommandOutput | undefined>;
  /** Reads a text file; undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** What is at a path: a file, a directory, or nothing. */
  pathKind(path: string): Promise<'file' | 'dir' | undefined>;
  /** Free space on the filesystem that holds `path`, or its nearest existing parent (a folder Vagrant
   *  or VirtualBox has not created yet lands on the disk its parent is on). */
  diskFree(path: string): Promise<DiskFree | undefined>;
}

export function realHostProbe(): HostProbe {
  return {
    platform: platform(),
    arch: process.arch,
    totalMemoryMb: Math.floor(totalmem() / 1024 / 1024),
    cpuCount: cpus().length,
    env: process.env,
    async run(bin, args) {
      const result = await execa(bin, args, {
        reject: false,
        timeout: 30_000,
        stdin: 'ignore',
        env: { VAGRANT_CHECKPOINT_DISABLE: '1' },
      });
      if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
      return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    async pathKind(path) {
      try {
        const s = await stat(path);
        return s.isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined;
      }
    },
    async diskFree(path) {
      for (let dir = path; ; dir = dirname(dir)) {
        try {
          const [fs, s] = await Promise.all([statfs(dir), stat(dir)]);
          return { freeMb: Math.floor((fs.bavail * fs.bsize) / 1024 / 1024), device: String(s.dev) };
        } catch {
          if (dirname(dir) === dir) return undefined;
        }
      }
    },
  };
}

/** An environment variable; on Windows names are case-insensitive (`Path`, `ProgramFiles`). */
export function envValue(host: Pick<HostProbe, 'env' | 'platform'>, name: string): string | undefined {
  const direct = host.env[name];
  if (direct !== undefined || host.platform !== 'win32') return direct;
  const key = Object.keys(host.env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : host.env[key];
}
