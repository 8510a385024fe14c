// How far the lab's VMs were provisioned, remembered between lab:up runs in `.lab/provisioned-until`.
// Vagrant's own record cannot tell: it writes its "already provisioned" sentinel *before* the provisioners
// run (vagrant lib/vagrant/action/builtin/provision.rb), so a VM whose provisioning failed counts as
// provisioned and keeps running. lab:up therefore writes `incomplete` before every provisioning pass and
// `all` (or `base`) only after it succeeded; anything but `all` makes the next lab:up provision again.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'provisioned-until';

/** `all`: every phase succeeded. `base`: `lab:up --until base` succeeded. `incomplete`: a pass started and
 *  did not finish (failed, interrupted). `unknown`: no record (a first run, or `.lab` was removed). */
export type ProvisionState = 'all' | 'base' | 'incomplete' | 'unknown';

export async function readProvisionState(stateDir: string): Promise<ProvisionState> {
  const text = (await readFile(join(stateDir, FILE), 'utf8').catch(() => '')).trim();
  return text === 'all' || text === 'base' || text === 'incomplete' ? text : 'unknown';
}

export async function recordProvisionState(
  stateDir: string,
  state: Exclude<ProvisionState, 'unknown'>,
): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  // Temp file + rename: a lab:up killed mid-write leaves the old record, never an empty one.
  const tmp = join(stateDir, `${FILE}.tmp`);
  await writeFile(tmp, `${state}\n`);
  await rename(tmp, join(stateDir, FILE));
}

/** Why the VMs must be provisioned again although they may all be running (undefined: they need not). */
export function reprovisionReason(state: ProvisionState): string | undefined {
  switch (state) {
    case 'all':
      return undefined;
    case 'base':
      return 'lab:up --until base provisioned only the base phase';
    case 'incomplete':
      return 'the last provisioning did not finish';
    case 'unknown':
      return 'no record of a finished provisioning in .lab/provisioned-until';
  }
}
