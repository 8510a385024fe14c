// Cluster readiness probes used by lab:up and lab:status: typed reads of nodes and kube-system pods.
import type { NodeConfig } from '../config/schema.ts';
import type { Kubectl } from './kubectl.ts';
import {
  internalIpOf,
  isConditionTrue,
  listSchema,
  nodeSchema,
  podSchema,
  type KubeNode,
} from './schemas.ts';
import type { Probe } from './wait.ts';

/** VirtualBox's NAT address: a node reporting it means kubelet was started without --node-ip. */
export const VIRTUALBOX_NAT_IP = '10.0.2.15';

export async function listNodes(kubectl: Kubectl): Promise<KubeNode[]> {
  return (await kubectl.json(['get', 'nodes'], listSchema(nodeSchema))).items;
}

export function nodesReadyProbe(kubectl: Kubectl, expected: readonly string[]): Probe<KubeNode[]> {
  return async () => {
    const nodes = await listNodes(kubectl);
    const state = expected.map((name) => {
      const node = nodes.find((n) => n.metadata.name === name);
      return { name, node, ready: node ? isConditionTrue(node, 'Ready') : false };
    });
    if (state.every((s) => s.ready)) return { done: true, value: nodes };
    return {
      done: false,
      observed: state
        .map((s) => `${s.name} ${s.node ? (s.ready ? 'Ready' : 'NotReady') : 'not registered'}`)
        .join(', '),
    };
  };
}

export interface PodGroup {
  readonly label: string;
  readonly namespace: string;
  readonly selector: string;
  readonly minReady: number;
}

export function podsReadyProbe(kubectl: Kubectl, group: PodGroup): Probe<number> {
  return async () => {
    const pods = (
      await kubectl.json(['get', 'pods', '-n', group.namespace, '-l', group.selector], listSchema(podSchema))
    ).items;
    const ready = pods.filter((p) => isConditionTrue(p, 'Ready')).length;
    if (ready >= group.minReady) return { done: true, value: ready };
    return {
      done: false,
      observed: `${group.label}: ${ready}/${Math.max(group.minReady, pods.length)} Ready`,
    };
  };
}

/** Problems with node addresses (pitfall 2 of design.md): missing, duplicated, NAT, or not the configured IP. */
export function nodeAddressProblems(nodes: readonly KubeNode[], expected: readonly NodeConfig[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const want of expected) {
    const node = nodes.find((n) => n.metadata.name === want.name);
    if (!node) {
      problems.push(`${want.name}: not registered in the cluster`);
      continue;
    }
    const ip = internalIpOf(node);
    if (!ip) {
      problems.push(`${want.name}: has no InternalIP`);
      continue;
    }
    if (ip === VIRTUALBOX_NAT_IP) {
      problems.push(
        `${want.name}: InternalIP is the NAT address ${ip}; kubelet --node-ip was not applied (kubectl exec/logs will fail)`,
      );
    } else if (ip !== want.ip) {
      problems.push(`${want.name}: InternalIP is ${ip}, expected ${want.ip} from lab.config.yaml`);
    }
    const other = seen.get(ip);
    if (other) problems.push(`${want.name}: InternalIP ${ip} is the same as ${other}'s`);
    seen.set(ip, want.name);
  }
  return problems;
}
