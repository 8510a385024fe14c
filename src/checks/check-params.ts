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
  via: via.default('cluster-ip'),
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
