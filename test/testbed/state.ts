// .testbed/state.json: everything `up` created, written *before* each thing is made so that `down` can
// clean up after a crash at any point (it also removes by name pattern, for a crash before the first write).
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostPlan } from './layout.ts';

export interface HostState extends HostPlan {
  /** PID of the host's sshd listener, once started. */
  sshdPid?: number;
}

export interface TestbedState {
  readonly version: 1;
  /** 'creating' until every host answers; a crashed `up` leaves it there. */
  phase: 'creating' | 'up';
  readonly dir: string;
  clusters: number;
  readonly bridge: string;
  readonly hostAddress: string;
  hosts: HostState[];
  /** Whether `up` created user vagrant (then `down` removes it). */
  userCreated: boolean;
  /** System paths outside the testbed directory that `up` wrote (removed by `down`). */
  systemPaths: string[];
  readonly inventory: string;
  readonly knownHosts: string;
  readonly clientKey: string;
  /** PID of the process that ran `up` last. */
  upPid: number;
  updatedAt: string;
}

export async function readState(file: string): Promise<TestbedState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TestbedState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A torn write (crash mid-write) is treated as no state: `down` then cleans up by name patterns.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Writes atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeState(file: string, state: TestbedState): Promise<void> {
  state.updatedAt = new Date().toISOString();
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, file);
}
