// A HostProbe that describes a machine from facts: its platform, environment, files, the outputs of the
// commands preflight runs (copied from real machines, test/fixtures/hosts/), and free disk space.
import { posix, win32 } from 'node:path';
import type { CommandOutput, DiskFree, HostProbe } from '../../src/preflight/host.ts';

export interface FakeHostSpec {
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  readonly totalMemoryMb?: number;
  readonly cpuCount?: number;
  readonly env?: Record<string, string>;
  /** Text files by path; a file whose content is '' exists but is empty. */
  readonly files?: Record<string, string>;
  /** Directories that exist. */
  readonly dirs?: readonly string[];
  /** Outputs by `bin arg1 arg2` (bin as run, e.g. a full VBoxManage.exe path); a string is stdout, exit 0. */
  readonly commands?: Record<string, string | CommandOutput>;
  /** Programs that are not installed (run answers undefined), matched on the bin as run. */
  readonly missing?: readonly string[];
  /** Free space by path prefix (longest prefix wins); default 200 GB on one disk. */
  readonly disks?: Record<string, DiskFree>;
  /** Answers commands the spec does not list (e.g. a real program); default: not installed. */
  readonly fallback?: (bin: string, args: readonly string[]) => Promise<CommandOutput | undefined>;
}

export function fakeHost(spec: FakeHostSpec = {}): HostProbe & { readonly ran: string[] } {
  const platform = spec.platform ?? 'linux';
  const p = platform === 'win32' ? win32 : posix;
  const norm = (path: string) => (platform === 'win32' ? p.normalize(path).toLowerCase() : p.normalize(path));
  const files = new Map(Object.entries(spec.files ?? {}).map(([k, v]) => [norm(k), v]));
  const dirs = new Set((spec.dirs ?? []).map(norm));
  const ran: string[] = [];
  return {
    ran,
    platform,
    arch: spec.arch ?? 'x64',
    totalMemoryMb: spec.totalMemoryMb ?? 16_384,
    cpuCount: spec.cpuCount ?? 8,
    env: spec.env ?? { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/student' },
    async run(bin, args) {
      const line = [bin, ...args].join(' ');
      ran.push(line);
      if (spec.missing?.includes(bin)) return undefined;
      const known = spec.commands?.[line];
      if (known !== undefined) return typeof known === 'string' ? { exitCode: 0, stdout: known } : known;
      return spec.fallback ? spec.fallback(bin, args) : undefined;
    },
    async readText(path) {
      return files.get(norm(path));
    },
    async pathKind(path) {
      const n = norm(path);
      if (files.has(n)) return 'file';
      if (dirs.has(n)) return 'dir';
      return undefined;
    },
    async diskFree(path) {
      const n = norm(path);
      const match = Object.entries(spec.disks ?? {})
        .filter(([prefix]) => n.startsWith(norm(prefix)))
        .sort((a, b) => b[0].length - a[0].length)[0];
      return match ? match[1] : { freeMb: 200 * 1024, device: 'disk0' };
    },
  };
}
