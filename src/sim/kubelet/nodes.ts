// Where each node of a cluster lives on this machine, as the apiserver process is told at start
// (`main.ts --nodes <file>`, written by test/testbed and src/sim/provider.ts): the node's network
// namespace and its address on the lab network, and the testbed cluster number that prefixes every pod
// namespace name (netns names are global on the machine).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const NodeHostSchema = z.object({
  /** The Node object's name (master-node, worker-node01, ...). */
  name: z.string().min(1),
  /** The node's network namespace on this machine (`master-node`, `c2-worker-node01`). */
  netns: z.string().min(1),
  /** The node's InternalIP on the lab network (eth1). */
  address: z.string().min(1),
  /** The node's interface on the lab network. */
  interface: z.string().default('eth1'),
});
export type NodeHost = z.infer<typeof NodeHostSchema>;

export const NodeHostsSchema = z.object({
  cluster: z.number().int().min(1),
  nodes: z.array(NodeHostSchema).min(1),
  /** The lab network's gateway (the testbed host's bridge address): kube-proxy routes the service range
   *  to it, as a real node's default route would. */
  gateway: z.string().min(1).optional(),
});
export type NodeHosts = z.infer<typeof NodeHostsSchema>;

export async function readNodeHosts(file: string): Promise<NodeHosts> {
  const text = await readFile(file, 'utf8');
  const parsed = NodeHostsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: not a nodes file: ${parsed.error.message}`);
  return parsed.data;
}
