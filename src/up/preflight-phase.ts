// Phase "preflight": run the host checks and stop with every failure and its fix before anything boots.
// The failures are listed once, in the error lab:up prints at its end; the error's first line (what the
// progress display and the summary show) only names them.
import { t } from '../i18n/index.ts';
import { runPreflight, type PreflightResult } from '../preflight/checks.ts';
import { maxWidth } from '../util/display-width.ts';
import { EXIT } from '../util/exit-codes.ts';
import { PhaseError, type UpContext } from './context.ts';

export function formatPreflight(results: readonly PreflightResult[]): string {
  const say = t().preflight;
  // The fix sits under the message, past the status word (4 cells in English, 4 in Korean: 통과/경고/실패).
  const pad = ' '.repeat(maxWidth(Object.values(say.status)) + 1);
  return results
    .map((r) => `${say.status[r.status]} ${r.id}: ${r.message}${r.fix ? `\n${pad}${say.fix} ${r.fix}` : ''}`)
    .join('\n');
}

export async function preflight(
  ctx: UpContext,
  report: (text: string) => void,
  reachesKubeadm: boolean,
): Promise<string> {
  const { results, plan } = await runPreflight({
    config: ctx.config,
    configPath: ctx.configPath,
    projectDir: ctx.projectDir,
    host: ctx.host,
    vagrant: ctx.vagrant,
    reachesKubeadm,
  });
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    throw new PhaseError(
      'preflight',
      `${t().preflight.found(failed.length, failed.map((f) => f.id).join(', '))}\n${formatPreflight(failed)}`,
      EXIT.usage,
    );
  }
  const warnings = results.filter((r) => r.status === 'warn');
  // Shown under the phase's line (kept after it ends): what lab:up will use and why, and each warning with
  // its fix. The summary only names them.
  report([...plan.why, ...(warnings.length > 0 ? [formatPreflight(warnings)] : [])].join('\n'));
  const say = t().preflight;
  const passed = say.passed(results.length - warnings.length);
  return `${plan.provider}, box ${plan.box}; ${passed}${warnings.length ? `, ${say.warnings(warnings.length, warnings.map((w) => w.id).join(', '))}` : ''}`;
}
