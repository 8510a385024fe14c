// Shared by the SSH e2e files: the root/Linux precondition (fail loudly, never skip: CI runs as root),
// the testbed brought up, and labkit's SSH pool built from the testbed's inventory the way `lab grade` does.
import { execa } from 'execa';
import { loadInventory } from '../../../src/inventory/load.ts';
import { createSshPool, type SshPool, type SshPoolOptions } from '../../../src/ssh/pool.ts';
import { studentTargetName, targetsFromInventory } from '../../../src/ssh/targets.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';
import { studentId, testbedUp, type TestbedInfo } from '../../testbed/index.ts';

/** Throws (so every test in the file fails with this message) unless running as root on Linux. */
export function requireRootLinux(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0)
    throw new Error(
      'The SSH e2e tests need Linux and root: they build a testbed of network namespaces, each with its own sshd. ' +
        'Run them as root (CI does: .ci/run → npm run test:e2e); they are not skipped, so a non-root run fails here.',
    );
}

export interface Testbed {
  readonly info: TestbedInfo;
  readonly targets: readonly SshTarget[];
  /** Target name of a cluster-1 host, e.g. `c1/master-node`. */
  target(hostname: string): string;
  pool(options?: SshPoolOptions): SshPool;
}

export async function startTestbed(): Promise<Testbed> {
  requireRootLinux();
  const info = await testbedUp({ clusters: 1 });
  const targets = targetsFromInventory(await loadInventory(info.paths.inventory));
  return {
    info,
    targets,
    target: (hostname) => studentTargetName(studentId(1), hostname),
    pool: (options) => createSshPool(targets, options),
  };
}

/** PIDs whose command line contains `marker`, as seen from inside the host's network namespace. */
export async function pgrepInHost(netns: string, marker: string): Promise<number[]> {
  const result = await execa('ip', ['netns', 'exec', netns, 'pgrep', '-f', marker], { reject: false });
  return result.stdout
    .split('\n')
    .filter((s) => s.trim() !== '')
    .map(Number);
}
