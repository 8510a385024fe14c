// The simulated Kubernetes cluster of each testbed cluster (src/sim): state + bundled kubectl under
// <testbed>/clusters/<i>/, owned by user vagrant (its kubectl writes the state), on the master host's PATH
// only (sshd_config `SetEnv PATH=...` of the master, see sshd.ts). Workers have no kubectl, as on a kubeadm
// lab where only the control plane has a kubeconfig.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  bundleKubectl,
  clusterFiles,
  installSimulatedCluster,
  type ClusterFiles,
} from '../../src/sim/install.ts';
import type { Fault, SimConfig } from '../../src/sim/model/state.ts';
import type { HostPlan } from './layout.ts';
import { TESTBED_USER, testbedPaths } from './paths.ts';

/** Directory of cluster `cluster`'s simulated state and kubectl (its `bin` goes on the master's PATH). */
export function simClusterDir(testbedDir: string, cluster: number): string {
  return join(testbedDir, 'clusters', String(cluster));
}

/** PATH of a master host's SSH sessions: the cluster's kubectl first, then sshd's default PATH. */
export function masterPath(testbedDir: string, cluster: number): string {
  return `${join(simClusterDir(testbedDir, cluster), 'bin')}:/usr/local/bin:/usr/bin:/bin:/usr/games`;
}

function ownerOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export interface SimulatedClusterOptions {
  readonly faults?: readonly Fault[];
  readonly config?: Partial<Omit<SimConfig, 'faults'>>;
}

/** (Re)creates every cluster's simulated Kubernetes: a fresh cluster each `up`. */
export async function installTestbedClusters(
  hosts: readonly HostPlan[],
  testbedDir: string,
  options: SimulatedClusterOptions = {},
): Promise<ClusterFiles[]> {
  const owner = ownerOf(TESTBED_USER);
  const clusters = [...new Set(hosts.map((h) => h.cluster))].sort((a, b) => a - b);
  const bundle = join(testbedDir, 'kubectl.mjs');
  await bundleKubectl(bundle);
  const out: ClusterFiles[] = [];
  for (const cluster of clusters) {
    const mine = hosts.filter((h) => h.cluster === cluster);
    const nodes = mine.map((h) => ({ name: h.hostname, internalIP: h.address }));
    out.push(
      await installSimulatedCluster(simClusterDir(testbedDir, cluster), {
        nodes,
        owner,
        bundle,
        config: { ...options.config, faults: [...(options.faults ?? [])] },
      }),
    );
  }
  return out;
}

export function testbedClusterFiles(cluster = 1, dir?: string): ClusterFiles {
  return clusterFiles(simClusterDir(testbedPaths(dir).dir, cluster));
}
