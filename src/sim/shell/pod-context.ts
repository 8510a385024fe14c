// What a shell running "inside" a pod can see: its identity, its environment and files, the network
// (through the simulated cluster) and a clock. kubectl builds it from the state file; unit tests build
// it over an in-memory cluster.
import type { ConnectOutcome } from '../net/connect.ts';
import type { DnsAnswer } from '../net/dns.ts';

export interface NetAccess {
  /** A new TCP connection + HTTP GET; `virtualMs` is the simulated time the session has slept. */
  connect(host: string, port: number, virtualMs: number): Promise<ConnectOutcome>;
  /** A DNS query from this pod: an answer, `undefined` (NXDOMAIN) or 'timeout' (DNS unreachable). */
  lookup(name: string): Promise<DnsAnswer | undefined | 'timeout'>;
}

export interface PodContext {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly mac: string;
  /** Peer interface index on the node (`eth0@if29`). */
  readonly peerIndex: number;
  readonly env: readonly (readonly [string, string])[];
  readonly files: Readonly<Record<string, string>>;
  readonly dnsServer: string;
  readonly net: NetAccess;
  /** Waits the real part of `seconds` of simulated time (sleep, network timeouts). */
  wait(seconds: number, kind: 'sleep' | 'timeout'): Promise<void>;
}

export function resolvConf(namespace: string, dnsServer: string): string {
  return `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dnsServer}\noptions ndots:5\n`;
}

export function podFiles(
  name: string,
  namespace: string,
  ip: string,
  dnsServer: string,
): Record<string, string> {
  return {
    '/etc/resolv.conf': resolvConf(namespace, dnsServer),
    '/etc/hostname': `${name}\n`,
    '/etc/hosts': `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\t${name}\n`,
  };
}

/** A stable locally administered MAC derived from the pod's uid (CNI veths get random ones). */
export function macFor(seed: string): string {
  let h = 0x811c9dc5;
  const bytes: number[] = [];
  for (let i = 0; i < 6; i++) {
    for (const ch of `${seed}:${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    bytes.push(h & 0xff);
  }
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
