// kubeadm's own preflight refuses a control plane with fewer than 2 CPUs or under 1700 MB. That is a rule of
// the run, not of the config: a smaller lab is fine when lab:up stops before kubeadm (`--until base`, e.g. the
// VM lane), so it fails here only when this run will reach `kubeadm init`, and warns otherwise.
import type { LabConfig } from '../config/schema.ts';
import { t } from '../i18n/index.ts';

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
  const say = t().preflight.controlPlane;
  if (!node) return { id: 'control-plane-size', status: 'pass', message: say.none };
  const size = say.size(node.name, node.cpus, node.memoryMb);
  const short: string[] = [];
  if (node.cpus < KUBEADM_MIN_CPUS) short.push(`nodes[${index}].cpus: ${KUBEADM_MIN_CPUS}`);
  if (node.memoryMb < KUBEADM_MIN_MEMORY_MB) short.push(`nodes[${index}].memoryMb: ${KUBEADM_MIN_MEMORY_MB}`);
  if (short.length === 0) {
    return { id: 'control-plane-size', status: 'pass', message: say.enough(size) };
  }
  const need = say.need(KUBEADM_MIN_CPUS, KUBEADM_MIN_MEMORY_MB);
  if (!reachesKubeadm) {
    return {
      id: 'control-plane-size',
      status: 'warn',
      message: say.warn(size, need),
      fix: say.warnFix(short.join(say.and), configPath),
    };
  }
  return {
    id: 'control-plane-size',
    status: 'fail',
    message: say.fail(size, need),
    fix: say.failFix(short.join(say.and), configPath),
  };
}
