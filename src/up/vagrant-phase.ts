// Runs one provisioning vagrant command (`up`, `up --provision`, `provision`) for a lab:up phase: live
// per-machine progress, a human-readable log under .lab/logs, and on failure a PhaseError naming the
// machine, the provisioner and step it stopped in, and the log.
import { t } from '../i18n/index.ts';
import { runVagrant } from '../vagrant/run.ts';
import { isRunning } from '../vagrant/status.ts';
import { PhaseError, type PhaseName, type UpContext } from './context.ts';
import { openLog } from './log-file.ts';
import { lastLines, readMachineStatus } from './machine-status.ts';
import { VagrantProgress } from './vagrant-progress.ts';

export interface VagrantPhaseRun {
  readonly phase: PhaseName;
  readonly args: readonly string[];
  /** Extra environment for vagrant (the Vagrantfile hands LAB_PROVISION_UNTIL to the scripts). */
  readonly env: Readonly<Record<string, string>>;
  /** Log name: .lab/logs/<logName>.log */
  readonly logName: string;
}

export async function runVagrantPhase(
  ctx: UpContext,
  run: VagrantPhaseRun,
  report: (text: string) => void,
): Promise<VagrantProgress> {
  const names = ctx.config.nodes.map((n) => n.name);
  const log = await openLog(ctx.stateDir, ctx.projectDir, run.logName);
  log.write(`$ vagrant ${run.args.join(' ')}`);
  const progress = new VagrantProgress(names);
  let out;
  try {
    out = await runVagrant({ ...ctx.vagrant, env: { ...ctx.vagrant.env, ...run.env } }, run.args, {
      onLine: (line) => {
        const human = progress.feed(line);
        if (human !== undefined) log.write(human);
        report(progress.render());
      },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } finally {
    await log.close();
  }
  if (out.exitCode === 0) return progress;

  const after = await readMachineStatus(ctx).catch(() => []);
  const notRunning = names.filter((name) => !after.some((m) => m.name === name && isRunning(m)));
  const failed = progress.failures();
  const culprits = failed.length > 0 ? failed.map((f) => f.name) : notRunning;
  // Where each failed machine stopped: the provisioner and the script's last announced step.
  const say = t().up.errors;
  const stopped = failed
    .filter((f) => f.provisioner)
    .map((f) => say.stoppedIn(f.name, String(f.provisioner), f.step ?? ''));
  const lastError =
    failed.at(-1)?.errors.at(-1) ?? progress.globalErrors.at(-1) ?? lastLines(out.stderr || out.stdout);
  throw new PhaseError(
    run.phase,
    [
      say.vagrantFailed(
        run.args[0] ?? '',
        culprits.join(', ') || say.theLab,
        out.exitCode,
        lastLines(lastError),
      ),
      ...stopped,
      notRunning.length ? say.notRunning(notRunning.join(', ')) : '',
      say.fullLog(log.display),
      say.vagrantFix(`npm run lab:up${run.phase === 'base' ? ' -- --until base' : ''}`, culprits[0] ?? ''),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
