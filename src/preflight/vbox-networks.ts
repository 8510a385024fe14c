// VirtualBox >= 6.1.28 on Linux and macOS only lets host-only networks use 192.168.56.0/21 unless
// /etc/vbox/networks.conf lists other ranges (`* 10.0.0.0/8 192.168.0.0/16`). Windows has no such limit.
import { cidrContains, parseCidr, parseCidrMasked, type Cidr } from '../config/cidr.ts';

export const VBOX_NETWORKS_CONF = '/etc/vbox/networks.conf';
export const VBOX_DEFAULT_ALLOWED = '192.168.56.0/21';

/** IPv4 ranges allowed by networks.conf text (lines starting with `*`); undefined when the file is absent. */
export function allowedHostOnlyRanges(confText: string | undefined): Cidr[] {
  if (confText === undefined) return [defaultRange()];
  const ranges: Cidr[] = [];
  for (const rawLine of confText.split('\n')) {
    const line = rawLine.replace(/#.*/, '').trim();
    if (!line.startsWith('*')) continue;
    for (const token of line.slice(1).trim().split(/\s+/)) {
      // networks.conf often has host bits set (192.168.56.1/21); VirtualBox masks them.
      const cidr = parseCidrMasked(token);
      if (cidr) ranges.push(cidr);
    }
  }
  return ranges;
}

function defaultRange(): Cidr {
  const parsed = parseCidr(VBOX_DEFAULT_ALLOWED);
  if (!parsed.ok) throw new Error('bad built-in range');
  return parsed.cidr;
}

/** True when every address of `net` lies in one allowed range. */
export function hostOnlyNetworkAllowed(net: Cidr, allowed: readonly Cidr[]): boolean {
  const last = net.network + 2 ** (32 - net.prefix) - 1;
  return allowed.some(
    (range) => range.prefix <= net.prefix && cidrContains(range, net.network) && cidrContains(range, last),
  );
}
