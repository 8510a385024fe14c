// What the kubelet hands kube-proxy for one node: services, their ready endpoints, this node, faults.
import { z } from 'zod';

export const PROXY_FAULTS = [
  'affinity-ignored',
  'skewed-balance',
  'blackhole-endpoint',
  'kube-proxy-ipvs',
  'nodeport-one-node',
] as const;
export type ProxyFault = (typeof PROXY_FAULTS)[number];

const Protocol = z.enum(['TCP', 'UDP', 'SCTP']);

export const ServicePortSchema = z.object({
  /** The port's name ('' when unnamed): part of the chain hash. */
  name: z.string(),
  protocol: Protocol,
  port: z.number().int().min(1).max(65535),
  nodePort: z.number().int().min(0).max(65535).default(0),
});

export const EndpointSchema = z.object({
  ip: z.string(),
  /** The resolved target port on the pod. */
  port: z.number().int().min(1).max(65535),
  nodeName: z.string(),
  /** Not ready endpoints are left out of every chain, as kube-proxy does (no terminating fallback). */
  ready: z.boolean().default(true),
});

export const ProxyServiceSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']),
  clusterIP: z.string(),
  ports: z.array(ServicePortSchema),
  /** status.loadBalancer.ingress[].ip */
  loadBalancerIPs: z.array(z.string()).default([]),
  /** Present for `sessionAffinity: ClientIP`: sessionAffinityConfig.clientIP.timeoutSeconds (default 10800). */
  sessionAffinity: z.object({ timeoutSeconds: z.number().int().min(1).default(10800) }).optional(),
  externalTrafficPolicy: z.enum(['Cluster', 'Local']).default('Cluster'),
  /** Endpoints per service port name (EndpointSlice conditions.ready in `ready`). */
  endpoints: z.record(z.string(), z.array(EndpointSchema)),
});

export const ProxyInputSchema = z.object({
  nodeName: z.string(),
  /** This node's addresses. NodePorts match `--dst-type LOCAL` (every local address), as kube-proxy's
   *  default nodePortAddresses does; kept for the caller's records and the LB addresses it holds. */
  nodeIPs: z.array(z.string()).default([]),
  clusterCIDR: z.string(),
  services: z.array(ProxyServiceSchema),
  faults: z.array(z.enum(PROXY_FAULTS)).default([]),
});

export type ProxyService = z.infer<typeof ProxyServiceSchema>;
export type ProxyEndpoint = z.infer<typeof EndpointSchema>;
export type ProxyInput = z.input<typeof ProxyInputSchema>;
export type ProxyInputParsed = z.infer<typeof ProxyInputSchema>;
