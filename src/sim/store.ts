// The cluster's state file: read (zod-validated), reconcile to now, mutate, write back atomically, all
// under proper-lockfile so concurrent kubectl processes (several SSH sessions, the test harness) never
// lose each other's updates. Files are written as the owner of the cluster directory, so a root test
// harness and the `vagrant` user's kubectl can both keep writing them.
import { chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { reconcile } from './model/controller.ts';
import { ClusterStateSchema, type ClusterState } from './model/state.ts';

export const STATE_ENV = 'LABKIT_SIM_STATE';

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

export async function readStateFile(file: string): Promise<ClusterState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StateFileError(
      `simulated cluster state ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); bring the testbed up again: npx tsx test/testbed/cli.ts up`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError(
      `simulated cluster state ${file} is not valid JSON; recreate it with testbed up`,
    );
  }
  const parsed = ClusterStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateFileError(
      `simulated cluster state ${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}; recreate it with testbed up`,
    );
  }
  return parsed.data;
}

export async function writeStateFile(file: string, state: ClusterState): Promise<void> {
  const tmp = join(dirname(file), `.state.${process.pid}.${Date.now()}.tmp`);
  await writeFile(tmp, JSON.stringify(state), { mode: 0o664 });
  if (process.getuid?.() === 0) {
    const owner = await stat(dirname(file));
    await chown(tmp, owner.uid, owner.gid);
  }
  await rename(tmp, file);
}

const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 400, minTimeout: 2, maxTimeout: 40, factor: 1.3 },
} as const;

/** Runs `change` on the reconciled state under the lock and writes the result back. */
export async function updateState<T>(
  file: string,
  change: (state: ClusterState, now: number) => T | Promise<T>,
): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, LOCK_OPTIONS);
  } catch (error) {
    throw new StateFileError(
      `simulated cluster state ${file} could not be locked: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const state = await readStateFile(file);
    const now = Date.now();
    reconcile(state, now);
    const result = await change(state, now);
    await writeStateFile(file, state);
    return result;
  } finally {
    await release();
  }
}

/** Reconciled state for reading only (still locked, since reconciling may write). */
export async function currentState(file: string): Promise<ClusterState> {
  return updateState(file, (state) => state);
}
