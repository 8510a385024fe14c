// The `with:` parameters of every built-in check, in one place so lab.yaml authors (and `lab explain`)
// see them side by side. Strict objects: a misspelled key is a load-time error, not a silent default.
// Defaults are the Service tutorial's objects (seed stages 1-6).
import { z } from 'zod';
import {
  commonFields,
  labelSelector,
  podName,
  objectName,
  port,
  serviceName,
  tutorialDefaults as d,
  via,
} from './params.ts';

export const podsAnswerByIpParams = z.strictObject({
  ...commonFields,
  selector: labelSelector.default(d.selector).describe('Label selector of the pods that must answer'),
  port: port.default(d.podPort).describe('Port the pods serve on (containerPort)'),
  minPods: z.int().min(1).max(100).default(1).describe('At least this many Ready pods must match'),
});

export const serviceSpreadParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.service),
  port: port.default(d.servicePort).describe('Service port'),
  via: z
    .enum(['cluster-ip', 'dns', 'node-port', 'load-balancer'])
    .default('cluster-ip')
    .describe(
      'cluster-ip / dns as for the other checks; node-port: http://<node InternalIP>:<nodePort>; load-balancer: http://<EXTERNAL-IP>:<port>',
    ),
  node: z
    .string()
    .min(1)
    .optional()
    .describe("via node-port: the node whose InternalIP is asked (default: the lab's control plane)"),
  requests: z
    .int()
    .min(10)
    .max(2000)
    .default(60)
    .describe(
      'Requests sent (each a new connection); raised automatically when too few to reach every endpoint',
    ),
  mode: z
    .enum(['random', 'rr'])
    .default('random')
    .describe(
      'random: counts fit a uniform spread (iptables/nftables); rr: strict rotation (IPVS round robin)',
    ),
});

export const serviceReachableParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.service),
  port: port.default(d.servicePort),
  names: z
    .array(z.enum(['cluster-ip', 'short', 'namespaced', 'fqdn']))
    .min(1)
    .default(['cluster-ip', 'short', 'namespaced', 'fqdn'])
    .describe('Addresses tried: ClusterIP, name, name.namespace, name.namespace.svc.<clusterDomain>'),
  clusterDomain: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'a DNS domain like cluster.local',
    )
    .default('cluster.local'),
});

export const endpointReplacedParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.service),
  port: port.default(d.servicePort),
  deployment: objectName.default(d.deployment).describe('Deployment that replaces the deleted pod'),
  deletedPod: podName.optional().describe('Name of the deleted pod (default: lab memory, key memoryKey)'),
  memoryKey: z.string().min(1).default('deletedPod').describe('Lab memory key holding the deleted pod name'),
  requests: z.int().min(10).max(2000).default(60).describe('Requests through the service'),
  via: via.default('dns'),
});

export const serviceEnvParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.service),
  pod: podName
    .optional()
    .describe('A pod created after the service to inspect; omitted: the check creates a fresh client pod'),
  podBefore: podName
    .optional()
    .describe(
      "A pod created before the service (must have none); omitted: the service selector's older pods",
    ),
});

export const sessionAffinityParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.service),
  port: port.default(d.servicePort),
  via: via.default('dns'),
  clients: z.int().min(2).max(6).default(2).describe('Client pods, each from its own pod IP'),
  requestsPerClient: z.int().min(3).max(200).default(10),
});

export type PodsAnswerByIpParams = z.output<typeof podsAnswerByIpParams>;
export type ServiceSpreadParams = z.output<typeof serviceSpreadParams>;
export type ServiceReachableParams = z.output<typeof serviceReachableParams>;
export type EndpointReplacedParams = z.output<typeof endpointReplacedParams>;
export type ServiceEnvParams = z.output<typeof serviceEnvParams>;
export type SessionAffinityParams = z.output<typeof sessionAffinityParams>;

// Issue 15: the other service types (seed: 서비스 타입) and `kubectl expose`.

/** Sources a NodePort is asked from: a client pod, a node's own shell (over SSH), the machine running labkit. */
export const nodePortSource = z.enum(['pod', 'node', 'host']);

export const nodePortOpenParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.nodePortService),
  port: port.default(d.servicePort).describe('Service port whose nodePort is checked'),
  nodePort: z
    .int()
    .min(30000)
    .max(32767)
    .optional()
    .describe('The nodePort the manifest fixes (e.g. 31000); omitted: any allocated port in 30000-32767'),
  from: z
    .array(nodePortSource)
    .min(1)
    .default(['pod', 'node', 'host'])
    .describe(
      "Where every node's InternalIP:nodePort is asked from: pod, node (a node's shell), host (labkit)",
    ),
  nodeShell: z
    .string()
    .min(1)
    .optional()
    .describe("Lab host whose shell asks every node (default: the lab's control plane)"),
});

export const loadBalancerParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.loadBalancerService),
  port: port.default(d.servicePort),
  pool: z
    .string()
    .optional()
    .describe(
      "Pool the EXTERNAL-IP must come from (first-last or CIDR); omitted: lab.config.yaml's metallb.pool, else the cluster's MetalLB IPAddressPools",
    ),
  provider: z
    .enum(['auto', 'required', 'none'])
    .default('auto')
    .describe(
      'auto: expect an address unless lab.config.yaml says metallb.enabled false; required: always; none: expect <pending>',
    ),
  fromHost: z.boolean().default(true).describe('Ask the EXTERNAL-IP from the machine running labkit too'),
});

export const externalNameParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.externalNameService),
  target: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'a DNS name like my.database.example.com',
    )
    .default(d.externalName)
    .describe('The externalName: the exact CNAME target'),
  clusterDomain: z.string().min(1).default('cluster.local'),
});

const portShape = z.strictObject({
  port,
  targetPort: z
    .union([port, z.string().min(1)])
    .optional()
    .describe('Default: the same as port'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  nodePort: z.int().min(30000).max(32767).optional(),
});

export const serviceShapeParams = z.strictObject({
  ...commonFields,
  service: serviceName.default(d.exposedService),
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('NodePort'),
  selector: z
    .record(z.string(), z.string())
    .default({ app: 'webserver' })
    .describe('The selector the Service must have, exactly'),
  ports: z
    .array(portShape)
    .min(1)
    .default([{ port: d.servicePort, targetPort: d.podPort, protocol: 'TCP' }])
    .describe('The ports, in any order; names are not compared (no effect)'),
});

export type NodePortOpenParams = z.output<typeof nodePortOpenParams>;
export type LoadBalancerParams = z.output<typeof loadBalancerParams>;
export type ExternalNameParams = z.output<typeof externalNameParams>;
export type ServiceShapeParams = z.output<typeof serviceShapeParams>;
