// Small /proc readers: a process's children, its start time (to tell a reused PID apart), liveness.
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessExit } from '../apiserver/streams/types.ts';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); undefined when gone. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(' ').filter(Boolean).map(Number);
}

/** The first child of `pid`, waiting for it to appear; undefined when `pid` ended first (the exit file
 *  says how). */
export async function waitForChild(
  pid: number,
  deadline: number,
  exitFile: string,
): Promise<number | undefined> {
  while (Date.now() < deadline) {
    const [child] = await childrenOf(pid);
    if (child !== undefined) return child;
    if (existsSync(exitFile) || !pidAlive(pid)) return undefined;
    await sleep(2);
  }
  throw new Error(`PID ${pid} has no child in time`);
}

/** A shell's exit status as a ProcessExit: above 128 is 128 + a signal's number. */
export function exitOf(status: number): ProcessExit {
  if (status > 128 && status < 128 + 65) {
    const name = Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0];
    if (name !== undefined) return { code: status, signal: name as NodeJS.Signals };
  }
  return { code: status };
}

/** SIGKILLs `pid` and all its descendants (children first read, so none escapes by reparenting). */
export async function killTree(pid: number): Promise<void> {
  const all: number[] = [];
  const walk = async (p: number): Promise<void> => {
    all.push(p);
    for (const child of await childrenOf(p)) await walk(child);
  };
  await walk(pid);
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
