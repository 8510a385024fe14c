// Cluster DNS as CoreDNS answers it for these labs: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`
// (the short forms through the pod's resolv.conf search list), ExternalName services as a CNAME, headless
// services as the ready pod IPs. Node names are not in cluster DNS.
import type { ClusterState } from '../model/state.ts';
import type { Service } from '../model/types.ts';
import { readyEndpoints } from '../model/endpoints.ts';

export const CLUSTER_DOMAIN = 'cluster.local';

export function searchDomains(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

export type DnsAnswer =
  | {
      readonly kind: 'service';
      readonly fqdn: string;
      readonly service: Service;
      readonly addresses: string[];
    }
  | { readonly kind: 'cname'; readonly fqdn: string; readonly target: string };

/** Looks up `svc.ns.svc.cluster.local`-shaped absolute names. */
function lookupAbsolute(state: ClusterState, fqdn: string): DnsAnswer | undefined {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return undefined;
  const [name, namespace] = parts as [string, string];
  const service = state.services.find(
    (s) => s.metadata.name === name && (s.metadata.namespace ?? 'default') === namespace,
  );
  if (!service) return undefined;
  if (service.spec.type === 'ExternalName')
    return { kind: 'cname', fqdn, target: service.spec.externalName ?? '' };
  if (service.spec.clusterIP === 'None') {
    const port = service.spec.ports?.[0]?.port ?? 0;
    return {
      kind: 'service',
      fqdn,
      service,
      addresses: readyEndpoints(state, service, port).map((e) => e.ip),
    };
  }
  return {
    kind: 'service',
    fqdn,
    service,
    addresses: service.spec.clusterIP ? [service.spec.clusterIP] : [],
  };
}

/** Resolves a name as a pod in `namespace` would (ndots:5: names with < 5 dots try the search list first). */
export function resolveName(state: ClusterState, namespace: string, name: string): DnsAnswer | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  const candidates = name.endsWith('.')
    ? [bare]
    : [...searchDomains(namespace).map((d) => `${bare}.${d}`), bare];
  for (const candidate of candidates) {
    const answer = lookupAbsolute(state, candidate.toLowerCase());
    if (answer) return answer;
  }
  return undefined;
}
