import { describe, expect, test } from 'vitest';
import { cidrsOverlap, formatIpv4, parseCidr, parseCidrMasked, parseIpv4 } from '../../../src/config/cidr.ts';

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cidr;
}

describe('cidr', () => {
  test.each([
    ['172.16.0.0/16', '172.17.0.0/16', false],
    ['172.16.0.0/12', '172.17.0.0/16', true],
    ['192.168.56.0/24', '192.168.56.128/25', true],
    ['0.0.0.0/0', '10.0.0.0/8', true],
    ['10.0.0.0/32', '10.0.0.1/32', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(expected);
    expect(cidrsOverlap(cidr(b), cidr(a))).toBe(expected);
  });

  test.each([
    '256.0.0.0/8',
    '10.0.0/8',
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0.0/8/1',
    '01.2.3.4/8',
    ' 10.0.0.0/8',
  ])('rejects %j', (text) => {
    expect(parseCidr(text).ok).toBe(false);
  });

  test('round-trips addresses and masks host bits when asked', () => {
    expect(formatIpv4(parseIpv4('255.0.10.1') ?? -1)).toBe('255.0.10.1');
    expect(parseCidrMasked('192.168.56.1/21')?.text).toBe('192.168.56.0/21');
    expect(parseCidr('192.168.56.1/21')).toEqual({
      ok: false,
      reason: '"192.168.56.1/21" has host bits set; the network is 192.168.56.0/21',
    });
  });
});
