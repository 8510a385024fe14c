// Address management: Calico-style /26 blocks per node for pod IPs (sequential inside the block, as
// Calico hands them out), random ClusterIPs from the service CIDR's dynamic band (as the apiserver's
// allocator does: the lower band is kept for static choices) and random NodePorts from 30000-32767.
import { randomInt } from 'node:crypto';
import type { ClusterState } from './state.ts';

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): { base: number; bits: number; size: number } {
  const [ip, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    throw new Error(`not a CIDR: ${cidr}`);
  const size = 2 ** (32 - bits);
  return { base: ipToInt(ip) - (ipToInt(ip) % size), bits, size };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, size } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
}

function usedPodIps(state: ClusterState): Set<string> {
  return new Set(state.pods.map((p) => p.runtime.ip));
}

/** Next free address of the node's block, starting after the last one handed out (Calico does not
 *  reuse a just-released address first). */
export function allocatePodIp(state: ClusterState, nodeName: string): string {
  const block = state.ipam.blocks[nodeName];
  if (!block) throw new Error(`simulated cluster: node ${nodeName} has no IPAM block`);
  const { base, size } = parseCidr(block.cidr);
  const used = usedPodIps(state);
  for (let i = 0; i < size; i++) {
    const offset = (block.next + i) % size;
    if (offset === 0) continue;
    const ip = intToIp(base + offset);
    if (!used.has(ip)) {
      block.next = (offset + 1) % size;
      return ip;
    }
  }
  throw new Error(`simulated cluster: IPAM block ${block.cidr} of ${nodeName} is full`);
}

/** A random unused ClusterIP from the upper (dynamic) band of the service CIDR. */
export function allocateClusterIp(state: ClusterState, random: (n: number) => number = randomInt): string {
  const { base, size } = parseCidr(state.cluster.serviceCIDR);
  const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
  const used = new Set(state.services.map((s) => s.spec.clusterIP).filter((ip): ip is string => !!ip));
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const ip = intToIp(base + staticBand + random(size - staticBand - 1));
    if (!used.has(ip)) return ip;
  }
  throw new Error(`simulated cluster: no free ClusterIP in ${state.cluster.serviceCIDR}`);
}

export function allocateNodePort(state: ClusterState, random: (n: number) => number = randomInt): number {
  const used = new Set(state.services.flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort)));
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const port = 30000 + random(2768);
    if (!used.has(port)) return port;
  }
  throw new Error('simulated cluster: no free NodePort in 30000-32767');
}
