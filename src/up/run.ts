// lab:up: preflight → base (only with --until base) → vms → join → ready → metallb → kubeconfig → smoke →
// snapshot, each timed, shown with listr2 (a live display in a terminal; plain lines when not a TTY or
// CI=true). A failing
// phase shows only the first line of its error in the display and the summary; the whole message (every
// problem and its fix) is printed once, at the end, by the caller.
import { Listr, type ListrRendererValue } from 'listr2';
import { t } from '../i18n/index.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { maxWidth, padEndWidth, padStartWidth } from '../util/display-width.ts';
import type { PhaseError } from './context.ts';
import { PHASES, type PhaseName, type PhaseOutcome, type UpContext } from './context.ts';
import { provisionBase } from './base.ts';
import { joinWorkers } from './join.ts';
import { installMetallb } from './metallb-phase.ts';
import { exportKubeconfig } from './kubeconfig.ts';
import { preflight } from './preflight-phase.ts';
import { waitForCluster } from './ready.ts';
import { smokeCheck } from './smoke.ts';
import { snapshotLab } from './snapshot-phase.ts';
import { bringUpVms } from './vms.ts';

type Report = (text: string) => void;

interface Session {
  ssh?: RemoteExecutor;
}

async function runPhase(
  phase: PhaseName,
  ctx: UpContext,
  session: Session,
  report: Report,
  last: PhaseName,
  outcomes: readonly PhaseOutcome[],
): Promise<string> {
  const ssh = async () => (session.ssh ??= await ctx.connect());
  switch (phase) {
    case 'preflight':
      // The vms phase's provisioning runs kubeadm init (master.sh).
      return preflight(ctx, report, PHASES.indexOf(last) >= PHASES.indexOf('vms'));
    case 'base':
      return provisionBase(ctx, report, last === 'base');
    case 'vms':
      return bringUpVms(ctx, report);
    case 'join':
      return joinWorkers(ctx, await ssh(), report);
    case 'ready':
      return waitForCluster(ctx, await ssh(), report);
    case 'metallb':
      return installMetallb(ctx, await ssh(), report);
    case 'kubeconfig':
      return exportKubeconfig(ctx, await ssh());
    case 'smoke':
      return smokeCheck(ctx, await ssh(), report);
    case 'snapshot':
      // A snapshot that exists is kept unless this run (re)built VMs, joined workers or changed MetalLB.
      return snapshotLab(ctx, report, {
        rebuilt: outcomes.some(
          (o) => (o.phase === 'vms' || o.phase === 'join' || o.phase === 'metallb') && o.status === 'done',
        ),
      });
  }
}

export interface UpOptions {
  readonly renderer: ListrRendererValue;
  /** Stop after this phase (debugging, resuming). */
  readonly until?: PhaseName;
  readonly now?: () => number;
}

export interface UpReport {
  readonly outcomes: PhaseOutcome[];
  readonly totalMs: number;
  readonly error?: PhaseError | Error;
}

export function pickRenderer(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout.isTTY),
): ListrRendererValue {
  return isTTY && env['CI'] !== 'true' && env['CI'] !== '1' ? 'default' : 'simple';
}

export async function runLabUp(ctx: UpContext, options: UpOptions): Promise<UpReport> {
  const now = options.now ?? Date.now;
  const last = options.until ?? PHASES[PHASES.length - 1] ?? 'snapshot';
  const phases = PHASES.slice(0, PHASES.indexOf(last) + 1);
  const outcomes: PhaseOutcome[] = [];
  const session: Session = {};
  const started = now();
  // The failing phase's full error, returned to the caller; listr gets only its first line.
  let failure: Error | undefined;
  const tasks = new Listr(
    phases.map((phase) => ({
      title: t().up.phases[phase],
      // What preflight chose and why, and its warnings with their fixes, stay under its line once done.
      ...(phase === 'preflight' ? { rendererOptions: { persistentOutput: true } } : {}),
      task: async (_: unknown, task: { output: string; title: string }) => {
        const t0 = now();
        try {
          const detail = await runPhase(phase, ctx, session, (text) => (task.output = text), last, outcomes);
          const skipped = detail.startsWith('skipped');
          outcomes.push({ phase, status: skipped ? 'skipped' : 'done', detail, durationMs: now() - t0 });
          task.title = `${t().up.phases[phase]} — ${detail} (${formatMs(now() - t0)})`;
        } catch (error) {
          const firstLine = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
          outcomes.push({ phase, status: 'failed', detail: firstLine, durationMs: now() - t0 });
          failure = error instanceof Error ? error : new Error(String(error));
          throw new Error(firstLine);
        }
      },
    })),
    {
      renderer: options.renderer,
      fallbackRenderer: 'simple',
      exitOnError: true,
      collectErrors: false,
      rendererOptions: {},
    },
  );
  let error: Error | undefined;
  try {
    await tasks.run();
  } catch (caught) {
    error = failure ?? (caught instanceof Error ? caught : new Error(String(caught)));
  } finally {
    await session.ssh?.close();
  }
  return { outcomes, totalMs: now() - started, ...(error ? { error } : {}) };
}

export function formatMs(ms: number): string {
  return ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatSummary(report: UpReport): string {
  // Phase names stay the stable words `--until` takes; the status is in the student's language.
  const m = t().up;
  const width = maxWidth(PHASES);
  const statusWidth = maxWidth(Object.values(m.status), 7);
  const rows = report.outcomes.map(
    (o) =>
      `  ${o.phase.padEnd(width)}  ${padEndWidth(m.status[o.status], statusWidth)}  ${padStartWidth(formatMs(o.durationMs), 10)}  ${o.detail}`,
  );
  return [m.summary(report.error !== undefined, formatMs(report.totalMs)), ...rows].join('\n');
}
