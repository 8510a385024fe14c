// API discovery as kube-apiserver serves it: legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and aggregated
// (apidiscovery.k8s.io/v2, what kubectl 1.33 asks for first), plus /version.
import { RESOURCES, groupVersion, type ApiResource } from './resources.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Subresources kubectl uses, per resource (`pods/log`, `deployments/scale`, ...). */
const SUBRESOURCES: Readonly<
  Record<string, readonly { name: string; kind: string; group?: string; verbs: string[] }[]>
> = {
  pods: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  ],
  deployments: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', verbs: ['get', 'patch', 'update'] },
    { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
  ],
  replicasets: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', verbs: ['get', 'patch', 'update'] },
    { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] },
  ],
  services: [{ name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }],
};

const groups = (): { name: string; version: string; resources: ApiResource[] }[] => {
  const out: { name: string; version: string; resources: ApiResource[] }[] = [];
  for (const r of RESOURCES) {
    let g = out.find((x) => x.name === r.group && x.version === r.version);
    if (!g) {
      g = { name: r.group, version: r.version, resources: [] };
      out.push(g);
    }
    g.resources.push(r);
  }
  return out;
};

export function legacyApiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups()
      .filter((g) => g.name !== '')
      .map((g) => {
        const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
        return { name: g.name, versions: [gv], preferredVersion: gv };
      }),
  };
}

/** /api/v1 or /apis/<group>/<version>; undefined when that group version is not served. */
export function apiResourceList(group: string, version: string): object | undefined {
  const mine = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (mine.length === 0) return undefined;
  const resources = mine.flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    },
    ...(SUBRESOURCES[r.plural] ?? []).map((s) => ({
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      ...(s.group ? { group: s.group, version: 'v1' } : {}),
      kind: s.kind,
      verbs: s.verbs,
    })),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(mine[0] ?? { group, version }),
    resources,
  };
}

function discoveryResource(r: ApiResource): object {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(SUBRESOURCES[r.plural]
      ? {
          subresources: (SUBRESOURCES[r.plural] ?? []).map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? r.group, version: s.group ? 'v1' : r.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** Aggregated discovery for /api (legacy: the core group only) or /apis (every named group). */
export function aggregatedDiscovery(legacy: boolean): object {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups()
      .filter((g) => (g.name === '') === legacy)
      .map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: [
          { version: g.version, resources: g.resources.map(discoveryResource), freshness: 'Current' },
        ],
      })),
  };
}

/** /version for the cluster's Kubernetes version (`v1.27.1` → major 1, minor 27). */
export function versionInfo(gitVersion: string): object {
  const [major = '1', minor = '0'] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2023-04-14T13:14:41Z',
    goVersion: 'go1.20.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').includes('as=APIGroupDiscoveryList') && (accept ?? '').includes('v=v2');
}
