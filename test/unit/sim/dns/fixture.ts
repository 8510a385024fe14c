// A small cluster for the DNS tests: the seed's services plus a headless, two ExternalName ones and the
// kubeadm defaults (kubernetes, kube-dns), as the apiserver lists them.
import {
  buildView,
  type ClusterData,
  type ClusterView,
  type DnsEndpointSlice,
  type DnsService,
} from '../../../../src/sim/dns/view.ts';

export const MODIFIED = 1_780_000_000;

const svc = (namespace: string, name: string, spec: DnsService['spec']): DnsService => ({
  metadata: { name, namespace },
  spec,
});

const slice = (
  namespace: string,
  service: string,
  endpoints: { ip: string; ready?: boolean; hostname?: string }[],
  ports: { name: string; port: number; protocol: string }[],
): DnsEndpointSlice => ({
  metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: endpoints.map((e) => ({
    addresses: [e.ip],
    conditions: e.ready === undefined ? {} : { ready: e.ready },
    ...(e.hostname ? { hostname: e.hostname } : {}),
  })),
  ports,
});

export function clusterData(overrides: Partial<ClusterData> = {}): ClusterData {
  return {
    services: [
      svc('default', 'kubernetes', {
        type: 'ClusterIP',
        clusterIP: '172.17.0.1',
        clusterIPs: ['172.17.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      }),
      svc('kube-system', 'kube-dns', {
        type: 'ClusterIP',
        clusterIP: '172.17.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      }),
      svc('default', 'hostname-service-clusterip', {
        type: 'ClusterIP',
        clusterIP: '172.17.17.106',
        clusterIPs: ['172.17.17.106'],
        ports: [{ name: 'web-port', port: 8080, protocol: 'TCP' }],
      }),
      svc('default', 'headless', {
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
      }),
      svc('default', 'external', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      svc('default', 'alias', {
        type: 'ExternalName',
        externalName: 'hostname-service-clusterip.default.svc.cluster.local',
      }),
    ],
    endpointSlices: [
      slice(
        'default',
        'hostname-service-clusterip',
        [
          { ip: '172.16.158.7', ready: true },
          { ip: '172.16.87.234', ready: true },
        ],
        [{ name: 'web-port', port: 80, protocol: 'TCP' }],
      ),
      slice(
        'default',
        'headless',
        [
          { ip: '172.16.158.8', ready: true },
          { ip: '172.16.87.235' },
          { ip: '172.16.87.236', ready: false },
          { ip: '172.16.87.237', ready: true, hostname: 'web-0' },
        ],
        [{ name: 'web', port: 80, protocol: 'TCP' }],
      ),
    ],
    namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
    modified: MODIFIED,
    synced: true,
    ...overrides,
  };
}

export const fixtureView = (overrides: Partial<ClusterData> = {}): ClusterView =>
  buildView(clusterData(overrides));
