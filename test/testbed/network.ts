// The bridge, one namespace per host, veth pairs into the bridge, addresses, and /etc/netns/<ns>/{hosts,hostname}.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BRIDGE,
  GUEST_INTERFACE,
  HOST_ADDRESS,
  PREFIX_LENGTH,
  SUBNET_PREFIX,
  type HostPlan,
} from './layout.ts';
import { NETNS_ETC } from './paths.ts';
import { sh, shQuiet, shResult } from './sh.ts';

interface IpAddrJson {
  readonly ifname: string;
  readonly addr_info?: readonly {
    readonly family: string;
    readonly local: string;
    readonly prefixlen: number;
  }[];
}

/** Interfaces (other than the testbed bridge) holding an address in the testbed subnet 192.168.57.0/24. */
export async function subnetConflicts(): Promise<string[]> {
  const links = JSON.parse(await sh('ip', ['-j', '-4', 'addr', 'show'])) as IpAddrJson[];
  const conflicts: string[] = [];
  for (const link of links) {
    if (link.ifname === BRIDGE) continue;
    for (const a of link.addr_info ?? [])
      if (a.family === 'inet' && a.local.startsWith(`${SUBNET_PREFIX}.`))
        conflicts.push(`${a.local}/${a.prefixlen} on ${link.ifname}`);
  }
  return conflicts;
}

/**
 * Refuses to go on when 192.168.57.1 (or any 192.168.57.x) belongs to another interface. The VM lane's
 * libvirt network is 192.168.56.0/24 and does not conflict; anything on .57 is someone else's network.
 */
export async function assertSubnetFree(): Promise<void> {
  const conflicts = await subnetConflicts();
  if (conflicts.length === 0) return;
  throw new Error(
    `testbed: ${SUBNET_PREFIX}.0/${PREFIX_LENGTH} is already in use on this machine (${conflicts.join(', ')}). ` +
      `The testbed needs ${HOST_ADDRESS} on its bridge ${BRIDGE}. ` +
      'Find what owns that address (`ip -4 addr show`), remove it or move it to another subnet, then run the testbed again.',
  );
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  return shQuiet('ip', [...(netns ? ['-n', netns] : []), 'link', 'show', 'dev', name]);
}

/** Names from `ip netns list` (its lines look like `name (id: 3)`). */
export async function listNetns(): Promise<string[]> {
  const out = await sh('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** Names of every link in the root namespace. */
export async function listLinks(): Promise<string[]> {
  const links = JSON.parse(await sh('ip', ['-j', 'link', 'show'])) as { ifname: string }[];
  return links.map((l) => l.ifname);
}

async function hasAddress(dev: string, cidr: string, netns?: string): Promise<boolean> {
  const out = await sh('ip', [...(netns ? ['-n', netns] : []), '-4', '-o', 'addr', 'show', 'dev', dev]);
  return out.includes(` ${cidr} `);
}

/** Creates the bridge with 192.168.57.1/24 (or keeps the one there). */
export async function ensureBridge(): Promise<void> {
  if (!(await linkExists(BRIDGE))) await sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  const cidr = `${HOST_ADDRESS}/${PREFIX_LENGTH}`;
  if (!(await hasAddress(BRIDGE, cidr))) await sh('ip', ['addr', 'add', cidr, 'dev', BRIDGE]);
  await sh('ip', ['link', 'set', BRIDGE, 'up']);
}

export async function removeBridge(): Promise<void> {
  if (await linkExists(BRIDGE)) await sh('ip', ['link', 'del', BRIDGE]);
}

/** /etc/netns/<ns>/hosts: the cluster's three hosts by name (sudo must resolve its own hostname). */
function hostsFile(host: HostPlan, cluster: readonly HostPlan[]): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    ...cluster.map((h) => `${h.address}\t${h.hostname}`),
  ];
  return `# labkit testbed: ${host.netns} (cluster ${host.cluster})\n${lines.join('\n')}\n`;
}

/** Namespace, veth pair (eth1 inside, on the bridge outside), address, lo up, and its /etc/netns files. */
export async function ensureHostNetwork(host: HostPlan, cluster: readonly HostPlan[]): Promise<void> {
  const etc = join(NETNS_ETC, host.netns);
  await mkdir(etc, { recursive: true });
  await writeFile(join(etc, 'hosts'), hostsFile(host, cluster));
  await writeFile(join(etc, 'hostname'), `${host.hostname}\n`);
  if (!(await listNetns()).includes(host.netns)) await sh('ip', ['netns', 'add', host.netns]);
  const inside = await linkExists(GUEST_INTERFACE, host.netns);
  const outside = await linkExists(host.veth);
  if (!inside || !outside) {
    if (outside) await sh('ip', ['link', 'del', host.veth]);
    if (inside) await sh('ip', ['-n', host.netns, 'link', 'del', GUEST_INTERFACE]);
    await sh('ip', [
      'link',
      'add',
      host.veth,
      'type',
      'veth',
      'peer',
      'name',
      GUEST_INTERFACE,
      'netns',
      host.netns,
    ]);
  }
  await sh('ip', ['link', 'set', host.veth, 'master', BRIDGE, 'up']);
  const cidr = `${host.address}/${PREFIX_LENGTH}`;
  if (!(await hasAddress(GUEST_INTERFACE, cidr, host.netns)))
    await sh('ip', ['-n', host.netns, 'addr', 'add', cidr, 'dev', GUEST_INTERFACE]);
  await sh('ip', ['-n', host.netns, 'link', 'set', GUEST_INTERFACE, 'up']);
  await sh('ip', ['-n', host.netns, 'link', 'set', 'lo', 'up']);
}

/** PIDs of every process whose network namespace is `netns`. */
export async function netnsPids(netns: string): Promise<number[]> {
  const result = await shResult('ip', ['netns', 'pids', netns]);
  if (result.exitCode !== 0) return [];
  return result.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Deletes the host-side veth (its peer goes with it) and the namespace; missing parts are fine. */
export async function removeHostNetwork(netns: string, veth: string | undefined): Promise<void> {
  if (veth && (await linkExists(veth))) await shQuiet('ip', ['link', 'del', veth]);
  if ((await listNetns()).includes(netns)) await sh('ip', ['netns', 'del', netns]);
  await rm(join(NETNS_ETC, netns), { recursive: true, force: true });
}

/** /etc/netns entries (directories) present on the machine. */
export async function listNetnsEtc(): Promise<string[]> {
  try {
    return await readdir(NETNS_ETC);
  } catch {
    return [];
  }
}
