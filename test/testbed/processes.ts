// Process bookkeeping. PID 1 here may not reap orphans promptly, so a process counts as gone when
// /proc/<pid> is missing *or* it is a zombie. sshd processes this process spawned are its own children
// and are waited on through their ChildProcess handle (reaped at once); those a previous `up` left are
// watched through /proc.
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const children = new Map<number, ChildProcess>();

/** Remembers a spawned child so waitForExit can use its 'exit' event (and Node reaps it). */
export function trackChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const pid = child.pid;
  children.set(pid, child);
  child.once('exit', () => children.delete(pid));
}

/** The command line of `pid` (NUL-separated words), or undefined when it has gone or is a zombie. */
export async function liveCmdline(pid: number): Promise<string[] | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name (which may itself hold spaces or parentheses).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return undefined;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').filter((w) => w !== '');
  } catch {
    return undefined;
  }
}

export async function isAlive(pid: number): Promise<boolean> {
  return (await liveCmdline(pid)) !== undefined;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Polls until `pid` has exited (or is a zombie); false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const child = children.get(pid);
  if (child && child.exitCode === null && child.signalCode === null) {
    // A ref'd timer: the sshd child is unref'd (so a CLI `up` can exit), and without one the event loop
    // could drain while we wait and Node would exit in the middle of `down`.
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([exited, expired]);
    clearTimeout(timer);
    return done;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid))) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !(await isAlive(pid));
}

/** SIGTERM, up to `graceMs` to exit, then SIGKILL and wait again. Throws if the process survives. */
export async function terminate(pids: readonly number[], graceMs = 3_000): Promise<void> {
  const live = [];
  for (const pid of pids) if (await isAlive(pid)) live.push(pid);
  for (const pid of live) signal(pid, 'SIGTERM');
  const stubborn = [];
  for (const pid of live) if (!(await waitForExit(pid, graceMs))) stubborn.push(pid);
  for (const pid of stubborn) signal(pid, 'SIGKILL');
  for (const pid of stubborn)
    if (!(await waitForExit(pid, 5_000))) throw new Error(`testbed: process ${pid} survived SIGKILL`);
}

/** SIGKILL at once (a simulated crash), then wait until gone. */
export async function killNow(pids: readonly number[]): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGKILL');
  for (const pid of pids)
    if (!(await waitForExit(pid, 5_000))) throw new Error(`testbed: process ${pid} survived SIGKILL`);
}

/** Live processes whose command line contains every one of `words` (a /proc scan, like pgrep -f). */
export async function findProcesses(match: (argv: readonly string[]) => boolean): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = await liveCmdline(pid);
    if (argv && match(argv)) found.push(pid);
  }
  return found;
}

/** Direct children of `pid` (from /proc/<pid>/task/<pid>/children). */
export async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** `pid` and all its descendants. */
export async function processTree(pid: number): Promise<number[]> {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const current = all[i];
    if (current !== undefined) all.push(...(await childrenOf(current)));
  }
  return all;
}
