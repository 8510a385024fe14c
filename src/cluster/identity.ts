// Which cluster a run talked to: the kube-system namespace's uid (made once by kubeadm init, different on every
// cluster, kept across reboots), the nodes' names and InternalIPs, and when it was read. Recorded in reports so
// a grader can tell two students who hand in results from one cluster. Node IPs alone cannot: every student's
// Vagrant lab defaults to 192.168.56.10-12.
import { z } from 'zod';
import type { ExecResult } from '../ssh/types.ts';

export const clusterIdentitySchema = z.object({
  kubeSystemUid: z.string().nullable(),
  nodes: z.array(z.object({ name: z.string(), internalIP: z.string().nullable() })),
  checkedAt: z.string(),
  /** Why the identity could not be read (kubectl failed), when it could not. */
  error: z.string().optional(),
});
export type ClusterIdentity = z.output<typeof clusterIdentitySchema>;

const namespaceSchema = z.object({ metadata: z.object({ uid: z.string().min(1) }) });
const nodesSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string() }),
      status: z
        .object({ addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional() })
        .optional(),
    }),
  ),
});

function parse<T>(result: ExecResult, schema: z.ZodType<T>): T | string {
  if (result.exitCode !== 0)
    return `${result.command}: exit ${result.exitCode ?? result.signal}: ${result.stderr.trim().split('\n')[0] ?? ''}`;
  try {
    const parsed = schema.safeParse(JSON.parse(result.stdout));
    return parsed.success ? parsed.data : `${result.command}: unexpected JSON`;
  } catch {
    return `${result.command}: not JSON`;
  }
}

/** Reads the identity through `kubectl` on the control plane; a failure is recorded, never thrown (an
 *  unreachable host, SshError, still propagates: the run ends on it anyway). */
export async function probeClusterIdentity(
  kubectl: (args: readonly string[]) => Promise<ExecResult>,
  now: () => Date = () => new Date(),
): Promise<ClusterIdentity> {
  const [ns, nodes] = await Promise.all([
    kubectl(['get', 'namespace', 'kube-system', '-o', 'json']).then((r) => parse(r, namespaceSchema)),
    kubectl(['get', 'nodes', '-o', 'json']).then((r) => parse(r, nodesSchema)),
  ]);
  const errors = [ns, nodes].filter((x): x is string => typeof x === 'string');
  return {
    kubeSystemUid: typeof ns === 'string' ? null : ns.metadata.uid,
    nodes:
      typeof nodes === 'string'
        ? []
        : nodes.items
            .map((n) => ({
              name: n.metadata.name,
              internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
    checkedAt: now().toISOString(),
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}
