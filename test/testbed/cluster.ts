// The simulated Kubernetes cluster of each testbed cluster (src/sim): state, PKI, admin.conf and the
// official kubectl under <testbed>/clusters/<i>/, and its apiserver process in the master's namespace
// (apiserver.ts). kubectl is on the master's PATH only (sshd_config `SetEnv`, see sshd.ts) and reads
// ~/.kube/config as kubeadm's instructions set it up. Workers have no kubectl, as on a kubeadm lab.
import pLimit from 'p-limit';
import { chmod, chown, copyFile, mkdir, rm } from 'node:fs/promises';
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
import { userIds } from './identity.ts';
import { testbedPaths } from './paths.ts';

/** Directory of cluster `cluster`'s simulated state, PKI and kubectl (its `bin` goes on the master's PATH). */
export function simClusterDir(testbedDir: string, cluster: number): string {
  return join(testbedDir, 'clusters', String(cluster));
}

/** PATH of a master host's SSH sessions: the cluster's kubectl first, then sshd's default PATH. */
export function masterPath(testbedDir: string, cluster: number): string {
  return `${join(simClusterDir(testbedDir, cluster), 'bin')}:/usr/local/bin:/usr/bin:/bin:/usr/games`;
}

/** User vagrant's ~/.kube on a master: this directory, bind-mounted over ~/.kube in the master's sshd
 *  mount namespace (sshd.ts), so each cluster's master has its own, as on its own machine. It holds
 *  `config`, kubeadm's `cp /etc/kubernetes/admin.conf $HOME/.kube/config`, and kubectl's cache. */
export function masterKubeDir(testbedDir: string, cluster: number): string {
  return join(simClusterDir(testbedDir, cluster), 'kube');
}

/** kubeadm's "To start using your cluster": `mkdir -p $HOME/.kube; cp admin.conf $HOME/.kube/config;
 *  chown`; the last cluster's discovery cache goes (this is a new cluster). */
async function installKubeDir(
  dir: string,
  adminConf: string,
  owner: { uid: number; gid: number },
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await rm(join(dir, 'cache'), { recursive: true, force: true });
  const config = join(dir, 'config');
  await copyFile(adminConf, config);
  await chmod(config, 0o600);
  await chown(config, owner.uid, owner.gid);
  await chown(dir, owner.uid, owner.gid);
}

const INSTALL_CONCURRENCY = 4;

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
  const owner = await userIds();
  const clusters = [...new Set(hosts.map((h) => h.cluster))].sort((a, b) => a - b);
  const kubectlBinary = await installKubectl(join(testbedDir, `kubectl-${KUBECTL_VERSION}`));
  // The pods' images (busybox 1.37, echo-hostname), built once and reused by every later `up`.
  await buildImages(join(testbedDir, 'images'));
  // A few at a time: each apiserver's start (tsx compiling, the kubelet adopting, the first settle) is
  // CPU-bound, and 24 started at once on 2 cores miss their listen deadline.
  const limit = pLimit(INSTALL_CONCURRENCY);
  return Promise.all(
    clusters.map((cluster) =>
      limit(async () => {
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
        await installKubeDir(masterKubeDir(testbedDir, cluster), files.kubeconfig, owner);
        await startApiserver(files, master);
        return files;
      }),
    ),
  );
}

export function testbedClusterFiles(cluster = 1, dir?: string): ApiserverClusterFiles {
  return apiserverClusterFiles(simClusterDir(testbedPaths(dir).dir, cluster));
}
