// .testbed/inventory.yaml in labkit's class-inventory format (src/inventory/schema.ts): one class
// `testbed`, one student per cluster (`c1`, `c2`, ...), master + two workers each, strict host keys
// from .testbed/known_hosts. Paths are relative to the inventory file, as the loader resolves them.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import type { HostPlan } from './layout.ts';
import { TESTBED_USER, type TestbedPaths } from './paths.ts';

export const TESTBED_CLASS_ID = 'testbed';
/** Connect timeout written into the inventory: testbed hosts answer in milliseconds. */
export const TESTBED_CONNECT_TIMEOUT_SEC = 5;

/** Student id of cluster `i` (target names become `c1/master-node`). */
export function studentId(cluster: number): string {
  return `c${cluster}`;
}

export function inventoryDocument(hosts: readonly HostPlan[], paths: TestbedPaths): Record<string, unknown> {
  const clusters = [...new Set(hosts.map((h) => h.cluster))].sort((a, b) => a - b);
  const entry = (h: HostPlan): Record<string, string> => ({ name: h.hostname, host: h.address });
  return {
    defaults: {
      user: TESTBED_USER,
      identityFile: basename(paths.clientKey),
      hostKey: { mode: 'strict', knownHostsFile: basename(paths.knownHosts) },
      connectTimeoutSec: TESTBED_CONNECT_TIMEOUT_SEC,
    },
    classes: [
      {
        id: TESTBED_CLASS_ID,
        students: clusters.map((cluster) => {
          const mine = hosts.filter((h) => h.cluster === cluster);
          const master = mine.find((h) => h.role === 'master');
          if (!master) throw new Error(`testbed: cluster ${cluster} has no master`);
          return {
            id: studentId(cluster),
            master: entry(master),
            workers: mine.filter((h) => h.role === 'worker').map(entry),
          };
        }),
      },
    ],
  };
}

export async function writeInventory(hosts: readonly HostPlan[], paths: TestbedPaths): Promise<void> {
  const header = '# Written by `testbed up` (test/testbed): the testbed hosts as a labkit class inventory.\n';
  await writeFile(paths.inventory, header + stringify(inventoryDocument(hosts, paths)));
}

/** known_hosts lines: each host's address with its own host key (port 22, so no [host]:port form). */
export function knownHostsText(entries: readonly { address: string; publicKey: string }[]): string {
  return entries.map((e) => `${e.address} ${e.publicKey.split(/\s+/).slice(0, 2).join(' ')}\n`).join('');
}

export async function writeKnownHosts(
  entries: readonly { address: string; publicKey: string }[],
  paths: TestbedPaths,
): Promise<void> {
  await writeFile(paths.knownHosts, knownHostsText(entries));
}
