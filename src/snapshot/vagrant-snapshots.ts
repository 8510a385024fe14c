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

export async function listSnapshots(
  vagrant: VagrantOptions,
  run: VagrantRunOptions = {},
): Promise<Map<string, MachineSnapshots>> {
  const out = await runVagrant(vagrant, ['snapshot', 'list', '--machine-readable'], {
    timeoutMs: 120_000,
    ...run,
  });
  if (out.exitCode !== 0)
    throw new SnapshotCommandError('snapshot list', out.exitCode, vagrantFailure(out.stdout, out.stderr));
  return parseSnapshotList(out.stdout);
}

/** Saves (or replaces: --force) the snapshot on every machine of the Vagrantfile. */
export async function saveSnapshots(
  vagrant: VagrantOptions,
  name: string,
  run: VagrantRunOptions = {},
): Promise<void> {
  const args = ['snapshot', 'save', '--force', name, '--machine-readable'];
  const out = await runVagrant(vagrant, args, { timeoutMs: 30 * 60_000, ...run });
  if (out.exitCode !== 0)
    throw new SnapshotCommandError('snapshot save', out.exitCode, vagrantFailure(out.stdout, out.stderr));
}

/** Restores every machine to the snapshot. --no-provision: the VMs come back exactly as saved, whatever
 *  Vagrant's provisioning sentinel says. */
export async function restoreSnapshots(
  vagrant: VagrantOptions,
  name: string,
  run: VagrantRunOptions = {},
): Promise<void> {
  const args = ['snapshot', 'restore', '--no-provision', name, '--machine-readable'];
  const out = await runVagrant(vagrant, args, { timeoutMs: 30 * 60_000, ...run });
  if (out.exitCode !== 0)
    throw new SnapshotCommandError('snapshot restore', out.exitCode, vagrantFailure(out.stdout, out.stderr));
}
