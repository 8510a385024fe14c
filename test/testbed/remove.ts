// Removing one host: every process in its namespace (sshd and sessions), its veth, namespace and /etc/netns dir.
import { rm } from 'node:fs/promises';
import { netnsPids, removeHostNetwork } from './network.ts';
import type { TestbedPaths } from './paths.ts';
import { findProcesses, terminate } from './processes.ts';
import { SSHD } from './sshd.ts';

export async function removeHost(
  netns: string,
  veth: string | undefined,
  paths: TestbedPaths,
): Promise<void> {
  const configFile = paths.sshdConfig(netns);
  const sshd = await findProcesses((argv) => {
    const line = argv.join(' ');
    return line.includes(SSHD) && line.includes(configFile);
  });
  await terminate([...new Set([...sshd, ...(await netnsPids(netns))])].filter((pid) => pid !== process.pid));
  await removeHostNetwork(netns, veth);
  await rm(paths.hostDir(netns), { recursive: true, force: true });
}
