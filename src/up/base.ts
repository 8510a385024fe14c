// Phase "base": only with `lab:up --until base`. Brings the VMs up and runs the base-OS part of provisioning
// (swap off, kernel modules, sysctl, /etc/hosts, kubelet node IP; no downloads) by handing
// LAB_PROVISION_UNTIL=base to the Vagrantfile's provisioners. `up --provision` also re-provisions VMs that
// already run, which the scripts make a no-op when nothing drifted. A full lab:up skips this phase: the vms
// phase's single `vagrant up` runs the base part first anyway, so there is no extra provisioning pass.
import type { UpContext } from './context.ts';
import { recordProvisionState } from './provision-state.ts';
import { runVagrantPhase } from './vagrant-phase.ts';

export async function provisionBase(
  ctx: UpContext,
  report: (text: string) => void,
  stopsHere: boolean,
): Promise<string> {
  if (!stopsHere) return 'skipped: the vms phase runs it as the first part of provisioning';
  await recordProvisionState(ctx.stateDir, 'incomplete');
  const progress = await runVagrantPhase(
    ctx,
    {
      phase: 'base',
      args: ['up', '--provision', '--provider', ctx.config.vagrant.provider, '--machine-readable'],
      env: { LAB_PROVISION_UNTIL: 'base' },
      logName: 'vagrant-base',
    },
    report,
  );
  await recordProvisionState(ctx.stateDir, 'base');
  const names = [...progress.machines.keys()];
  return `${names.length} VMs up, base OS provisioned (LAB_PROVISION_UNTIL=base)`;
}
