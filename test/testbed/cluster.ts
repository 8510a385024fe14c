// The simulated Kubernetes cluster of each testbed cluster (src/sim): state, PKI, admin.conf and the
// official kubectl under <testbed>/clusters/<i>/, and its apiserver process in the master's namespace
// (apiserver.ts). kubectl is on the master's PATH only, with KUBECONFIG set to the cluster's admin.conf
// (sshd_config `SetEnv`, see sshd.ts). Workers have no kubectl, as on a kubeadm lab.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  apiserverClusterFiles,
  installApiserverCluster,
  type ApiserverClusterFiles,
} from '../../src/sim/apiserver/install.ts';
import { installKubectl, KUBECTL_VERSION } from '../../src/sim/apiserver/kubectl-binary.ts';
import type { Fault, SimConfig } from '../../src/sim/model/state.ts';
import { testbedLoadBalancerPool } from '../../src/sim/model/load-balancer.ts';
import { buildImages } from '../../src/sim/runtime/index.ts';
import { startApiserver, stopApiserver } from './apiserver.ts';
import { GUEST_INTERFACE, HOST_ADDRESS, type HostPlan } from './layout.ts';
import { removePodSandboxes } from './pods.ts';
import { TESTBED_USER, testbedPaths } from './paths.ts';

/** Directory of cluster `cluster`'s simulated state, PKI and kubectl (its `bin` goes on the master's PATH). */
export function simClusterDir(testbedDir: string, cluster: number): string {
  return join(testbedDir, 'clusters', String(cluster));
}

/** PATH of a master host's SSH sessions: the cluster's kubectl first, then sshd's default PATH. */
export function masterPath(testbedDir: string, cluster: number): string {
  return `${join(simClusterDir(testbedDir, cluster), 'bin')}:/usr/local/bin:/usr/bin:/bin:/usr/games`;
}

/** KUBECONFIG of a master host's SSH sessions (each cluster has its own; all share user vagrant). */
export function masterKubeconfig(testbedDir: string, cluster: number): string {
  return apiserverClusterFiles(simClusterDir(testbedDir, cluster)).kubeconfig;
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

/** (Re)creates every cluster's simulated Kubernetes and (re)starts its apiserver: a fresh cluster each `up`. */
export async function installTestbedClusters(
  hosts: readonly HostPlan[],
  testbedDir: string,
  options: SimulatedClusterOptions = {},
): Promise<ApiserverClusterFiles[]> {
  const owner = ownerOf(TESTBED_USER);
  const clusters = [...new Set(hosts.map((h) => h.cluster))].sort((a, b) => a - b);
  const kubectlBinary = await installKubectl(join(testbedDir, `kubectl-${KUBECTL_VERSION}`));
  // The pods' images (busybox 1.37, echo-hostname), built once and reused by every later `up`.
  await buildImages(join(testbedDir, 'images'));
  return Promise.all(
    clusters.map(async (cluster) => {
      const mine = hosts.filter((h) => h.cluster === cluster);
      const master = mine.find((h) => h.role === 'master');
      if (!master) throw new Error(`testbed: cluster ${cluster} has no master host`);
      const files = apiserverClusterFiles(simClusterDir(testbedDir, cluster));
      await stopApiserver(files);
      // A fresh cluster: the last one's pods go with it.
      await removePodSandboxes(cluster, `${files.dir}/`);
      await installApiserverCluster(files.dir, {
        nodes: mine.map((h) => ({ name: h.hostname, internalIP: h.address })),
        hosts: {
          cluster,
          nodes: mine.map((h) => ({
            name: h.hostname,
            netns: h.netns,
            address: h.address,
            interface: GUEST_INTERFACE,
          })),
          gateway: HOST_ADDRESS,
        },
        masterAddress: master.address,
        kubectlBinary,
        owner,
        config: {
          loadBalancerPool: testbedLoadBalancerPool(cluster),
          ...options.config,
          faults: [...(options.faults ?? [])],
        },
      });
      await startApiserver(files, master);
      return files;
    }),
  );
}

export function testbedClusterFiles(cluster = 1, dir?: string): ApiserverClusterFiles {
  return apiserverClusterFiles(simClusterDir(testbedPaths(dir).dir, cluster));
}
