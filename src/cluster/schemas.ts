// The parts of Kubernetes API objects labkit reads, parsed at the edge from `kubectl ... -o json`.
// Loose objects: the API adds fields across versions and we only pin what we use.
import { z } from 'zod';

const condition = z.looseObject({ type: z.string(), status: z.string() });

export const nodeSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
  status: z
    .looseObject({
      conditions: z.array(condition).optional(),
      addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
      nodeInfo: z.looseObject({ kubeletVersion: z.string().optional() }).optional(),
    })
    .optional(),
});

export const podSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.looseObject({ nodeName: z.string().optional() }).optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      conditions: z.array(condition).optional(),
    })
    .optional(),
});

export function listSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ items: z.array(item) });
}

export type KubeNode = z.infer<typeof nodeSchema>;
export type KubePod = z.infer<typeof podSchema>;

export function isConditionTrue(
  obj: { status?: { conditions?: { type: string; status: string }[] } },
  type: string,
): boolean {
  return obj.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

export function internalIpOf(node: KubeNode): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}
