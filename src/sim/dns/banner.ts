// What `kubectl logs` of a coredns pod shows at start: the server block, the reload plugin's checksum of
// the Corefile and the version, as CoreDNS prints them. The Corefile is kubeadm's (cmd/kubeadm/app/
// phases/addons/dns), which is also what answer.ts implements.
import { createHash } from 'node:crypto';

/** The simulated cluster is v1.27 (src/sim/model/bootstrap.ts), whose kubeadm installs CoreDNS v1.10.1. */
export const COREDNS_VERSION = '1.10.1';

export function kubeadmCorefile(domain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
}

export function startBanner(domain: string, port: number): string[] {
  const sha = createHash('sha512').update(kubeadmCorefile(domain)).digest('hex');
  return [
    `.:${port}`,
    `[INFO] plugin/reload: Running configuration SHA512 = ${sha}`,
    `CoreDNS-${COREDNS_VERSION}`,
    `linux/${process.arch === 'x64' ? 'amd64' : process.arch}, labkit simulated (node ${process.version})`,
  ];
}
