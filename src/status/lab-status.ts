// lab:status: for each node, its VM state (Vagrant) and its Kubernetes state (Ready, InternalIP, roles).
import { listNodes } from '../cluster/health.ts';
import { kubectlOn } from '../cluster/kubectl.ts';
import { internalIpOf, isConditionTrue, type KubeNode } from '../cluster/schemas.ts';
import { controlPlaneOf, type LabConfig } from '../config/schema.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import type { MachineStatus } from '../vagrant/status.ts';

export interface NodeStatusRow {
  readonly name: string;
  readonly ip: string;
  readonly vm: string;
  /** Ready / NotReady / not joined / unknown (with reason). */
  readonly kubernetes: string;
  readonly internalIp: string;
  readonly roles: string;
}

export interface LabStatus {
  readonly rows: NodeStatusRow[];
  readonly healthy: boolean;
  /** Why the cluster could not be queried, when it could not. */
  readonly clusterError?: string;
}

function rolesOf(node: KubeNode): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length));
  return roles.length > 0 ? roles.sort().join(',') : '<none>';
}

export async function collectLabStatus(
  config: LabConfig,
  machines: readonly MachineStatus[],
  connect: () => Promise<RemoteExecutor>,
): Promise<LabStatus> {
  const master = controlPlaneOf(config);
  const masterRunning = machines.some((m) => m.name === master.name && m.state === 'running');
  let nodes: KubeNode[] | undefined;
  let clusterError: string | undefined;
  if (masterRunning) {
    let ssh: RemoteExecutor | undefined;
    try {
      ssh = await connect();
      nodes = await listNodes(kubectlOn(ssh, master.name, { timeoutMs: 15_000 }));
    } catch (error) {
      clusterError = error instanceof Error ? error.message.split('\n')[0] : String(error);
    } finally {
      await ssh?.close();
    }
  } else clusterError = `${master.name} is not running`;
  const rows = config.nodes.map((want): NodeStatusRow => {
    const vm = machines.find((m) => m.name === want.name)?.state ?? 'unknown';
    const node = nodes?.find((n) => n.metadata.name === want.name);
    const kubernetes = !nodes
      ? 'unknown'
      : !node
        ? 'not joined'
        : isConditionTrue(node, 'Ready')
          ? 'Ready'
          : 'NotReady';
    return {
      name: want.name,
      ip: want.ip,
      vm,
      kubernetes,
      internalIp: node ? (internalIpOf(node) ?? '-') : '-',
      roles: node ? rolesOf(node) : '-',
    };
  });
  const healthy = rows.every((r) => r.vm === 'running' && r.kubernetes === 'Ready' && r.internalIp === r.ip);
  return { rows, healthy, ...(clusterError ? { clusterError } : {}) };
}

export function formatLabStatus(status: LabStatus): string {
  const header: NodeStatusRow = {
    name: 'NODE',
    ip: 'CONFIG IP',
    vm: 'VM',
    kubernetes: 'KUBERNETES',
    internalIp: 'INTERNAL-IP',
    roles: 'ROLES',
  };
  const all = [header, ...status.rows];
  const keys = ['name', 'ip', 'vm', 'kubernetes', 'internalIp', 'roles'] as const;
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const lines = all.map((r) =>
    keys
      .map((k, i) => r[k].padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
  if (status.clusterError) lines.push('', `Kubernetes: could not query the cluster: ${status.clusterError}`);
  lines.push(
    '',
    status.healthy
      ? 'Lab is healthy.'
      : 'Lab is not ready: run `npm run lab:up` (it resumes where it stopped).',
  );
  return lines.join('\n');
}
