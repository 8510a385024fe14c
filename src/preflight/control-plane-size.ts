// kubeadm's own preflight refuses a control plane with fewer than 2 CPUs or under 1700 MB. That is a rule of
// the run, not of the config: a smaller lab is fine when lab:up stops before kubeadm (`--until base`, e.g. the
// VM lane), so it fails here only when this run will reach `kubeadm init`, and warns otherwise.
import type { LabConfig } from '../config/schema.ts';

export const KUBEADM_MIN_CPUS = 2;
export const KUBEADM_MIN_MEMORY_MB = 1700;

export interface ControlPlaneSizeResult {
  readonly id: 'control-plane-size';
  readonly status: 'pass' | 'warn' | 'fail';
  readonly message: string;
  readonly fix?: string;
}

export function checkControlPlaneSize(
  config: LabConfig,
  configPath: string,
  reachesKubeadm: boolean,
): ControlPlaneSizeResult {
  const index = config.nodes.findIndex((n) => n.role === 'control-plane');
  const node = config.nodes[index];
  if (!node) return { id: 'control-plane-size', status: 'pass', message: 'no control-plane node' };
  const size = `${node.name} has ${node.cpus} CPU${node.cpus === 1 ? '' : 's'} and ${node.memoryMb} MB`;
  const short: string[] = [];
  if (node.cpus < KUBEADM_MIN_CPUS) short.push(`nodes[${index}].cpus: ${KUBEADM_MIN_CPUS}`);
  if (node.memoryMb < KUBEADM_MIN_MEMORY_MB) short.push(`nodes[${index}].memoryMb: ${KUBEADM_MIN_MEMORY_MB}`);
  if (short.length === 0) {
    return { id: 'control-plane-size', status: 'pass', message: `${size} (kubeadm needs 2 CPUs, 1700 MB)` };
  }
  const need = `kubeadm's preflight needs at least ${KUBEADM_MIN_CPUS} CPUs and ${KUBEADM_MIN_MEMORY_MB} MB on the control plane`;
  if (!reachesKubeadm) {
    return {
      id: 'control-plane-size',
      status: 'warn',
      message: `${size}: enough for this run (it stops before kubeadm), but ${need}`,
      fix: `Before a full lab:up, set ${short.join(' and ')} (or more) in ${configPath}.`,
    };
  }
  return {
    id: 'control-plane-size',
    status: 'fail',
    message: `${size}; ${need}`,
    fix: `Set ${short.join(' and ')} (or more) in ${configPath}, or stop before kubeadm with \`npm run lab:up -- --until base\`.`,
  };
}
