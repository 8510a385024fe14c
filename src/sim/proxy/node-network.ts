// A node's own networking in its netns: forwarding sysctls, a route per other node's Calico block over the
// lab network (no encapsulation: this kernel has no ipip and the nodes share one L2 segment), and the
// LoadBalancer addresses this node holds (MetalLB L2: the elected node answers ARP for them), and Calico's
// natOutgoing for the IP pool (on by default in Calico's pool): pod traffic to an address outside the pool —
// another node's own address included — leaves masqueraded to this node's address, so its replies come back
// through this node. Idempotent:
// every sync makes the netns match the desired lists and removes what is no longer wanted.
import { execa } from 'execa';
import { z } from 'zod';
import { ensureJumps, inNetns, type JumpRule } from './netns-iptables.ts';

export const NODE_INTERFACE = 'eth1';
/** How our routes and addresses are recognised on later syncs (a routing protocol number of our own). */
const ROUTE_PROTO = '77';

export const NodeNetworkSchema = z.object({
  /** Other nodes' pod blocks: `172.16.x.y/26` via that node's lab address. */
  blocks: z.array(z.object({ cidr: z.string(), via: z.string() })),
  /** ip_forward=1 (and rp_filter off): a node routes pod and service traffic. */
  forwarding: z.boolean().default(true),
  /** The service range via the lab network's gateway, as a real node's default route carries it: locally
   *  made connections need a route before OUTPUT's DNAT runs; an address no rule claims goes to the
   *  gateway (the testbed host, whose guard route refuses it), never further. */
  serviceRoute: z.object({ cidr: z.string(), via: z.string() }).optional(),
  /** LoadBalancer IPs this node answers for (the allocator's elected node). */
  loadBalancerIPs: z.array(z.string()).default([]),
  /** The Calico IP pool with natOutgoing: Felix's cali-nat-outgoing rule (src in the pool, dst outside every
   *  pool: MASQUERADE). Absent: no such rule. */
  natOutgoingPool: z.string().optional(),
});
export type NodeNetwork = z.input<typeof NodeNetworkSchema>;

async function run(netns: string, argv: readonly string[]): Promise<string> {
  const r = await execa('ip', ['-n', netns, ...argv], { reject: false, timeout: 10_000 });
  if (r.exitCode !== 0)
    throw new Error(
      `node network: \`ip -n ${netns} ${argv.join(' ')}\` failed: ${(r.stderr || r.stdout).trim()}`,
    );
  return r.stdout;
}

/** Felix's chain, as it appears in `iptables -t nat -S` on a Calico node. */
export const NAT_OUTGOING_CHAIN = 'cali-nat-outgoing';
const NAT_OUTGOING_JUMP: JumpRule = {
  table: 'nat',
  chain: 'POSTROUTING',
  args: ['-m', 'comment', '--comment', 'cali:nat-outgoing', '-j', NAT_OUTGOING_CHAIN],
};

/** Declares (so flushes) the chain and writes its one rule, then ensures POSTROUTING's jump at the top, as
 *  Felix inserts its chains. No pool: the chain is left empty, so nothing is masqueraded. */
async function syncNatOutgoing(netns: string, pool: string | undefined): Promise<void> {
  const rule = pool ? [`-A ${NAT_OUTGOING_CHAIN} -s ${pool} ! -d ${pool} -j MASQUERADE --random-fully`] : [];
  const text = ['*nat', `:${NAT_OUTGOING_CHAIN} - [0:0]`, ...rule, 'COMMIT', ''].join('\n');
  const fail = (detail: string) => new Error(`node network: Calico natOutgoing in ${netns}: ${detail}`);
  const restore = await inNetns(netns, ['iptables-restore', '-w', '5', '--noflush'], text);
  if (restore.exitCode !== 0) throw fail((restore.stderr || restore.stdout).trim());
  await ensureJumps(netns, [NAT_OUTGOING_JUMP], fail);
}

async function sysctl(netns: string, key: string, value: string): Promise<void> {
  const r = await inNetns(netns, ['sysctl', '-q', '-w', `${key}=${value}`]);
  if (r.exitCode !== 0)
    throw new Error(`node network: sysctl ${key} in ${netns}: ${(r.stderr || r.stdout).trim()}`);
}

/** Makes one node netns match `desired`. */
export async function syncNodeNetwork(netns: string, raw: NodeNetwork): Promise<void> {
  const desired = NodeNetworkSchema.parse(raw);
  const ns = netns;
  // Forwarding for pod and service traffic; rp_filter off because DNATed and masqueraded replies may
  // come back on another interface than the strict reverse path; route_localnet lets localhost:NodePort
  // be DNATed out of the node as kube-proxy's iptables mode allows.
  if (desired.forwarding) {
    await sysctl(ns, 'net.ipv4.ip_forward', '1');
    for (const dev of ['all', 'default', NODE_INTERFACE])
      await sysctl(ns, `net.ipv4.conf.${dev}.rp_filter`, '0');
    await sysctl(ns, 'net.ipv4.conf.all.route_localnet', '1');
  }

  const routes = JSON.parse(await run(ns, ['-j', 'route', 'show', 'proto', ROUTE_PROTO])) as {
    dst: string;
    gateway?: string;
  }[];
  const wanted = new Map(desired.blocks.map((b) => [b.cidr, b.via]));
  if (desired.serviceRoute) wanted.set(desired.serviceRoute.cidr, desired.serviceRoute.via);
  for (const r of routes)
    if (wanted.get(r.dst) !== r.gateway) await run(ns, ['route', 'del', r.dst, 'proto', ROUTE_PROTO]);
  for (const [cidr, via] of wanted)
    await run(ns, ['route', 'replace', cidr, 'via', via, 'dev', NODE_INTERFACE, 'proto', ROUTE_PROTO]);

  // LB addresses as /32s on eth1 (label eth1:lb): the kernel then answers ARP for them, as MetalLB's
  // speaker does in L2 mode, and packets to them reach PREROUTING where KUBE-SERVICES DNATs them.
  const addrs = JSON.parse(await run(ns, ['-j', '-4', 'addr', 'show', 'dev', NODE_INTERFACE])) as {
    addr_info?: { local: string; prefixlen: number; label?: string }[];
  }[];
  const held = (addrs[0]?.addr_info ?? [])
    .filter((a) => a.label === `${NODE_INTERFACE}:lb`)
    .map((a) => a.local);
  const lb = new Set(desired.loadBalancerIPs);
  for (const ip of held) if (!lb.has(ip)) await run(ns, ['addr', 'del', `${ip}/32`, 'dev', NODE_INTERFACE]);
  for (const ip of lb)
    if (!held.includes(ip))
      await run(ns, ['addr', 'add', `${ip}/32`, 'dev', NODE_INTERFACE, 'label', `${NODE_INTERFACE}:lb`]);

  await syncNatOutgoing(ns, desired.natOutgoingPool);
}
