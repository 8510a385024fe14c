// IPv4 address and CIDR arithmetic for config validation (node network, pod and service ranges).

export interface Cidr {
  readonly text: string;
  /** Network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function parseIpv4(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Like parseCidr but masks host bits (`192.168.56.1/21` → 192.168.56.0/21), as VirtualBox and ip(8) do. */
export function parseCidrMasked(text: string): Cidr | undefined {
  const [addr, prefixText] = text.split('/');
  const ip = addr === undefined ? undefined : parseIpv4(addr);
  const prefix = Number(prefixText);
  if (ip === undefined || !/^\d{1,2}$/.test(prefixText ?? '') || prefix > 32) return undefined;
  const network = (ip & maskOf(prefix)) >>> 0;
  return { text: `${formatIpv4(network)}/${prefix}`, network, prefix };
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

export function parseCidr(text: string): CidrParse {
  const [addr, prefixText, extra] = text.split('/');
  if (
    addr === undefined ||
    prefixText === undefined ||
    extra !== undefined ||
    !/^\d{1,2}$/.test(prefixText)
  ) {
    return { ok: false, reason: `"${text}" is not a CIDR such as 192.168.56.0/24` };
  }
  const ip = parseIpv4(addr);
  const prefix = Number(prefixText);
  if (ip === undefined || prefix > 32)
    return { ok: false, reason: `"${text}" is not a CIDR such as 192.168.56.0/24` };
  const network = (ip & maskOf(prefix)) >>> 0;
  if (network !== ip) {
    return {
      ok: false,
      reason: `"${text}" has host bits set; the network is ${formatIpv4(network)}/${prefix}`,
    };
  }
  return { ok: true, cidr: { text, network, prefix } };
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(prefix);
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** True for the network and broadcast addresses of c (unusable as a host address). */
export function isNetworkOrBroadcast(c: Cidr, ip: number): boolean {
  return c.prefix < 31 && (ip === c.network || ip === c.network + cidrSize(c) - 1);
}
