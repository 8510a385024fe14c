// Process limits per container, so a runaway pod (a fork bomb, a memory hog) cannot take the machine
// down: a pids limit and a memory limit. This machine mounts cgroup v1 with the pids and memory
// controllers (/sys/fs/cgroup/{pids,memory}); on a pure cgroup v2 host the same two limits go to one
// directory (pids.max, memory.max). The container's processes join it before the container's command
// runs (container-init.sh writes its own PID), so even a fork at start is counted.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = '/sys/fs/cgroup';

export type CgroupVersion = 'v1' | 'v2';

export interface Limits {
  /** Tasks (processes and threads) the container may have at once. */
  readonly pids: number;
  readonly memoryBytes: number;
}

export const DEFAULT_LIMITS: Limits = { pids: 256, memoryBytes: 256 * 1024 * 1024 };

export function cgroupVersion(): CgroupVersion | undefined {
  if (existsSync(join(ROOT, 'pids', 'pids.max')) || existsSync(join(ROOT, 'pids', 'cgroup.procs')))
    return 'v1';
  if (existsSync(join(ROOT, 'cgroup.controllers'))) return 'v2';
  return undefined;
}

/** The container's cgroup directories (one per controller under v1, one under v2). */
export function cgroupDirs(name: string, version = cgroupVersion()): string[] {
  if (version === 'v1') return [join(ROOT, 'pids', name), join(ROOT, 'memory', name)];
  if (version === 'v2') return [join(ROOT, name)];
  return [];
}

/** Creates the directories with the limits; returns them (empty when the host has no cgroups). */
export async function createCgroup(name: string, limits: Limits): Promise<string[]> {
  const version = cgroupVersion();
  const dirs = cgroupDirs(name, version);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  if (version === 'v1') {
    const [pids, memory] = dirs as [string, string];
    await writeFile(join(pids, 'pids.max'), String(limits.pids));
    await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  } else if (version === 'v2') {
    const [dir] = dirs as [string];
    await writeFile(join(ROOT, 'cgroup.subtree_control'), '+pids +memory').catch(() => undefined);
    await writeFile(join(dir, 'pids.max'), String(limits.pids)).catch(() => undefined);
    await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes)).catch(() => undefined);
  }
  return dirs;
}

/** The PIDs in a cgroup (empty when it is gone). */
export async function cgroupPids(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** SIGKILLs every process in the cgroups until they are empty (a fork bomb forks while we kill). */
export async function killCgroup(dirs: readonly string[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = (await Promise.all(dirs.map(cgroupPids))).flat();
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (Date.now() > deadline)
      throw new Error(`cgroup ${dirs.join(', ')}: processes left: ${pids.join(' ')}`);
    await sleep(20);
  }
}

/** Every container cgroup directory on this host whose name `matches` (all controllers), e.g. for a
 *  teardown after the runtime that made them was killed. */
export async function findCgroups(matches: (name: string) => boolean): Promise<string[]> {
  const version = cgroupVersion();
  const roots =
    version === 'v1' ? [join(ROOT, 'pids'), join(ROOT, 'memory')] : version === 'v2' ? [ROOT] : [];
  const found: string[] = [];
  for (const root of roots)
    for (const entry of await readdir(root, { withFileTypes: true }).catch(() => []))
      if (entry.isDirectory() && matches(entry.name)) found.push(join(root, entry.name));
  return found;
}

/** Removes the (empty) cgroups; missing ones are fine. */
export async function removeCgroup(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; existsSync(dir); attempt++) {
      try {
        await rmdir(dir);
      } catch (error) {
        // EBUSY while the last process is still being reaped.
        if (attempt > 100) throw error;
        await sleep(20);
      }
    }
  }
}
