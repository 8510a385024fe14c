// Renders the iptables-restore input kube-proxy's iptables proxier writes (v1.33, pkg/proxy/iptables/
// proxier.go syncProxyRules) for one node. Pure: same input, same text, so apply.ts can skip unchanged runs.
// Followed as written there: KUBE-SERVICES → KUBE-SVC (masquerade off-cluster sources) → KUBE-SEP (hairpin
// masquerade, DNAT); NodePort and LoadBalancer → KUBE-EXT (masquerade, or the Local policy's short cuts)
// → KUBE-SVC / KUBE-SVL; no endpoints → REJECT in filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES.
// Left out: loadBalancerSourceRanges (KUBE-FW), externalIPs, health-check node ports, IPv6.
import { extChain, sepChain, servicePortName, svcChain, svlChain } from './chain-names.ts';
import {
  ProxyInputSchema,
  type ProxyEndpoint,
  type ProxyInput,
  type ProxyInputParsed,
  type ProxyService,
} from './types.ts';
import type { JumpRule } from './netns-iptables.ts';
import { ipToInt } from '../model/ipam.ts';

export const MASQ_MARK = '0x4000';
/** Our own filter chain for the blackhole-endpoint fault (DROP is not allowed in nat). */
export const BLACKHOLE_CHAIN = 'LABKIT-BLACKHOLE';

/** The jumps kube-proxy ensures from the built-in chains (iptablesJumpChains), plus the blackhole's. */
export const JUMP_RULES: readonly JumpRule[] = [
  ...(['INPUT', 'FORWARD'] as const).map((chain) => ({
    table: 'filter' as const,
    chain,
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      'kubernetes externally-visible service portals',
      '-j',
      'KUBE-EXTERNAL-SERVICES',
    ],
  })),
  {
    table: 'filter',
    chain: 'INPUT',
    args: ['-m', 'comment', '--comment', 'kubernetes health check service ports', '-j', 'KUBE-NODEPORTS'],
  },
  ...(['FORWARD', 'OUTPUT'] as const).map((chain) => ({
    table: 'filter' as const,
    chain,
    args: [
      '-m',
      'conntrack',
      '--ctstate',
      'NEW',
      '-m',
      'comment',
      '--comment',
      'kubernetes service portals',
      '-j',
      'KUBE-SERVICES',
    ],
  })),
  {
    table: 'filter',
    chain: 'FORWARD',
    args: ['-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD'],
  },
  ...(['FORWARD', 'OUTPUT'] as const).map((chain) => ({
    table: 'filter' as const,
    chain,
    args: ['-m', 'comment', '--comment', 'labkit fault blackhole-endpoint', '-j', BLACKHOLE_CHAIN],
  })),
  {
    table: 'nat',
    chain: 'OUTPUT',
    args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'PREROUTING',
    args: ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'],
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    args: ['-m', 'comment', '--comment', 'kubernetes postrouting rules', '-j', 'KUBE-POSTROUTING'],
  },
];

/** kube-proxy's probability text: fmt.Sprintf("%0.10f", 1.0/float64(n)). */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

const q = (text: string) => `"${text}"`;

function byAddress(a: ProxyEndpoint, b: ProxyEndpoint): number {
  return ipToInt(a.ip) - ipToInt(b.ip) || a.port - b.port;
}

/** The cluster's own Services (the apiserver's `kubernetes`, kube-dns): the fault is a broken workload pod,
 *  never the control plane; dropping the apiserver's address would hang every kubectl on the node. */
const isClusterService = (svc: ProxyService): boolean =>
  svc.namespace === 'kube-system' || (svc.namespace === 'default' && svc.name === 'kubernetes');

/** Per workload service, the ready endpoint with the lowest IP (the blackhole-endpoint fault's victim). */
export function blackholedIps(services: readonly ProxyService[]): string[] {
  const ips = new Set<string>();
  for (const svc of services) {
    if (isClusterService(svc)) continue;
    const all = Object.values(svc.endpoints)
      .flat()
      .filter((e) => e.ready)
      .sort(byAddress);
    if (all[0]) ips.add(all[0].ip);
  }
  return [...ips].sort((a, b) => ipToInt(a) - ipToInt(b));
}

