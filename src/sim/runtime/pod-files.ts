// The per-pod files a kubelet writes and the runtime mounts into every container of the pod:
// /etc/hosts (kubelet's managed hosts file), /etc/resolv.conf (ClusterFirst DNS) and /etc/hostname.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HostAlias {
  readonly ip: string;
  readonly hostnames: readonly string[];
}

export interface PodFilesSpec {
  readonly hostname: string;
  readonly namespace: string;
  readonly podIp: string;
  /** The kube-dns Service's ClusterIP. */
  readonly dnsIp: string;
  readonly clusterDomain?: string;
  /** spec.subdomain: the hosts entry becomes `<hostname>.<subdomain>.<ns>.svc.<domain>` too. */
  readonly subdomain?: string;
  readonly hostAliases?: readonly HostAlias[];
}

export const POD_FILES = ['hosts', 'hostname', 'resolv.conf'] as const;

/** kubelet's managedHostsFileContent (pkg/kubelet/kubelet_pods.go). */
export function hostsFile(spec: PodFilesSpec): string {
  const domain = spec.clusterDomain ?? 'cluster.local';
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    spec.subdomain
      ? `${spec.podIp}\t${spec.hostname}.${spec.subdomain}.${spec.namespace}.svc.${domain}\t${spec.hostname}`
      : `${spec.podIp}\t${spec.hostname}`,
  ];
  if (spec.hostAliases && spec.hostAliases.length > 0) {
    lines.push('', '# Entries added by HostAliases.');
    for (const alias of spec.hostAliases) lines.push(`${alias.ip}\t${alias.hostnames.join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** ClusterFirst DNS (pkg/kubelet/network/dns), in the order containerd writes it: search, nameserver,
 *  options. */
export function resolvConf(spec: PodFilesSpec): string {
  const domain = spec.clusterDomain ?? 'cluster.local';
  return [
    `search ${spec.namespace}.svc.${domain} svc.${domain} ${domain}`,
    `nameserver ${spec.dnsIp}`,
    'options ndots:5',
    '',
  ].join('\n');
}

/** Writes the three files into `dir` (created); rewriting is harmless. */
export async function writePodFiles(dir: string, spec: PodFilesSpec): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'hosts'), hostsFile(spec));
  await writeFile(join(dir, 'hostname'), `${spec.hostname}\n`);
  await writeFile(join(dir, 'resolv.conf'), resolvConf(spec));
}
