// The whole simulated cluster: API objects, the simulator's own bookkeeping (pod runtime, IPAM, kube-proxy
// memory) and its configuration (delays, proxy mode, faults). One JSON document per cluster, validated
// with zod whenever it is read, because every kubectl process and the test harness share it.
import { z } from 'zod';
import {
  DeploymentSchema,
  EndpointSliceSchema,
  EventSchema,
  EndpointsSchema,
  NamespaceSchema,
  NodeSchema,
  PodSchema,
  ReplicaSetSchema,
  SecretSchema,
  ServiceSchema,
} from './types.ts';
import { kubeadmNamespaces } from './namespace-objects.ts';
import { PodReportSchema } from './pod-report.ts';

/** Fault switches (issue 5 item 5). Each names a way a real cluster misbehaves. */
export const FAULTS = [
  'affinity-ignored',
  'blackhole-endpoint',
  'dns-broken',
  'env-missing',
  'skewed-balance',
  'pod-never-ready',
  'no-replacement',
  'kube-proxy-ipvs',
  // Issue 15: a NodePort open only on the nodes running a selected pod (packet effect in src/sim/proxy), and a
  // LoadBalancer that never gets an address (src/sim/model/load-balancer.ts).
  'nodeport-one-node',
  'lb-pending',
] as const;
export const FaultSchema = z.enum(FAULTS);
export type Fault = z.infer<typeof FaultSchema>;

export const SimConfigSchema = z.object({
  /** A deleted pod stays Terminating this long (unless --now / --grace-period=0). */
  terminationDelayMs: z.number().int().min(0),
  /** kube-proxy mode; the fault kube-proxy-ipvs overrides it. */
  proxyMode: z.enum(['iptables', 'ipvs']),
  faults: z.array(FaultSchema),
  /** The MetalLB-like allocator's pool (`first-last`, inclusive, IPv4) for LoadBalancer Services. Optional so
   *  state files written before it keep loading; absent means DEFAULT_LB_POOL. */
  loadBalancerPool: z
    .string()
    .regex(/^\d+\.\d+\.\d+\.\d+-\d+\.\d+\.\d+\.\d+$/, 'a range first-last of IPv4 addresses')
    .optional(),
  /** The kubelet's image pull (src/sim/kubelet): a container starts this many ms after its sandbox is ready
   *  when the image is pulled (the images are local). */
  imagePullDelayMs: z.number().int().min(0).default(300),
});
export type SimConfig = z.infer<typeof SimConfigSchema>;

export const DEFAULT_CONFIG: SimConfig = {
  terminationDelayMs: 1000,
  proxyMode: 'iptables',
  faults: [],
  imagePullDelayMs: 300,
};

export const PodRuntimeSchema = z.object({
  /** Address given by the CNI when the sandbox is created; status.podIP shows it once Running. */
  ip: z.string(),
  /** Wall-clock ms when the pod was created (the controllers rank pods by age with it). */
  createdAt: z.number(),
  /** Environment captured at creation (service links from the services that existed then). */
  env: z.array(z.tuple([z.string(), z.string()])),
  /** Wall-clock ms when a Terminating pod is removed. */
  goneAt: z.number().optional(),
  /** What the kubelet (src/sim/kubelet) last reported; absent while the sandbox is made. */
  kubelet: PodReportSchema.optional(),
});
export type PodRuntime = z.infer<typeof PodRuntimeSchema>;

export const StoredPodSchema = z.object({ object: PodSchema, runtime: PodRuntimeSchema });
export type StoredPod = z.infer<typeof StoredPodSchema>;

export const ClusterStateSchema = z
  .object({
    version: z.literal(1),
    cluster: z.object({
      name: z.string(),
      podCIDR: z.string(),
      serviceCIDR: z.string(),
      dnsIP: z.string(),
      kubernetesVersion: z.string(),
    }),
    config: SimConfigSchema,
    resourceVersion: z.number(),
    nodes: z.array(NodeSchema),
    /** Absent in state files written before namespaces were stored: then kubeadm's four (stable uids). */
    namespaces: z.array(NamespaceSchema).optional(),
    pods: z.array(StoredPodSchema),
    deployments: z.array(DeploymentSchema),
    replicaSets: z.array(ReplicaSetSchema),
    /** Pods each ReplicaSet has created so far (the no-replacement fault lets only the first ones through). */
    replicaSetCreated: z.record(z.string(), z.number()),
    services: z.array(ServiceSchema),
    endpoints: z.array(EndpointsSchema),
    endpointSlices: z.array(EndpointSliceSchema),
    secrets: z.array(SecretSchema),
    /** Events (src/sim/model/events.ts); absent in state files written before they were recorded. */
    events: z.array(EventSchema).default([]),
    /** The event recorders' memory: client-go's EventAggregator records per similar-event key. */
    eventAggregates: z
      .record(z.string(), z.object({ messages: z.array(z.string()), lastMs: z.number() }))
      .default({}),
    /** The images each node's runtime holds (node name → image references), as the kubelet's image manager
     *  sees them: a pull adds one, so `already present on machine` survives a restart of the apiserver. */
    nodeImages: z.record(z.string(), z.array(z.string())).default({}),
    ipam: z.object({
      /** Calico-style /26 block per node and the next address to try in it. */
      blocks: z.record(z.string(), z.object({ cidr: z.string(), next: z.number() })),
    }),
    net: z.object({
      /** sessionAffinity ClientIP memory: `<ns>/<svc>:<port>|<client ip>` → endpoint IP and last use (ms). */
      affinity: z.record(z.string(), z.object({ endpoint: z.string(), lastUsed: z.number() })),
      /** IPVS round-robin position per service port. */
      roundRobin: z.record(z.string(), z.number()),
    }),
  })
  .transform((s) => ({ ...s, namespaces: s.namespaces ?? kubeadmNamespaces(s.nodes) }));
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export function hasFault(state: ClusterState, fault: Fault): boolean {
  return state.config.faults.includes(fault);
}

/** The effective kube-proxy mode (the kube-proxy-ipvs fault switches a cluster to IPVS). */
export function proxyMode(state: ClusterState): 'iptables' | 'ipvs' {
  return hasFault(state, 'kube-proxy-ipvs') ? 'ipvs' : state.config.proxyMode;
}