interface Out {
  natChains: string[];
  natRules: string[];
  filterRules: string[];
}

function balanceRules(
  out: Out,
  input: ProxyInputParsed,
  svc: ProxyService,
  spn: string,
  chain: string,
  eps: readonly { ep: ProxyEndpoint; sep: string }[],
): void {
  const faults = new Set(input.faults);
  if (svc.sessionAffinity !== undefined && !faults.has('affinity-ignored'))
    for (const { ep, sep } of eps)
      out.natRules.push(
        `-A ${chain} -m comment --comment ${q(`${spn} -> ${ep.ip}:${ep.port}`)} -m recent --name ${sep} --rcheck --seconds ${svc.sessionAffinity.timeoutSeconds} --reap -j ${sep}`,
      );
  const n = eps.length;
  eps.forEach(({ ep, sep }, i) => {
    let pick = '';
    if (i < n - 1) {
      if (faults.has('kube-proxy-ipvs'))
        // No ip_vs in this kernel: round robin per node with nth counters (each rule sees what the
        // earlier ones left, so rule i takes one of every n-i new connections reaching it).
        pick = ` -m statistic --mode nth --every ${n - i} --packet 0`;
      else if (faults.has('skewed-balance'))
        pick = ` -m statistic --mode random --probability ${i === 0 ? '0.8000000000' : probability(n - i)}`;
      else pick = ` -m statistic --mode random --probability ${probability(n - i)}`;
    }
    out.natRules.push(
      `-A ${chain} -m comment --comment ${q(`${spn} -> ${ep.ip}:${ep.port}`)}${pick} -j ${sep}`,
    );
  });
}

