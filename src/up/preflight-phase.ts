// Phase "preflight": run the host checks and stop with every failure and its fix before anything boots.
// The failures are listed once, in the error lab:up prints at its end; the error's first line (what the
// progress display and the summary show) only names them.
import { runPreflight, type PreflightResult } from '../preflight/checks.ts';
import { EXIT } from '../util/exit-codes.ts';
import { PhaseError, type UpContext } from './context.ts';

export function formatPreflight(results: readonly PreflightResult[]): string {
  return results
    .map(
      (r) =>
        `${r.status === 'pass' ? 'ok  ' : r.status === 'warn' ? 'warn' : 'FAIL'} ${r.id}: ${r.message}${r.fix ? `\n     fix: ${r.fix}` : ''}`,
    )
    .join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
      `preflight found ${plural(failed.length, 'problem')}: ${failed.map((f) => f.id).join(', ')}\n${formatPreflight(failed)}`,
      EXIT.usage,
    );
  }
  const warnings = results.filter((r) => r.status === 'warn');
  // Shown under the phase's line (kept after it ends): what lab:up will use and why, and each warning with
  // its fix. The summary only names them.
  report([...plan.why, ...(warnings.length > 0 ? [formatPreflight(warnings)] : [])].join('\n'));
  const passed = `${plural(results.length - warnings.length, 'check')} passed`;
  return `${plan.provider}, box ${plan.box}; ${passed}${warnings.length ? `, ${plural(warnings.length, 'warning')} (${warnings.map((w) => w.id).join(', ')}, with its fix in the preflight output)` : ''}`;
}
