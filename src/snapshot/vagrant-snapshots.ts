// `vagrant snapshot list|save|restore` for the lab's VMs, read through --machine-readable output.
// Vagrant's snapshot commands (plugins/commands/snapshot/command/*.rb) print per machine: `list` a
// `ui,detail` line per snapshot name (written with prefix: false, so the bare name), "No snapshots have been
// taken yet!" or "VM not created. Moving on..."; `save` skips a machine that was never created with only a
// warning and exit 0, so what was saved is checked with `list` afterwards.
import { parseMachineReadable } from '../vagrant/machine-readable.ts';
import { runVagrant, type VagrantOptions, type VagrantRunOptions } from '../vagrant/run.ts';

export type MachineSnapshots =
  { readonly state: 'not_created' } | { readonly state: 'created'; readonly snapshots: readonly string[] };

/** Each machine's snapshots from `vagrant snapshot list --machine-readable`. */
export function parseSnapshotList(text: string): Map<string, MachineSnapshots> {
  const found = new Map<string, { notCreated: boolean; names: string[] }>();
  for (const event of parseMachineReadable(text)) {
    if (!event.target) continue;
    const entry = found.get(event.target) ?? { notCreated: false, names: [] };
    found.set(event.target, entry);
    if (event.type !== 'ui') continue;
    const [kind, message = ''] = event.data;
    if (kind === 'info' && /VM not created/.test(message)) entry.notCreated = true;
    // Snapshot names are the only detail lines without the "    <machine>: " prefix.
    if (kind === 'detail' && message !== '' && !/^\s/.test(message) && !message.includes('\n'))
      entry.names.push(message);
  }
  return new Map(
    [...found].map(([name, e]) => [
      name,
      e.notCreated ? { state: 'not_created' as const } : { state: 'created' as const, snapshots: e.names },
    ]),
  );
}

/** The error Vagrant ended with (`error-exit` event), or the last lines of its output. */
export function vagrantFailure(stdout: string, stderr: string): string {
  const exit = parseMachineReadable(stdout).find((e) => e.type === 'error-exit');
  const text = exit ? (exit.data[1] ?? exit.data[0] ?? '') : stderr.trim() || stdout.trim();
  return text.trim().split('\n').slice(0, 4).join('\n');
}

export class SnapshotCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly detail: string,
  ) {
    super(`vagrant ${command} failed (exit ${exitCode}): ${detail}`);
    this.name = 'SnapshotCommandError';
  }
}

/** Runs one `vagrant snapshot ...`; a non-zero exit becomes a SnapshotCommandError with Vagrant's error. */
async function snapshotCommand(
  vagrant: VagrantOptions,
  args: readonly string[],
  timeoutMs: number,
  run: VagrantRunOptions,
): Promise<string> {
  const out = await runVagrant(vagrant, ['snapshot', ...args, '--machine-readable'], { timeoutMs, ...run });
  if (out.exitCode !== 0)
    throw new SnapshotCommandError(
      `snapshot ${args[0] ?? ''}`,
      out.exitCode,
      vagrantFailure(out.stdout, out.stderr),
    );
  return out.stdout;
}

export async function listSnapshots(
  vagrant: VagrantOptions,
  run: VagrantRunOptions = {},
): Promise<Map<string, MachineSnapshots>> {
  return parseSnapshotList(await snapshotCommand(vagrant, ['list'], 120_000, run));
}

/** The machines among `names` that have no snapshot `snapshot` (not created ones included). */
export function machinesWithout(
  list: ReadonlyMap<string, MachineSnapshots>,
  names: readonly string[],
  snapshot: string,
): string[] {
  return names.filter((n) => {
    const m = list.get(n);
    return !(m?.state === 'created' && m.snapshots.includes(snapshot));
  });
}

/** Saves (or replaces: --force) the snapshot on every machine of the Vagrantfile. */
export async function saveSnapshots(
  vagrant: VagrantOptions,
  name: string,
  run: VagrantRunOptions = {},
): Promise<void> {
  await snapshotCommand(vagrant, ['save', '--force', name], 30 * 60_000, run);
}

/** Restores every machine to the snapshot. --no-provision: the VMs come back exactly as saved, whatever
 *  Vagrant's provisioning sentinel says. */
export async function restoreSnapshots(
  vagrant: VagrantOptions,
  name: string,
  run: VagrantRunOptions = {},
): Promise<void> {
  await snapshotCommand(vagrant, ['restore', '--no-provision', name], 30 * 60_000, run);
}
