// Phase "vms": bring the VMs up with Vagrant, fully provisioned (common.sh: base OS then packages; master.sh).
// Running VMs are skipped only when the last provisioning pass finished (src/up/provision-state.ts); after
// a failed or interrupted pass, or `lab:up --until base`, they are provisioned again (the scripts are
// idempotent, so what already succeeded is a quick no-op).
import { isRunning } from '../vagrant/status.ts';
import type { UpContext } from './context.ts';
import { readMachineStatus } from './machine-status.ts';
import { readProvisionState, recordProvisionState, reprovisionReason } from './provision-state.ts';
import { runVagrantPhase } from './vagrant-phase.ts';

export async function bringUpVms(ctx: UpContext, report: (text: string) => void): Promise<string> {
  const names = ctx.config.nodes.map((n) => n.name);
  const before = await readMachineStatus(ctx);
  const running = names.filter((name) => before.some((m) => m.name === name && isRunning(m)));
  const reason = reprovisionReason(await readProvisionState(ctx.stateDir));
  const allRunning = running.length === names.length;
  const existing = before.filter((m) => names.includes(m.name) && m.state !== 'not_created').length;
  if (allRunning && reason === undefined) return `skipped: all ${names.length} VMs already running`;

  const args = allRunning
    ? ['provision', '--machine-readable']
    : [
        'up',
        // Vagrant provisions only machines it creates; existing ones (running or halted) need --provision
        // unless their last pass finished.
        ...(reason !== undefined && existing > 0 ? ['--provision'] : []),
        '--provider',
        ctx.config.vagrant.provider,
        '--machine-readable',
      ];
  if (reason !== undefined && existing > 0) report(`provisioning the existing VMs again: ${reason}`);
  await recordProvisionState(ctx.stateDir, 'incomplete');
  // An empty LAB_PROVISION_UNTIL means every phase, whatever the user's shell exports.
  await runVagrantPhase(
    ctx,
    { phase: 'vms', args, env: { LAB_PROVISION_UNTIL: '' }, logName: 'vagrant-up' },
    report,
  );
  await recordProvisionState(ctx.stateDir, 'all');
  if (allRunning) return `${names.length} VMs provisioned again: ${reason ?? ''}`;
  const started = `${names.length - running.length} started${running.length ? `, ${running.length} already running` : ''}`;
  return reason !== undefined && existing > 0 ? `${started}; provisioned again: ${reason}` : started;
}
