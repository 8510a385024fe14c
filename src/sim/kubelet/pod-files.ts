// The files the kubelet writes into every container of a pod: /etc/resolv.conf for dnsPolicy
// ClusterFirst (pkg/kubelet/network/dns: nameserver = the cluster DNS Service, the namespace's search
// list, ndots:5), /etc/hosts (pkg/kubelet/kubelet_pods.go managedHostsFileContent) and /etc/hostname.
export function resolvConf(namespace: string, dnsServer: string): string {
  return `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dnsServer}\noptions ndots:5\n`;
}

export function hostsFile(podName: string, podIp: string): string {
  return (
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    `${podIp}\t${podName}\n`
  );
}

export function podFiles(
  podName: string,
  namespace: string,
  podIp: string,
  dnsServer: string,
): Record<string, string> {
  return {
    '/etc/resolv.conf': resolvConf(namespace, dnsServer),
    '/etc/hosts': hostsFile(podName, podIp),
    '/etc/hostname': `${podName}\n`,
  };
}
