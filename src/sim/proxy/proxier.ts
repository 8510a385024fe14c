// kube-proxy of every node of one cluster, inside the apiserver process (beside the kubelet): on every
// settle it computes each node's rules and network from the state and writes them when they changed, one
// sync at a time per node with the newest input winning (kube-proxy's coalesced syncProxyRules loop).
// Each node's netns is the testbed host's own, so node shells, pods and the host see the same rules.
import type { ClusterState } from '../model/state.ts';
import { RuleApplier } from './apply.ts';
import { nodeNetworkFor, proxyInputFor, proxyServices, type ProxyNode } from './from-state.ts';
import { LatestOnly } from './latest-only.ts';
import { syncNodeNetwork, type NodeNetwork } from './node-network.ts';
import { renderRules } from './rules.ts';

export interface ProxierNode extends ProxyNode {
  readonly netns: string;
}

export interface ProxierOptions {
  readonly nodes: readonly ProxierNode[];
  /** The lab network's gateway (the service range is routed to it); none: no such route. */
  readonly gateway?: string;
  readonly log?: (line: string) => void;
}

interface NodeSync {
  readonly rules: string;
  readonly network: NodeNetwork;
}

export class Proxier {
  private readonly applier = new RuleApplier();
  private readonly loops = new Map<string, LatestOnly<NodeSync>>();
  private readonly lastError = new Map<string, string>();
  /** What the last render saw: the state's resourceVersion and the proxy's config. An unchanged stamp
   *  means unchanged rules, so the 10-per-second settles of an idle cluster render nothing. */
  private lastStamp: string | undefined;

  constructor(private readonly options: ProxierOptions) {
    for (const node of options.nodes)
      this.loops.set(
        node.netns,
        new LatestOnly(
          async ({ rules, network }) => {
            // Routes first: a rule that DNATs to another node's pod needs the route to be useful.
            await syncNodeNetwork(node.netns, network);
            await this.applier.apply(node.netns, rules);
          },
          (error) => {
            // A failure is retried on the next settle (100 ms); say it once, not ten times a second.
            const line = `kube-proxy ${node.name}: ${String(error)}`;
            if (this.lastError.get(node.netns) !== line) this.options.log?.(line);
            this.lastError.set(node.netns, line);
            this.lastStamp = undefined; // render again on the next settle, so the sync is retried
          },
        ),
      );
  }

  /** Offers every node its desired rules and network; unchanged ones are skipped. Synchronous. */
  sync(state: ClusterState): void {
    // A change made in this settle gets its resourceVersion right after (LiveCluster.settle), so it is
    // rendered on the next settle at the latest.
    const stamp = `${state.resourceVersion}|${state.config.proxyMode}|${state.config.faults.join(',')}`;
    if (stamp === this.lastStamp) return;
    this.lastStamp = stamp;
    const services = proxyServices(state);
    const { nodes, gateway } = this.options;
    for (const node of nodes) {
      const input: NodeSync = {
        rules: renderRules(proxyInputFor(state, node, services)),
        network: nodeNetworkFor(state, nodes, node, gateway, services),
      };
      this.loops.get(node.netns)?.offer(input.rules + JSON.stringify(input.network), input);
    }
  }

  /** Resolves when every node's last offered input is written (or failed and was logged). */
  async settled(): Promise<void> {
    await Promise.all([...this.loops.values()].map((l) => l.settled()));
  }
}
