// A node's own networking in its netns: forwarding sysctls, a route per other node's Calico block over the
// lab network (no encapsulation: this kernel has no ipip and the nodes share one L2 segment), and the
// LoadBalancer addresses this node holds (MetalLB L2: the elected node answers ARP for them). Idempotent:
// every sync makes the netns match the desired lists and removes what is no longer wanted.
import { execa } from 'execa';
import { z } from 'zod';

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

async function sysctl(netns: string, key: string, value: string): Promise<void> {
  const r = await execa('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', `${key}=${value}`], {
    reject: false,
    timeout: 10_000,
  });
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
}
