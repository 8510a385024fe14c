// The cluster's state file, which only its apiserver process reads (at start) and writes (after changes,
// src/sim/apiserver/live-cluster.ts): zod-validated on read, written atomically (tmp + rename) as the
// owner of the cluster directory.
import { chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ClusterStateSchema, type ClusterState } from './model/state.ts';

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
