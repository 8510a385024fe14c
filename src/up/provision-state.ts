// How far the running VMs were provisioned, remembered between lab:up runs in `.lab/provisioned-until`:
// after `lab:up --until base` the VMs run but lack packages, so the next full lab:up must provision them
// again instead of skipping VMs that are "already running".
import { readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'provisioned-until';

export type ProvisionedUntil = 'base' | 'all';

export async function readProvisionedUntil(stateDir: string): Promise<ProvisionedUntil> {
  const text = await readFile(join(stateDir, FILE), 'utf8').catch(() => '');
  return text.trim() === 'base' ? 'base' : 'all';
}

export async function recordProvisionedUntil(stateDir: string, until: ProvisionedUntil): Promise<void> {
  if (until === 'all') {
    await rm(join(stateDir, FILE), { force: true });
    return;
  }
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, FILE), `${until}\n`);
}
