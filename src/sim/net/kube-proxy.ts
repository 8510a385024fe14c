// How kube-proxy picks an endpoint for a new connection to a Service:
// - iptables mode: at random, each endpoint with equal probability (the statistic-module chain 1/(n-i));
// - ipvs mode: round robin (IPVS's default `rr` scheduler);
// - sessionAffinity ClientIP: the endpoint last used by this client IP, while it is still ready and was
//   used within timeoutSeconds (default 10800), in either mode.
// Faults change this: affinity-ignored, skewed-balance (80/10/10), blackhole-endpoint (one endpoint's
// packets are dropped, see connect.ts), kube-proxy-ipvs.
import { hasFault, proxyMode, type ClusterState } from '../model/state.ts';
import type { Service } from '../model/types.ts';

export type Random = (n: number) => number;

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

const DEFAULT_AFFINITY_SECONDS = 10_800;

function byIp(a: Endpoint, b: Endpoint): number {
  return a.ip.localeCompare(b.ip, 'en', { numeric: true });
}

function weightedPick(endpoints: readonly Endpoint[], random: Random): Endpoint {
  // skewed-balance: the first endpoint gets 80 %, the others share the rest evenly.
  const rest = endpoints.length - 1;
  const roll = random(1_000_000) / 1_000_000;
  const first = endpoints[0] as Endpoint;
  if (rest === 0 || roll < 0.8) return first;
  const index = 1 + Math.min(rest - 1, Math.floor(((roll - 0.8) / 0.2) * rest));
  return endpoints[index] ?? first;
}

function pickNew(state: ClusterState, key: string, endpoints: readonly Endpoint[], random: Random): Endpoint {
  if (hasFault(state, 'skewed-balance')) return weightedPick(endpoints, random);
  if (proxyMode(state) === 'ipvs') {
    const position = state.net.roundRobin[key] ?? 0;
    state.net.roundRobin[key] = (position + 1) % endpoints.length;
    return endpoints[position % endpoints.length] ?? (endpoints[0] as Endpoint);
  }
  return endpoints[random(endpoints.length)] ?? (endpoints[0] as Endpoint);
}

export function chooseEndpoint(
  state: ClusterState,
  service: Service,
  servicePort: number,
  ready: readonly Endpoint[],
  clientIp: string,
  now: number,
  random: Random,
): Endpoint {
  const endpoints = [...ready].sort(byIp);
  const key = `${service.metadata.namespace ?? 'default'}/${service.metadata.name}:${servicePort}`;
  const sticky = service.spec.sessionAffinity === 'ClientIP' && !hasFault(state, 'affinity-ignored');
  if (!sticky) return pickNew(state, key, endpoints, random);
  const timeoutMs =
    (service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
  const memoryKey = `${key}|${clientIp}`;
  const remembered = state.net.affinity[memoryKey];
  const still =
    remembered && now - remembered.lastUsed <= timeoutMs
      ? endpoints.find((e) => e.ip === remembered.endpoint)
      : undefined;
  const chosen = still ?? pickNew(state, key, endpoints, random);
  state.net.affinity[memoryKey] = { endpoint: chosen.ip, lastUsed: now };
  return chosen;
}

/** blackhole-endpoint: per service, its lowest-IP ready endpoint drops every packet. */
export function blackholedIps(state: ClusterState): Set<string> {
  const out = new Set<string>();
  if (!hasFault(state, 'blackhole-endpoint')) return out;
  for (const ep of state.endpoints) {
    if (
      ep.metadata.namespace === 'kube-system' ||
      (ep.metadata.namespace === 'default' && ep.metadata.name === 'kubernetes')
    )
      continue;
    const ips = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
    const lowest = ips.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0];
    if (lowest) out.add(lowest);
  }
  return out;
}
