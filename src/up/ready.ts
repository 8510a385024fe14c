// Phase "ready": every node Ready, calico-node Ready on every node, CoreDNS Ready; workers labelled with the
// `worker` role so `kubectl get node` shows control-plane / worker / worker as in the tutorial.
import { t } from '../i18n/index.ts';
import { nodesReadyProbe, podsReadyProbe, type PodGroup } from '../cluster/health.ts';
import { kubectlOn } from '../cluster/kubectl.ts';
import { pollUntil, WaitTimeoutError } from '../cluster/wait.ts';
import { controlPlaneOf, workersOf } from '../config/schema.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { PhaseError, type UpContext } from './context.ts';

const hints = (): Record<string, string> => {
  const say = t().up.errors;
  return { nodes: say.nodesHint, 'calico-node': say.calicoHint, coredns: say.corednsHint };
};

export async function waitForCluster(
  ctx: UpContext,
  ssh: RemoteExecutor,
  report: (text: string) => void,
): Promise<string> {
  const kubectl = kubectlOn(ssh, controlPlaneOf(ctx.config).name);
  const names = ctx.config.nodes.map((n) => n.name);
  const poll = {
    timeoutMs: ctx.waits.readyTimeoutMs,
    intervalMs: ctx.waits.pollIntervalMs,
    onAttempt: report,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const groups: PodGroup[] = [
    {
      label: 'calico-node',
      namespace: 'kube-system',
      selector: 'k8s-app=calico-node',
      minReady: names.length,
    },
    { label: 'coredns', namespace: 'kube-system', selector: 'k8s-app=kube-dns', minReady: 1 },
  ];
  try {
    await pollUntil(`all nodes Ready (${names.join(', ')})`, nodesReadyProbe(kubectl, names), poll);
    for (const worker of workersOf(ctx.config)) {
      await ssh.run(
        controlPlaneOf(ctx.config).name,
        { argv: ['kubectl', 'label', 'node', worker.name, 'node-role.kubernetes.io/worker=', '--overwrite'] },
        { timeoutMs: 30_000 },
      );
    }
    for (const group of groups) await pollUntil(`${group.label} Ready`, podsReadyProbe(kubectl, group), poll);
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      const key = error.what.startsWith('all nodes') ? 'nodes' : error.what.replace(/ Ready$/, '');
      throw new PhaseError('ready', `${error.message}\n${hints()[key] ?? ''}`.trim());
    }
    throw error;
  }
  return `${names.length} nodes Ready, calico-node ${names.length}/${names.length}, CoreDNS Ready`;
}
