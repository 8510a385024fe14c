import { describe, expect, test } from 'vitest';
import { parseCidr } from '../../../src/config/cidr.ts';
import { allowedHostOnlyRanges, hostOnlyNetworkAllowed } from '../../../src/preflight/vbox-networks.ts';

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cidr;
}

describe('VirtualBox host-only ranges', () => {
  test.each([
    ['no networks.conf: the default 192.168.56.0/21', undefined, '192.168.56.0/24', true],
    ['no networks.conf: 192.168.63.0/24 is the last allowed /24', undefined, '192.168.63.0/24', true],
    ['no networks.conf: 192.168.64.0/24 is outside', undefined, '192.168.64.0/24', false],
    ['no networks.conf: the course cluster 10.0.0.0/24 is refused', undefined, '10.0.0.0/24', false],
    ['networks.conf allowing 10/8', '* 10.0.0.0/8 192.168.0.0/16\n', '10.0.0.0/24', true],
    ['networks.conf replaces the default', '* 10.0.0.0/8\n', '192.168.56.0/24', false],
    ['host bits in networks.conf are masked', '* 192.168.56.1/21\n', '192.168.57.0/24', true],
    ['comments and IPv6 ranges are skipped', '# lab\n* fd00::/8 10.0.0.0/8 # ok\n', '10.1.0.0/16', true],
    ['a wider lab network than the allowed range', '* 192.168.56.0/24\n', '192.168.56.0/23', false],
    ['an empty file allows nothing', '', '192.168.56.0/24', false],
  ])('%s', (_name, conf, net, allowed) => {
    expect(hostOnlyNetworkAllowed(cidr(net), allowedHostOnlyRanges(conf))).toBe(allowed);
  });
});
