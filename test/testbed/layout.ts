// The testbed's naming and numbering: which hosts exist for K clusters, their namespaces, addresses and
// veth names. Everything `down` may remove after a crash is recognised by these patterns.
//
// Cluster i (1 ≤ i ≤ 24) has three hosts at 192.168.57.(10·i + j): j = 0 master, 1 and 2 workers.
// The subnet is the testbed's own: 192.168.56.0/24 belongs to the lab VMs (and the VM lane's libvirt
// network, which may run on this same machine at the same time), so the two can never collide.
//   cluster 1: master-node .10, worker-node01 .11, worker-node02 .12   (the lab's own names and host numbers)
//   cluster 2: c2-master-node .20, c2-worker-node01 .21, c2-worker-node02 .22
//   cluster i: ci-<name>     .(10i), .(10i+1), .(10i+2)
// Addresses ending in 3-9 are never used (e.g. .99 is a safe "no such host"). Inside every cluster the
// hostname is the lab name (master-node, ...), as on each student's own VMs; the namespace name carries
// the cluster prefix because namespace names are global.

export const BRIDGE = 'lkbr0';
export const SUBNET_PREFIX = '192.168.57';
export const HOST_ADDRESS = `${SUBNET_PREFIX}.1`;
export const PREFIX_LENGTH = 24;
/** The interface name inside each namespace: eth1, like a Vagrant VM's private network. */
export const GUEST_INTERFACE = 'eth1';
export const MAX_CLUSTERS = 24;
/** A testbed address no host ever has (for "unreachable host" tests). */
export const UNUSED_ADDRESS = `${SUBNET_PREFIX}.99`;

export const LAB_HOST_NAMES = ['master-node', 'worker-node01', 'worker-node02'] as const;
export type LabHostName = (typeof LAB_HOST_NAMES)[number];

export interface HostPlan {
  /** Network namespace name, unique on the machine: `master-node`, `c2-worker-node01`. */
  readonly netns: string;
  /** The host's own hostname inside its UTS namespace: the lab name (`master-node`). */
  readonly hostname: LabHostName;
  readonly role: 'master' | 'worker';
  /** 1-based cluster number. */
  readonly cluster: number;
  readonly address: string;
  /** Host-side end of the veth pair, attached to the bridge: `lkv2-1`. */
  readonly veth: string;
}

/** Namespace name of host `hostname` in cluster `cluster`. */
export function netnsName(cluster: number, hostname: LabHostName): string {
  return cluster === 1 ? hostname : `c${cluster}-${hostname}`;
}

/** The hosts of clusters 1..clusters. */
export function planHosts(clusters: number): HostPlan[] {
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > MAX_CLUSTERS)
    throw new RangeError(`--clusters must be an integer from 1 to ${MAX_CLUSTERS}, got ${clusters}`);
  const hosts: HostPlan[] = [];
  for (let cluster = 1; cluster <= clusters; cluster++)
    LAB_HOST_NAMES.forEach((hostname, j) =>
      hosts.push({
        netns: netnsName(cluster, hostname),
        hostname,
        role: j === 0 ? 'master' : 'worker',
        cluster,
        address: `${SUBNET_PREFIX}.${10 * cluster + j}`,
        veth: `lkv${cluster}-${j}`,
      }),
    );
  return hosts;
}

const NETNS_PATTERN = /^(c([2-9]|1\d|2[0-4])-)?(master-node|worker-node01|worker-node02)$/;
const VETH_PATTERN = /^lkv([1-9]|1\d|2[0-4])-[0-2]$/;

/** True for every namespace name the testbed's scheme can produce (what crash cleanup removes). */
export function isTestbedNetns(name: string): boolean {
  return NETNS_PATTERN.test(name);
}

/** True for every host-side veth name the scheme can produce. */
export function isTestbedVeth(name: string): boolean {
  return VETH_PATTERN.test(name);
}

/** True when `address` is inside the testbed subnet. */
export function inTestbedSubnet(address: string): boolean {
  return address.startsWith(`${SUBNET_PREFIX}.`);
}
