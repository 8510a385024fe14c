// Every node's InternalIP, as `kubectl get nodes -o wide` shows it: the addresses a NodePort must answer on.
import { t } from '../i18n/index.ts';
import { fail } from './define-check.ts';
import { kubectlJson } from './kube-read.ts';
import { nodeListSchema } from './kube-schemas.ts';
import type { CheckContext } from './types.ts';

export interface NodeAddress {
  readonly node: string;
  readonly ip: string;
}

export async function nodeAddresses(ctx: CheckContext): Promise<NodeAddress[]> {
  const list = await kubectlJson(ctx, ['get', 'nodes'], nodeListSchema, {
    what: 'nodes',
    namespace: ctx.namespace,
  });
  const nodes = list.items.map((n) => ({
    node: n.metadata.name,
    ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  }));
  const missing = nodes.filter((n) => n.ip === undefined).map((n) => n.node);
  const say = t().serviceTypes;
  if (nodes.length === 0 || missing.length)
    fail({
      message: say.noNodeIp(missing.join(', ') || say.noNodes),
      expected: say.everyNodeIp,
      actual: nodes.map((n) => `${n.node}: ${n.ip ?? '?'}`).join(', ') || say.noNodes,
      retryable: false,
    });
  return nodes.flatMap((n) => (n.ip === undefined ? [] : [{ node: n.node, ip: n.ip }]));
}
