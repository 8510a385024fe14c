// `npm run lab:up` / `lab up`: validate, then build the lab phase by phase; a summary with timings at the end.
import { realHostProbe } from '../preflight/host.ts';
import { EXIT } from '../util/exit-codes.ts';
import { connectVagrantLab } from '../vagrant/connect.ts';
import { PHASES, PhaseError, type PhaseName } from '../up/context.ts';
import { formatSummary, pickRenderer, runLabUp } from '../up/run.ts';
import { UserError } from '../util/exit-codes.ts';
import { loadLabEnv } from './lab-env.ts';
import { simulatedUp } from '../sim/provider.ts';

export interface UpCommandOptions {
  readonly config?: string;
  readonly until?: string;
  /** `simulated`: the netns testbed with the simulated cluster instead of Vagrant VMs (src/sim/provider.ts). */
  readonly provider?: string;
}

export function parsePhase(value: string | undefined): PhaseName | undefined {
  if (value === undefined) return undefined;
  if ((PHASES as readonly string[]).includes(value)) return value as PhaseName;
  throw new UserError(`--until ${value}: unknown phase; use one of ${PHASES.join(', ')}`, EXIT.usage);
}

export async function upCommand(options: UpCommandOptions): Promise<number> {
  if (options.provider !== undefined && options.provider !== 'vagrant') {
    if (options.provider !== 'simulated')
      throw new UserError(
        `--provider ${options.provider}: unknown provider; use vagrant (default) or simulated`,
        EXIT.usage,
      );
    return simulatedUp((await loadLabEnv(options)).stateDir, (line) => process.stdout.write(`${line}\n`));
  }
  const until = parsePhase(options.until);
  const env = await loadLabEnv(options);
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const report = await runLabUp(
      {
        ...env,
        host: realHostProbe(),
        connect: () => connectVagrantLab(env),
        signal: abort.signal,
        waits: { readyTimeoutMs: 15 * 60_000, pollIntervalMs: 5_000 },
      },
      { renderer: pickRenderer(), ...(until ? { until } : {}) },
    );
    process.stdout.write(`\n${formatSummary(report)}\n`);
    if (!report.error) {
      if (!until)
        process.stdout.write(
          `\nThe lab is ready. Try: npm run lab:ssh -- ${env.config.nodes[0]?.name ?? 'master-node'}   or   KUBECONFIG=.lab/kubeconfig kubectl get nodes\n`,
        );
      return EXIT.ok;
    }
    process.stderr.write(`\n${report.error.message}\n`);
    return report.error instanceof PhaseError ? report.error.exitCode : EXIT.checkFailed;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
