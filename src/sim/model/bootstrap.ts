// A freshly built cluster as the course builds it (design.md, "The course's own cluster"): master-node
// (control-plane) and worker-node01/02 (role worker) whose InternalIPs are the testbed hosts' addresses,
// pod CIDR 172.16.0.0/16 (Calico /26 blocks per node), service CIDR 172.17.0.0/16 with `kubernetes` at
// 172.17.0.1 and kube-dns at 172.17.0.10, CoreDNS pods on the control plane.
import { randomUUID } from 'node:crypto';
import { reconcile } from './controller.ts';
import { isoSeconds, newMeta } from './meta.ts';
import { kubeadmNamespaces } from './namespace-objects.ts';
import { DEFAULT_CONFIG, type ClusterState, type SimConfig } from './state.ts';
import type { Node, Service } from './types.ts';

export interface NodeAddress {
  readonly name: 'master-node' | 'worker-node01' | 'worker-node02';
  readonly internalIP: string;
}

/** Calico hands each node a /26 of the pool; these mirror the seed's blocks (…158.x on worker-node02,
 *  …87.x on worker-node01). kubeadm's controller-manager gives node.spec.podCIDR a /24 each. */
const NODE_NETWORK: Record<NodeAddress['name'], { block: string; podCIDR: string; next: number }> = {
  'master-node': { block: '172.16.77.128/26', podCIDR: '172.16.0.0/24', next: 1 },
  'worker-node01': { block: '172.16.87.192/26', podCIDR: '172.16.1.0/24', next: 41 },
  'worker-node02': { block: '172.16.158.0/26', podCIDR: '172.16.2.0/24', next: 7 },
};

function makeNode(state: ClusterState, now: number, node: NodeAddress, kubeletVersion: string): Node {
  const control = node.name === 'master-node';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    ...(control
      ? {
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        }
      : { 'node-role.kubernetes.io/worker': 'worker' }),
  };
  const net = NODE_NETWORK[node.name];
  // Per-machine ids as the kubelet reports them (/etc/machine-id, the DMI UUID, the boot id).
  const machineID = randomUUID().replace(/-/g, '');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: newMeta(state, now, { name: node.name, labels }),
    spec: {
      podCIDR: net.podCIDR,
      podCIDRs: [net.podCIDR],
      ...(control
        ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] }
        : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastTransitionTime: isoSeconds(now),
        },
      ],
      nodeInfo: {
        machineID,
        systemUUID: randomUUID(),
        bootID: randomUUID(),
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        osImage: 'Ubuntu 22.04.2 LTS',
        kernelVersion: '5.15.0-72-generic',
        containerRuntimeVersion: 'cri-o://1.27.0',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
}

function makeService(
  state: ClusterState,
  now: number,
  name: string,
  namespace: string,
  clusterIP: string,
  ports: Service['spec']['ports'],
  labels: Record<string, string>,
  selector?: Record<string, string>,
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: newMeta(state, now, { name, namespace, labels }),
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ports,
      ...(selector ? { selector } : {}),
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: {} },
  };
}

export function bootstrapCluster(
  nodes: readonly NodeAddress[],
  options: { name?: string; now?: number; config?: Partial<SimConfig>; kubernetesVersion?: string } = {},
): ClusterState {
  const now = options.now ?? Date.now();
  const kubernetesVersion = options.kubernetesVersion ?? 'v1.27.1';
  const state: ClusterState = {
    version: 1,
    cluster: {
      name: options.name ?? 'kubernetes',
      podCIDR: '172.16.0.0/16',
      serviceCIDR: '172.17.0.0/16',
      dnsIP: '172.17.0.10',
      kubernetesVersion,
    },
    config: { ...DEFAULT_CONFIG, ...options.config },
    resourceVersion: 100,
    nodes: [],
    namespaces: [],
    pods: [],
    deployments: [],
    replicaSets: [],
    replicaSetCreated: {},
    events: [],
    eventAggregates: {},
    nodeImages: {},
    services: [],
    endpoints: [],
    endpointSlices: [],
    secrets: [],
    ipam: { blocks: {} },
    net: { affinity: {}, roundRobin: {} },
  };
  for (const node of nodes) {
    state.nodes.push(makeNode(state, now, node, kubernetesVersion));
    const net = NODE_NETWORK[node.name];
    state.ipam.blocks[node.name] = { cidr: net.block, next: net.next };
  }
  state.namespaces = kubeadmNamespaces(state.nodes);
  const master = nodes.find((n) => n.name === 'master-node');
  state.services.push(
    makeService(
      state,
      now,
      'kubernetes',
      'default',
      '172.17.0.1',
      [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      {
        component: 'apiserver',
        provider: 'kubernetes',
      },
    ),
    makeService(
      state,
      now,
      'kube-dns',
      'kube-system',
      '172.17.0.10',
      [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
      ],
      { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      { 'k8s-app': 'kube-dns' },
    ),
  );
  // The apiserver's own Endpoints (no selector: maintained by the apiserver, not the endpoints controller).
  state.endpoints.push({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: newMeta(state, now, {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    }),
    subsets: master
      ? [{ addresses: [{ ip: master.internalIP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]
      : [],
  });
  state.deployments.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...newMeta(state, now, {
        name: 'coredns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
      }),
      generation: 1,
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.10.1',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
          // CoreDNS tolerates the control-plane taint; the simulator places such pods on master-node.
          tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        },
      },
    },
    status: {},
  });
  // The system pods (CoreDNS) exist from the start; the kubelet runs them.
  reconcile(state, now);
  return state;
}
