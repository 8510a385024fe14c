// Right after a restore the API server (restored too) still shows every node Ready: that is the state it
// was saved in. Only a kubelet that renewed its node lease (kube-node-lease, every 10 s) after the clocks
// were set is known to be alive on the new clock; the Ready waiters run after that.
import { z } from 'zod';
import type { Kubectl } from '../cluster/kubectl.ts';
import type { Probe } from '../cluster/wait.ts';

const leaseListSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string() }),
      spec: z.object({ renewTime: z.string().optional() }).optional(),
    }),
  ),
});

/** kube MicroTime (`2025-05-01T10:00:00.123456Z`) in ms; Date.parse takes at most milliseconds. */
export function microTimeMs(text: string): number {
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/** Done when every node's lease was renewed at or after `sinceMs` (in the nodes' time, now the host's). */
export function leasesRenewedProbe(kubectl: Kubectl, nodes: readonly string[], sinceMs: number): Probe<void> {
  return async () => {
    const leases = (await kubectl.json(['get', 'leases', '-n', 'kube-node-lease'], leaseListSchema)).items;
    const stale = nodes.filter((name) => {
      const renew = leases.find((l) => l.metadata.name === name)?.spec?.renewTime;
      return renew === undefined || !(microTimeMs(renew) >= sinceMs);
    });
    if (stale.length === 0) return { done: true, value: undefined };
    return { done: false, observed: `no lease renewal since the reset from ${stale.join(', ')}` };
  };
}
