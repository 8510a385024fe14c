// Phase "snapshot": after the smoke check passed, every VM is snapshotted (`vagrant snapshot save`) under
// the config's snapshot.name, so `npm run lab:reset` can bring a broken lab back in about a minute. A failed
// snapshot does not fail lab:up (the cluster is ready); the phase says so and what to do.
import { basename, join } from 'node:path';
import { forgetSnapshotRecord, readSnapshotRecord, writeSnapshotRecord } from '../snapshot/record.ts';
import {
  listSnapshots,
  machinesWithout,
  saveSnapshots,
  SnapshotCommandError,
} from '../snapshot/vagrant-snapshots.ts';
import { parseMachineReadableLine } from '../vagrant/machine-readable.ts';
import type { UpContext } from './context.ts';

export async function snapshotLab(
  ctx: UpContext,
  report: (text: string) => void,
  { rebuilt }: { readonly rebuilt: boolean },
): Promise<string> {
  const { enabled, name } = ctx.config.snapshot;
  if (!enabled)
    return `skipped: snapshot.enabled is false in ${basename(ctx.configPath)} (npm run lab:reset needs a snapshot)`;
  const names = ctx.config.nodes.map((n) => n.name);
  const run = {
    logFile: join(ctx.stateDir, 'logs', 'vagrant-snapshot.log'),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const notSaved = (why: string) =>
    `NOT saved: ${why}. The lab is ready, but npm run lab:reset needs a snapshot: fix that, then run \`npx lab snapshot save\` (log: .lab/logs/vagrant-snapshot.log)`;
  try {
    const before = await listSnapshots(ctx.vagrant, run);
    const record = await readSnapshotRecord(ctx.stateDir);
    const without = machinesWithout(before, names, name);
    if (!rebuilt && without.length === 0 && record?.name === name && record.contents === 'cluster')
      return `skipped: ${name} exists (taken ${record.takenAt}); npm run lab:reset goes back to it`;
    report(`vagrant snapshot save ${name} on ${names.join(', ')}`);
    // A half-replaced snapshot must never be restored: forget it until every VM has the new one.
    await forgetSnapshotRecord(ctx.stateDir);
    await saveSnapshots(ctx.vagrant, name, { ...run, onLine: (line) => reportUi(line, report) });
    const missing = machinesWithout(await listSnapshots(ctx.vagrant, run), names, name);
    if (missing.length > 0) return notSaved(`vagrant saved no snapshot of ${missing.join(', ')}`);
    await writeSnapshotRecord(ctx.stateDir, {
      name,
      takenAt: new Date().toISOString(),
      contents: 'cluster',
      nodes: names,
    });
    return `${name} ${without.length < names.length ? 'replaced' : 'saved'} on ${names.length} VMs: npm run lab:reset goes back to it`;
  } catch (error) {
    if (error instanceof SnapshotCommandError) return notSaved(error.message);
    throw error;
  }
}

/** Shows Vagrant's own progress messages (`ui` events) of a machine-readable run. */
export function reportUi(line: string, report: (text: string) => void): void {
  const event = parseMachineReadableLine(line);
  if (event?.type === 'ui' && event.data[1]) report(event.data[1].trim());
}
