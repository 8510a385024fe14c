// The simulated cluster's MetalLB stand-in (issue 15): a Service of type LoadBalancer gets
// status.loadBalancer.ingress[0].ip from the cluster's pool, as MetalLB's controller assigns one from an
// IPAddressPool. The address is kept while the Service stays a LoadBalancer and given back when it does not
// (MetalLB releases it on a type change or delete). The `lb-pending` fault is a cluster with no provider:
// nothing ever writes an address, so kubectl shows EXTERNAL-IP <pending>. Which node answers ARP for the
// address (L2 mode) is the network's business (src/sim/proxy), not the apiserver's.
import { formatIpv4, parseIpv4 } from '../../config/cidr.ts';
import { hasFault, type ClusterState } from './state.ts';
import type { Service } from './types.ts';

/** Testbed cluster 1's pool: 192.168.57.(10i+5)-(10i+9) are never host addresses (test/testbed/layout.ts). */
export const DEFAULT_LB_POOL = '192.168.57.15-192.168.57.19';

/** The pool for testbed cluster `cluster` (1-based): 192.168.57.(10i+5)-192.168.57.(10i+9). */
export function testbedLoadBalancerPool(cluster: number): string {
  return `192.168.57.${10 * cluster + 5}-192.168.57.${10 * cluster + 9}`;
}

/** Every address of a `first-last` pool, in order. */
export function poolAddresses(pool: string): string[] {
  const [a, b] = pool.split('-');
  const first = parseIpv4(a ?? '');
  const last = parseIpv4(b ?? '');
  if (first === undefined || last === undefined || last < first)
    throw new Error(`simulated cluster: load balancer pool "${pool}" is not first-last`);
  return Array.from({ length: last - first + 1 }, (_, i) => formatIpv4(first + i));
}

interface Ingress {
  readonly ip?: string;
}

export function ingressIp(service: Service): string | undefined {
  const lb = (service.status as { loadBalancer?: { ingress?: readonly Ingress[] } }).loadBalancer;
  return lb?.ingress?.[0]?.ip;
}

function setIngress(service: Service, ip: string | undefined): void {
  service.status = {
    ...service.status,
    loadBalancer: ip === undefined ? {} : { ingress: [{ ip, ipMode: 'VIP' }] },
  };
}

/** Gives each LoadBalancer Service without an address the lowest free one of the pool (none under
 *  `lb-pending`, or when the pool is used up: the Service stays <pending>, as with MetalLB), and takes the
 *  address back from a Service that is no longer a LoadBalancer. Idempotent. */
export function syncLoadBalancers(state: ClusterState): void {
  const pending = hasFault(state, 'lb-pending');
  for (const service of state.services)
    if (service.spec.type !== 'LoadBalancer' || pending) {
      if (ingressIp(service) !== undefined) setIngress(service, undefined);
    }
  if (pending) return;
  const pool = poolAddresses(state.config.loadBalancerPool ?? DEFAULT_LB_POOL);
  const used = new Set(state.services.flatMap((s) => ingressIp(s) ?? []));
  for (const service of state.services) {
    if (service.spec.type !== 'LoadBalancer' || ingressIp(service) !== undefined) continue;
    const free = pool.find((ip) => !used.has(ip));
    if (free === undefined) return;
    used.add(free);
    setIngress(service, free);
  }
}
