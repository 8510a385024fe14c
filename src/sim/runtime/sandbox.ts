// A pod's sandbox: its network namespace wired as Calico wires a pod (a veth whose pod end is eth0,
// mtu 1480, <podIP>/32, default route via the link-local 169.254.1.1 that the node end answers by
// proxy ARP, and a /32 route to the pod on the node), plus the per-pod files its containers mount.
// Creating is idempotent (a kubelet retries); removing tolerates parts that are already gone.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { hostVethName, sandboxName } from './names.ts';
import { writePodFiles, type PodFilesSpec } from './pod-files.ts';

export const POD_MTU = 1480;
/** Calico's gateway address: never assigned anywhere, answered by the node veth's proxy ARP. */
export const GATEWAY = '169.254.1.1';

export interface SandboxSpec {
  /** The testbed cluster's number (names are global on the machine). */
  readonly cluster: number;
  readonly podUid: string;
  readonly podIp: string;
  /** The node's network namespace (`ip netns` name). */
  readonly nodeNetns: string;
  /** Where the runtime keeps this pod's files (hosts, hostname, resolv.conf). */
  readonly podDir: string;
  readonly files: Omit<PodFilesSpec, 'podIp'>;
}

export interface Sandbox {
  /** The pod's network namespace (`ip netns` name). */
  readonly netns: string;
  readonly hostVeth: string;
  readonly nodeNetns: string;
  readonly podIp: string;
  /** The directory holding hosts, hostname and resolv.conf. */
  readonly filesDir: string;
  readonly podDir: string;
}

/** Calico gives every host-side veth this MAC (the pod only ever talks to it). */
export const HOST_MAC = 'ee:ee:ee:ee:ee:ee';

export const netnsPath = (name: string): string => `/run/netns/${name}`;

/** Runs iproute2's `ip` (argv, never a shell string); also the node-namespace setup of the tests. */
export const ip = (args: readonly string[]) => execa('ip', args, { timeout: 10_000 });

export function sandboxOf(
  spec: Pick<SandboxSpec, 'cluster' | 'podUid' | 'podIp' | 'nodeNetns' | 'podDir'>,
): Sandbox {
  return {
    netns: sandboxName(spec.cluster, spec.podUid),
    hostVeth: hostVethName(spec.podUid),
    nodeNetns: spec.nodeNetns,
    podIp: spec.podIp,
    podDir: spec.podDir,
    filesDir: join(spec.podDir, 'etc'),
  };
}

export async function createSandbox(spec: SandboxSpec): Promise<Sandbox> {
  const sandbox = sandboxOf(spec);
  const { netns, hostVeth, nodeNetns, podIp } = sandbox;
  await writePodFiles(sandbox.filesDir, { ...spec.files, podIp });
  if (!existsSync(netnsPath(netns))) await ip(['netns', 'add', netns]);
  const hasVeth = await ip(['-n', nodeNetns, 'link', 'show', hostVeth]).then(
    () => true,
    () => false,
  );
  if (!hasVeth) {
    // A half-made pod end (eth0 left from a crash between the two steps) would block the peer's name.
    await ip(['-n', netns, 'link', 'del', 'eth0']).catch(() => undefined);
    await ip([
      '-n',
      nodeNetns,
      'link',
      'add',
      hostVeth,
      'mtu',
      String(POD_MTU),
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'mtu',
      String(POD_MTU),
      'netns',
      netns,
    ]);
  }
  for (const args of [
    ['link', 'set', 'lo', 'up'],
    ['link', 'set', 'eth0', 'mtu', String(POD_MTU), 'up'],
    ['addr', 'replace', `${podIp}/32`, 'dev', 'eth0'],
    ['route', 'replace', GATEWAY, 'dev', 'eth0', 'scope', 'link'],
    ['route', 'replace', 'default', 'via', GATEWAY, 'dev', 'eth0'],
    // Proxy ARP answers only when the node has a route to 169.254.1.1 (a real node's default route); a
    // testbed node namespace may have none, so the pod learns the gateway's MAC up front.
    ['neigh', 'replace', GATEWAY, 'lladdr', HOST_MAC, 'dev', 'eth0', 'nud', 'permanent'],
  ])
    await ip(['-n', netns, ...args]);
  // proxy_arp answers the pod's ARP for 169.254.1.1; proxy_delay 0 answers at once (the default delays
  // the reply up to 0.8 s), as Calico sets both.
  await execa(
    'ip',
    [
      'netns',
      'exec',
      nodeNetns,
      'sysctl',
      '-q',
      '-w',
      `net.ipv4.conf.${hostVeth}.proxy_arp=1`,
      `net.ipv4.neigh.${hostVeth}.proxy_delay=0`,
    ],
    { timeout: 10_000 },
  );
  await ip(['-n', nodeNetns, 'link', 'set', hostVeth, 'address', HOST_MAC, 'up']);
  await ip(['-n', nodeNetns, 'route', 'replace', `${podIp}/32`, 'dev', hostVeth, 'scope', 'link']);
  return sandbox;
}

/** Removes the namespace (its eth0 and so the node's veth and /32 route go with it) and the pod files.
 *  The containers must be stopped first (a process keeps a namespace's network alive). */
export async function removeSandbox(sandbox: Sandbox): Promise<void> {
  await ip(['-n', sandbox.nodeNetns, 'link', 'del', sandbox.hostVeth]).catch(() => undefined);
  if (existsSync(netnsPath(sandbox.netns))) await ip(['netns', 'del', sandbox.netns]).catch(() => undefined);
  await rm(sandbox.podDir, { recursive: true, force: true });
}
