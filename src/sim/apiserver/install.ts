// Puts a simulated cluster on disk for its apiserver: <dir>/state.json (the cluster), <dir>/pki/ (CA,
// serving and admin certificates), <dir>/admin.conf (kubeadm's kubeconfig for kubernetes-admin) and
// <dir>/bin/kubectl (the pinned official kubectl). Starting the apiserver process is the caller's
// (the testbed starts it in the master's network namespace).
import { chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bootstrapCluster, type NodeAddress } from '../model/bootstrap.ts';
import { intToIp, parseCidr } from '../model/ipam.ts';
import type { SimConfig } from '../model/state.ts';
import type { NodeHosts } from '../kubelet/nodes.ts';
import { writeStateFile } from '../store.ts';
import { adminKubeconfig } from './kubeconfig.ts';
import { createClusterPki, readPki } from './pki.ts';

export const APISERVER_PORT = 6443;

export interface ApiserverClusterFiles {
  readonly dir: string;
  readonly stateFile: string;
  readonly pkiDir: string;
  readonly kubeconfig: string;
  readonly binDir: string;
  readonly kubectl: string;
  readonly log: string;
  /** Where the nodes live on this machine (src/sim/kubelet/nodes.ts), for the kubelet. */
  readonly nodesFile: string;
}

export function apiserverClusterFiles(dir: string): ApiserverClusterFiles {
  const root = resolve(dir);
  return {
    dir: root,
    stateFile: join(root, 'state.json'),
    pkiDir: join(root, 'pki'),
    kubeconfig: join(root, 'admin.conf'),
    binDir: join(root, 'bin'),
    kubectl: join(root, 'bin', 'kubectl'),
    log: join(root, 'apiserver.log'),
    nodesFile: join(root, 'nodes.json'),
  };
}

export interface ApiserverInstallOptions {
  readonly nodes: readonly NodeAddress[];
  /** The master's address: the apiserver listens there, admin.conf points there. */
  readonly masterAddress: string;
  readonly config?: Partial<SimConfig>;
  /** The installed official kubectl to copy into bin/ (kubectl-binary.ts installKubectl). */
  readonly kubectlBinary: string;
  /** Owner of admin.conf and bin/ (the student user: kubeadm's `sudo chown $(id -u):$(id -g)`). */
  readonly owner?: { uid: number; gid: number };
  /** The nodes' namespaces and addresses on this machine (written to nodes.json for the kubelet). */
  readonly hosts?: NodeHosts;
}

export async function installApiserverCluster(
  dir: string,
  options: ApiserverInstallOptions,
): Promise<ApiserverClusterFiles> {
  const files = apiserverClusterFiles(dir);
  await mkdir(files.binDir, { recursive: true, mode: 0o755 });
  const state = bootstrapCluster(options.nodes, { ...(options.config ? { config: options.config } : {}) });
  await writeStateFile(files.stateFile, state);
  // The `kubernetes` service's ClusterIP (the first address of the service CIDR) is a SAN, as kubeadm's.
  const serviceIp = intToIp(parseCidr(state.cluster.serviceCIDR).base + 1);
  const master = options.nodes.find((n) => n.name === 'master-node')?.name ?? 'master-node';
  const pki = await createClusterPki(files.pkiDir, {
    ips: [options.masterAddress, serviceIp],
    hostname: master,
  });
  await writeFile(
    files.kubeconfig,
    adminKubeconfig(`https://${options.masterAddress}:${APISERVER_PORT}`, await readPki(pki)),
    { mode: 0o600 },
  );
  if (options.hosts) await writeFile(files.nodesFile, `${JSON.stringify(options.hosts, null, 2)}\n`);
  await copyFile(options.kubectlBinary, files.kubectl);
  if (options.owner) {
    await chown(files.kubeconfig, options.owner.uid, options.owner.gid);
    await chown(files.binDir, options.owner.uid, options.owner.gid);
  }
  return files;
}
