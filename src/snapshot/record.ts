// What labkit knows about the lab's snapshot beyond Vagrant's list of names: when it was taken and what it
// holds — a working cluster (taken by lab:up after its smoke check) or only the base OS (`lab snapshot save`
// after `lab:up --until base`), which decides what lab:reset waits for. Kept in `.lab/snapshot.json`.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const FILE = 'snapshot.json';

const recordSchema = z.object({
  name: z.string(),
  takenAt: z.iso.datetime(),
  /** `cluster`: nodes, Calico and CoreDNS were Ready; `base`: only the base OS was provisioned. */
  contents: z.enum(['cluster', 'base']),
  nodes: z.array(z.string()),
});

export type SnapshotRecord = z.infer<typeof recordSchema>;

export async function readSnapshotRecord(stateDir: string): Promise<SnapshotRecord | undefined> {
  const text = await readFile(join(stateDir, FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSnapshotRecord(stateDir: string, record: SnapshotRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const tmp = join(stateDir, `${FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, join(stateDir, FILE));
}

export async function forgetSnapshotRecord(stateDir: string): Promise<void> {
  await rm(join(stateDir, FILE), { force: true });
}
