// `npm run lab:status` / `lab status`.
import { collectLabStatus, formatLabStatus } from '../status/lab-status.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { connectVagrantLab } from '../vagrant/connect.ts';
import { runVagrant } from '../vagrant/run.ts';
import { parseVagrantStatus } from '../vagrant/status.ts';
import { loadLabEnv } from './lab-env.ts';
import { readCurrentLab, simulatedStatus } from '../sim/provider.ts';

export async function statusCommand(options: { config?: string; json?: boolean }): Promise<number> {
  const env = await loadLabEnv(options);
  const simulated = await readCurrentLab(env.stateDir);
  if (simulated) return simulatedStatus(simulated, options.json ?? false);
  const out = await runVagrant(env.vagrant, ['status', '--machine-readable'], { timeoutMs: 120_000 });
  if (out.exitCode !== 0)
    throw new UserError(
      `vagrant status failed (exit ${out.exitCode}): ${out.stderr.trim()}`,
      EXIT.checkFailed,
    );
  const status = await collectLabStatus(env.config, parseVagrantStatus(out.stdout), () =>
    connectVagrantLab(env),
  );
  process.stdout.write(
    options.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatLabStatus(status)}\n`,
  );
  return status.healthy ? EXIT.ok : EXIT.checkFailed;
}
