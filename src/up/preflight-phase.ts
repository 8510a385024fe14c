// Phase "preflight": run the host checks and stop with every failure and its fix before anything boots.
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

export async function preflight(
  ctx: UpContext,
  report: (text: string) => void,
  reachesKubeadm: boolean,
): Promise<string> {
  const results = await runPreflight({
    config: ctx.config,
    configPath: ctx.configPath,
    host: ctx.host,
    vagrant: ctx.vagrant,
    reachesKubeadm,
  });
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    throw new PhaseError(
      'preflight',
      `preflight found ${failed.length} problem${failed.length > 1 ? 's' : ''}:\n${formatPreflight(failed)}`,
      EXIT.usage,
    );
  }
  const warnings = results.filter((r) => r.status === 'warn');
  if (warnings.length > 0) report(formatPreflight(warnings));
  return `${results.length - warnings.length} checks passed${warnings.length ? `, ${warnings.length} warning${warnings.length > 1 ? 's' : ''}: ${warnings.map((w) => w.message).join('; ')}` : ''}`;
}