function renderServicePort(out: Out, input: ProxyInputParsed, svc: ProxyService, portIndex: number): void {
  const port = svc.ports[portIndex];
  if (!port) return;
  const faults = new Set(input.faults);
  const spn = servicePortName(svc.namespace, svc.name, port.name);
  const protocol = port.protocol.toLowerCase();
  const endpoints = (svc.endpoints[port.name] ?? []).filter((e) => e.ready).sort(byAddress);
  const hasEndpoints = endpoints.length > 0;
  const nodePort = svc.type === 'ClusterIP' ? 0 : port.nodePort;
  const lbIps = svc.type === 'LoadBalancer' ? svc.loadBalancerIPs : [];
  const externallyAccessible = nodePort !== 0 || lbIps.length > 0;
  const externalPolicyLocal =
    externallyAccessible && (svc.externalTrafficPolicy === 'Local' || faults.has('nodeport-one-node'));
  const localEndpoints = endpoints.filter((e) => e.nodeName === input.nodeName);
  const hasExternalEndpoints = externalPolicyLocal ? localEndpoints.length > 0 : hasEndpoints;

  const cluster = svcChain(spn, protocol);
  const local = svlChain(spn, protocol);
  const ext = extChain(spn, protocol);
  const withSep = (eps: readonly ProxyEndpoint[]) =>
    eps.map((ep) => ({ ep, sep: sepChain(spn, protocol, `${ep.ip}:${ep.port}`) }));
  const clusterEps = withSep(endpoints);

  const externalTarget = hasEndpoints ? 'DROP' : 'REJECT --reject-with icmp-port-unreachable';
  const externalComment = hasEndpoints ? q(`${spn} has no local endpoints`) : q(`${spn} has no endpoints`);
  const dest = `-m ${protocol} -p ${protocol} -d ${svc.clusterIP} --dport ${port.port}`;

  if (hasEndpoints) {
    out.natChains.push(cluster);
    out.natRules.push(
      `-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${dest} -j ${cluster}`,
    );
    // Off-cluster sources to a ClusterIP may have been routed here from anywhere: masquerade them.
    out.natRules.push(
      `-A ${cluster} -m comment --comment ${q(`${spn} cluster IP`)} ${dest} ! -s ${input.clusterCIDR} -j KUBE-MARK-MASQ`,
    );
    balanceRules(out, input, svc, spn, cluster, clusterEps);
  } else {
    out.filterRules.push(
      `-A KUBE-SERVICES -m comment --comment ${q(`${spn} has no endpoints`)} ${dest} -j REJECT --reject-with icmp-port-unreachable`,
    );
  }

  if (hasEndpoints && externallyAccessible) {
    out.natChains.push(ext);
    if (!externalPolicyLocal) {
      out.natRules.push(
        `-A ${ext} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`,
      );
    } else {
      out.natRules.push(
        `-A ${ext} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${input.clusterCIDR} -j ${cluster}`,
        `-A ${ext} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
        `-A ${ext} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${cluster}`,
      );
    }
    if (hasExternalEndpoints) out.natRules.push(`-A ${ext} -j ${externalPolicyLocal ? local : cluster}`);
    if (externalPolicyLocal && localEndpoints.length > 0) {
      out.natChains.push(local);
      balanceRules(out, input, svc, spn, local, withSep(localEndpoints));
    }
  }

  for (const lbip of lbIps) {
    if (hasEndpoints)
      out.natRules.push(
        `-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} -m ${protocol} -p ${protocol} -d ${lbip} --dport ${port.port} -j ${ext}`,
      );
    if (!hasExternalEndpoints)
      out.filterRules.push(
        `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} -m ${protocol} -p ${protocol} -d ${lbip} --dport ${port.port} -j ${externalTarget}`,
      );
  }

  if (nodePort !== 0) {
    if (hasEndpoints)
      out.natRules.push(
        `-A KUBE-NODEPORTS -m comment --comment ${spn} -m ${protocol} -p ${protocol} --dport ${nodePort} -j ${ext}`,
      );
    if (!hasExternalEndpoints)
      out.filterRules.push(
        `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${externalComment} -m addrtype --dst-type LOCAL -m ${protocol} -p ${protocol} --dport ${nodePort} -j ${externalTarget}`,
      );
  }

  const affinity = svc.sessionAffinity !== undefined && !faults.has('affinity-ignored');
  for (const { ep, sep } of clusterEps) {
    out.natChains.push(sep);
    out.natRules.push(
      `-A ${sep} -m comment --comment ${spn} -s ${ep.ip} -j KUBE-MARK-MASQ`,
      `-A ${sep} -m comment --comment ${spn}${affinity ? ` -m recent --name ${sep} --set` : ''} -m ${protocol} -p ${protocol} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
    );
  }
}

/** The full iptables-restore text (filter and nat) for one node. */
export function renderRules(raw: ProxyInput): string {
  const input = ProxyInputSchema.parse(raw);
  const out: Out = { natChains: [], natRules: [], filterRules: [] };
  const services = [...input.services]
    .filter((s) => s.clusterIP !== '' && s.clusterIP !== 'None')
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  for (const svc of services) svc.ports.forEach((_, i) => renderServicePort(out, input, svc, i));

  const blackhole = input.faults.includes('blackhole-endpoint') ? blackholedIps(services) : [];
  const filter = [
    '*filter',
    ':KUBE-NODEPORTS - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-EXTERNAL-SERVICES - [0:0]',
    ':KUBE-FORWARD - [0:0]',
    ':KUBE-PROXY-FIREWALL - [0:0]',
    `:${BLACKHOLE_CHAIN} - [0:0]`,
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ...out.filterRules,
    ...blackhole.map((ip) => `-A ${BLACKHOLE_CHAIN} -d ${ip}/32 -j DROP`),
    'COMMIT',
  ];
  const nat = [
    '*nat',
    ':KUBE-NODEPORTS - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ...out.natChains.map((c) => `:${c} - [0:0]`),
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`,
    ...out.natRules,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    'COMMIT',
  ];
  return [...filter, ...nat, ''].join('\n');
}
