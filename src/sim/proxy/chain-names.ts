// kube-proxy's chain names (pkg/proxy/iptables/proxier.go, servicePortPolicyClusterChain and
// servicePortEndpointChainName): base32 (RFC 4648, with the standard alphabet) of sha256 over the service
// port name `namespace/name:portName` (no `:` when the port is unnamed) + the lowercase protocol (+ the
// endpoint `ip:port` for KUBE-SEP), first 16 characters. Exact, so names match what a real node shows.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function hash16(text: string): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** `namespace/name:portName`, or `namespace/name` for an unnamed port (proxy.ServicePortName.String()). */
export function servicePortName(namespace: string, name: string, portName: string): string {
  return `${namespace}/${name}${portName === '' ? '' : `:${portName}`}`;
}

const proto = (protocol: string) => protocol.toLowerCase();

export const svcChain = (spn: string, protocol: string) => `KUBE-SVC-${hash16(spn + proto(protocol))}`;
export const svlChain = (spn: string, protocol: string) => `KUBE-SVL-${hash16(spn + proto(protocol))}`;
export const extChain = (spn: string, protocol: string) => `KUBE-EXT-${hash16(spn + proto(protocol))}`;
export const sepChain = (spn: string, protocol: string, endpoint: string) =>
  `KUBE-SEP-${hash16(spn + proto(protocol) + endpoint)}`;
