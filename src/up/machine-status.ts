// `vagrant status` for lab:up's phases, and the tail of vagrant's output their errors quote. Below both
// vms.ts (which reads the status before `vagrant up`) and vagrant-phase.ts (which reads it after a failure),
// so neither imports the other.
import { t } from '../i18n/index.ts';
import { runVagrant } from '../vagrant/run.ts';
import { parseVagrantStatus, type MachineStatus } from '../vagrant/status.ts';
import { PhaseError, type UpContext } from './context.ts';

export async function readMachineStatus(ctx: UpContext): Promise<MachineStatus[]> {
  const out = await runVagrant(
    ctx.vagrant,
    ['status', '--machine-readable'],
    ctx.signal ? { signal: ctx.signal } : {},
  );
  if (out.exitCode !== 0) {
    throw new PhaseError(
      'vms',
      t().up.errors.statusFailed(out.exitCode, lastLines(out.stderr || out.stdout), ctx.projectDir),
    );
  }
  return parseVagrantStatus(out.stdout);
}

export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
