// What kube-proxy and the node's network see of the cluster state: kube-proxy watches Services and
// EndpointSlices (not Endpoints), so the rules are built from the slices the EndpointSlice controller wrote;
// a Service without a selector whose only record is an Endpoints object (`kubernetes`, which the apiserver
// itself maintains, mirrored to a slice on a real cluster) is read from that.
import { hasFault, type ClusterState } from '../model/state.ts';
import type { Service } from '../model/types.ts';
import { ingressIp } from '../model/load-balancer.ts';
import { announcingNode } from './l2-election.ts';
import {
  PROXY_FAULTS,
  type ProxyEndpoint,
  type ProxyFault,
  type ProxyInput,
  type ProxyService,
} from './types.ts';
import type { NodeNetwork } from './node-network.ts';

const PROXIED_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer']);
type ProxiedType = ProxyService['type'];

export interface ProxyNode {
  readonly name: string;
  /** The node's address on the lab network. */
  readonly address: string;
}

function endpointsOf(state: ClusterState, service: Service): Record<string, ProxyEndpoint[]> {
  const ns = service.metadata.namespace ?? 'default';
  const name = service.metadata.name;
  const byPort: Record<string, ProxyEndpoint[]> = {};
  const slices = state.endpointSlices.filter(
    (s) =>
      (s.metadata.namespace ?? 'default') === ns &&
      s.metadata.labels?.['kubernetes.io/service-name'] === name,
  );
  for (const slice of slices)
    for (const port of slice.ports)
      for (const e of slice.endpoints)
        for (const ip of e.addresses)
          (byPort[port.name] ??= []).push({
            ip,
            port: port.port,
            nodeName: e.nodeName ?? '',
            ready: e.conditions.ready,
          });
  if (slices.length > 0 || service.spec.selector) return byPort;
  const endpoints = state.endpoints.find(
    (e) => (e.metadata.namespace ?? 'default') === ns && e.metadata.name === name,
  );
  for (const subset of endpoints?.subsets ?? [])
    for (const port of subset.ports)
      for (const a of subset.addresses ?? [])
        (byPort[port.name ?? ''] ??= []).push({
          ip: a.ip,
          port: port.port,
          nodeName: a.nodeName ?? '',
          ready: true,
        });
  return byPort;
}

function proxyService(state: ClusterState, service: Service): ProxyService | undefined {
  const clusterIP = service.spec.clusterIP;
  if (!PROXIED_TYPES.has(service.spec.type) || !clusterIP || clusterIP === 'None') return undefined;
  const spec = service.spec as typeof service.spec & { externalTrafficPolicy?: string };
  const lb = service.spec.type === 'LoadBalancer' ? ingressIp(service) : undefined;
  return {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    type: service.spec.type as ProxiedType,
    clusterIP,
    ports: (service.spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      protocol: p.protocol as 'TCP' | 'UDP' | 'SCTP',
      port: p.port,
      nodePort: p.nodePort ?? 0,
    })),
    loadBalancerIPs: lb ? [lb] : [],
    ...(service.spec.sessionAffinity === 'ClientIP'
      ? {
          sessionAffinity: {
            timeoutSeconds: service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
          },
        }
      : {}),
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    endpoints: endpointsOf(state, service),
  };
}

/** The faults kube-proxy acts on; the `ipvs` proxy mode is the kube-proxy-ipvs fault's rule set. */
export function proxyFaults(state: ClusterState): ProxyFault[] {
  const faults = PROXY_FAULTS.filter((f) => hasFault(state, f));
  if (state.config.proxyMode === 'ipvs' && !faults.includes('kube-proxy-ipvs'))
    faults.push('kube-proxy-ipvs');
  return faults;
}

export function proxyServices(state: ClusterState): ProxyService[] {
  return state.services.flatMap((s) => proxyService(state, s) ?? []);
}

/** kube-proxy's input for `node`. */
export function proxyInputFor(
  state: ClusterState,
  node: ProxyNode,
  services: readonly ProxyService[] = proxyServices(state),
): ProxyInput {
  return {
    nodeName: node.name,
    nodeIPs: [node.address],
    clusterCIDR: state.cluster.podCIDR,
    services: [...services],
    faults: proxyFaults(state),
  };
}

/** Nodes a MetalLB speaker announces from: kubeadm labels the control plane
 *  `node.kubernetes.io/exclude-from-external-load-balancers`, which MetalLB honours by default. */
function speakerNodes(state: ClusterState, nodes: readonly ProxyNode[]): string[] {
  const excluded = new Set(
    state.nodes
      .filter(
        (n) => n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] !== undefined,
      )
      .map((n) => n.metadata.name),
  );
  return nodes.map((n) => n.name).filter((n) => !excluded.has(n));
}

/** The node network `node` should have: routes to the other nodes' pod blocks, the service range routed
 *  to the lab network's gateway (a real node's default route), the LoadBalancer addresses it announces. */
export function nodeNetworkFor(
  state: ClusterState,
  nodes: readonly ProxyNode[],
  node: ProxyNode,
  gateway: string | undefined,
  services: readonly ProxyService[] = proxyServices(state),
): NodeNetwork {
  const speakers = speakerNodes(state, nodes);
  const held: string[] = [];
  for (const service of services)
    for (const ip of service.loadBalancerIPs) {
      const ready = Object.values(service.endpoints)
        .flat()
        .filter((e) => e.ready);
      const candidates =
        service.externalTrafficPolicy === 'Local'
          ? speakers.filter((n) => ready.some((e) => e.nodeName === n))
          : speakers;
      if (ready.length > 0 && announcingNode(candidates, ip) === node.name) held.push(ip);
    }
  return {
    blocks: nodes.flatMap((other) => {
      const block = state.ipam.blocks[other.name];
      return other.name === node.name || !block ? [] : [{ cidr: block.cidr, via: other.address }];
    }),
    forwarding: true,
    ...(gateway ? { serviceRoute: { cidr: state.cluster.serviceCIDR, via: gateway } } : {}),
    loadBalancerIPs: held,
    natOutgoingPool: state.cluster.podCIDR,
  };
}
