// Phase "vms": bring the VMs up with Vagrant, fully provisioned (common.sh: base OS then packages; master.sh).
// VMs left at the base phase by `lab:up --until base` are provisioned again in full; healthy running VMs
// are skipped.
import { runVagrant } from '../vagrant/run.ts';
import { isRunning, parseVagrantStatus, type MachineStatus } from '../vagrant/status.ts';
import { PhaseError, type UpContext } from './context.ts';
import { readProvisionedUntil, recordProvisionedUntil } from './provision-state.ts';
import { lastLines, runVagrantPhase } from './vagrant-phase.ts';

export async function readMachineStatus(ctx: UpContext): Promise<MachineStatus[]> {
  const out = await runVagrant(
    ctx.vagrant,
    ['status', '--machine-readable'],
    ctx.signal ? { signal: ctx.signal } : {},
  );
  if (out.exitCode !== 0) {
    throw new PhaseError(
      'vms',
      `vagrant status failed (exit ${out.exitCode}): ${lastLines(out.stderr || out.stdout)}\nFix: run \`npx lab config check\` and \`vagrant status\` in ${ctx.projectDir} to see the problem.`,
    );
  }
  return parseVagrantStatus(out.stdout);
}

export async function bringUpVms(ctx: UpContext, report: (text: string) => void): Promise<string> {
  const names = ctx.config.nodes.map((n) => n.name);
  const before = await readMachineStatus(ctx);
  const running = names.filter((name) => before.some((m) => m.name === name && isRunning(m)));
  const baseOnly = (await readProvisionedUntil(ctx.stateDir)) === 'base';
  const allRunning = running.length === names.length;
  if (allRunning && !baseOnly) return `skipped: all ${names.length} VMs already running`;

  const args = allRunning
    ? ['provision', '--machine-readable']
    : [
        'up',
        // Running VMs that only have the base phase need the rest; new VMs are provisioned once either way.
        ...(baseOnly ? ['--provision'] : []),
        '--provider',
        ctx.config.vagrant.provider,
        '--machine-readable',
      ];
  // An empty LAB_PROVISION_UNTIL means every phase, whatever the user's shell exports.
  await runVagrantPhase(
    ctx,
    { phase: 'vms', args, env: { LAB_PROVISION_UNTIL: '' }, logName: 'vagrant-up' },
    report,
  );
  await recordProvisionedUntil(ctx.stateDir, 'all');
  if (allRunning) return `${names.length} provisioned past the base phase`;
  return `${names.length - running.length} started${running.length ? `, ${running.length} already running${baseOnly ? ' (provisioned past the base phase)' : ''}` : ''}`;
}
