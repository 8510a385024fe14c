// The testbed's programmatic API (tests and benchmarks use this; the CLI is cli.ts).
import { testbedClusterFiles } from './cluster.ts';
export { testbedUp, type TestbedInfo, type UpOptions } from './up.ts';
export { testbedDown, type DownOptions, type DownReport } from './down.ts';
export { testbedStatus, opensshArgs, type HostStatus, type TestbedStatus } from './status.ts';
export { installTestbedPackages, missingPrograms } from './install.ts';
export { crashHostSshd, restartHostSshd, replaceHostKey, restoreHostKey } from './host-control.ts';
export {
  BRIDGE,
  HOST_ADDRESS,
  UNUSED_ADDRESS,
  isTestbedNetns,
  isTestbedVeth,
  planHosts,
  type HostPlan,
} from './layout.ts';
export { listLinks, listNetns, netnsPids } from './network.ts';
export { findAllTestbedSshd } from './sshd.ts';
export {
  DEFAULT_TESTBED_DIR,
  REPO_ROOT,
  AUTHORIZED_KEYS_DIR,
  SUDOERS_FILE,
  testbedPaths,
  type TestbedPaths,
} from './paths.ts';
export { readState, type TestbedState } from './state.ts';
export { studentId, TESTBED_CLASS_ID } from './inventory.ts';

/** The admin.conf of cluster `cluster` (what `lab:up --provider simulated` copies to .lab/kubeconfig). */
export function simulatedKubeconfig(cluster: number): string {
  return testbedClusterFiles(cluster).kubeconfig;
}
