// Phase "vms": bring the VMs up with Vagrant (which provisions new machines: common.sh, master.sh).
import { runVagrant } from '../vagrant/run.ts';
import { isRunning, parseVagrantStatus, type MachineStatus } from '../vagrant/status.ts';
import { PhaseError, type UpContext } from './context.ts';
import { openLog } from './log-file.ts';
import { VagrantProgress } from './vagrant-progress.ts';

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
  if (running.length === names.length) return `skipped: all ${names.length} VMs already running`;

  const log = await openLog(ctx.stateDir, ctx.projectDir, 'vagrant-up');
  const progress = new VagrantProgress(names);
  let out;
  try {
    out = await runVagrant(
      ctx.vagrant,
      ['up', '--provider', ctx.config.vagrant.provider, '--machine-readable'],
      {
        onLine: (line) => {
          const human = progress.feed(line);
          if (human !== undefined) log.write(human);
          report(progress.render());
        },
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
    );
  } finally {
    await log.close();
  }
  if (out.exitCode === 0) {
    return `${names.length - running.length} started${running.length ? `, ${running.length} already running` : ''}`;
  }
  const after = await readMachineStatus(ctx).catch(() => []);
  const notRunning = names.filter((name) => !after.some((m) => m.name === name && isRunning(m)));
  const failed = progress.failures();
  const culprits = failed.length > 0 ? failed.map((f) => f.name) : notRunning;
  const lastError =
    failed.at(-1)?.errors.at(-1) ?? progress.globalErrors.at(-1) ?? lastLines(out.stderr || out.stdout);
  throw new PhaseError(
    'vms',
    [
      `vagrant up failed on ${culprits.join(', ') || 'the lab'} (exit ${out.exitCode}): ${lastLines(lastError)}`,
      notRunning.length ? `Not running: ${notRunning.join(', ')}.` : '',
      `Full log: ${log.display}`,
      `Fix the cause above, then run \`npm run lab:up\` again (it resumes; \`vagrant destroy -f ${culprits[0] ?? ''}\` first if that VM is broken).`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
