// The parts of the API objects the checks read, parsed at the edge from `kubectl get ... -o json`.
// Loose objects: the API adds fields across versions and the checks pin only what they use.
import { z } from 'zod';
import { listSchema, nodeSchema, podSchema as basePodSchema } from '../cluster/schemas.ts';

const metadata = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const servicePortSchema = z.looseObject({
  name: z.string().optional(),
  port: z.int(),
  protocol: z.string().optional(),
  targetPort: z.union([z.int(), z.string()]).optional(),
  nodePort: z.int().optional(),
});

export const serviceSchema = z.looseObject({
  metadata,
  spec: z.looseObject({
    type: z.string().optional(),
    clusterIP: z.string().optional(),
    selector: z.record(z.string(), z.string()).optional(),
    ports: z.array(servicePortSchema).optional(),
    sessionAffinity: z.string().optional(),
    externalName: z.string().optional(),
  }),
  status: z
    .looseObject({
      loadBalancer: z
        .looseObject({
          ingress: z
            .array(z.looseObject({ ip: z.string().optional(), hostname: z.string().optional() }))
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const endpointAddress = z.looseObject({
  ip: z.string(),
  nodeName: z.string().optional(),
  targetRef: z.looseObject({ kind: z.string().optional(), name: z.string() }).optional(),
});

export const endpointsSchema = z.looseObject({
  metadata,
  subsets: z
    .array(
      z.looseObject({
        addresses: z.array(endpointAddress).optional(),
        notReadyAddresses: z.array(endpointAddress).optional(),
      }),
    )
    .optional(),
});

export const podSchema = basePodSchema.extend({ metadata });
export const podListSchema = listSchema(podSchema);
export const nodeListSchema = listSchema(nodeSchema);

export const deploymentSchema = z.looseObject({
  metadata,
  spec: z.looseObject({ replicas: z.int().optional() }),
  status: z
    .looseObject({
      replicas: z.int().optional(),
      readyReplicas: z.int().optional(),
      updatedReplicas: z.int().optional(),
    })
    .optional(),
});

export type KubeService = z.infer<typeof serviceSchema>;
export type KubeEndpoints = z.infer<typeof endpointsSchema>;
export type KubePod = z.infer<typeof podSchema>;
export type KubeDeployment = z.infer<typeof deploymentSchema>;

/** A ready endpoint: its IP and the pod behind it (the name its page greets with). */
export interface ReadyEndpoint {
  readonly ip: string;
  readonly pod: string | undefined;
  /** The node the pod runs on (endpoints' nodeName), when the API says. */
  readonly node?: string | undefined;
}

export function readyEndpoints(endpoints: KubeEndpoints): ReadyEndpoint[] {
  return (endpoints.subsets ?? []).flatMap((s) =>
    (s.addresses ?? []).map((a) => ({ ip: a.ip, pod: a.targetRef?.name, node: a.nodeName })),
  );
}

export function notReadyEndpoints(endpoints: KubeEndpoints): ReadyEndpoint[] {
  return (endpoints.subsets ?? []).flatMap((s) =>
    (s.notReadyAddresses ?? []).map((a) => ({ ip: a.ip, pod: a.targetRef?.name })),
  );
}
