// MetalLB address pools as IPAddressPool.spec.addresses accepts them: a range `first-last` or a CIDR
// (https://metallb.universe.tf/configuration/#layer-2-configuration). One pool entry is enough for a lab.
import { formatIpv4, parseCidr, parseIpv4 } from './cidr.ts';

export interface AddressPool {
  readonly text: string;
  /** First and last address, inclusive, as unsigned 32-bit numbers. */
  readonly first: number;
  readonly last: number;
}

export type PoolParse = { ok: true; pool: AddressPool } | { ok: false; reason: string };

const EXAMPLE = 'a range such as 192.168.56.240-192.168.56.250 or a CIDR such as 192.168.56.240/29';

export function parseAddressPool(text: string): PoolParse {
  if (text.includes('/')) {
    const cidr = parseCidr(text);
    if (!cidr.ok) return { ok: false, reason: `${cidr.reason} (the pool is ${EXAMPLE})` };
    const size = 2 ** (32 - cidr.cidr.prefix);
    return { ok: true, pool: { text, first: cidr.cidr.network, last: cidr.cidr.network + size - 1 } };
  }
  const parts = text.split('-');
  const first = parts.length === 2 ? parseIpv4(parts[0]?.trim() ?? '') : undefined;
  const last = parts.length === 2 ? parseIpv4(parts[1]?.trim() ?? '') : undefined;
  if (first === undefined || last === undefined) return { ok: false, reason: `"${text}" is not ${EXAMPLE}` };
  if (last < first)
    return {
      ok: false,
      reason: `"${text}" ends before it starts (${formatIpv4(last)} < ${formatIpv4(first)})`,
    };
  return { ok: true, pool: { text, first, last } };
}

export function poolSize(pool: AddressPool): number {
  return pool.last - pool.first + 1;
}
