// `npm run lab:down` / `lab down`: destroy the lab's VMs after a confirmation (or --force), and forget its state.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { runVagrant } from '../vagrant/run.ts';
import { loadLabEnv } from './lab-env.ts';
import { readCurrentLab, simulatedDown } from '../sim/provider.ts';

export interface DownCommandOptions {
  readonly config?: string;
  readonly force?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function downCommand(options: DownCommandOptions): Promise<number> {
  const env = await loadLabEnv(options);
  if (await readCurrentLab(env.stateDir))
    return simulatedDown(env.stateDir, (line) => process.stdout.write(`${line}\n`));
  const names = env.config.nodes.map((n) => n.name);
  if (!options.force) {
    if (!process.stdin.isTTY) {
      throw new UserError(
        `lab:down destroys ${names.join(', ')}; not a terminal, so nothing was asked: pass --force to confirm.`,
        EXIT.usage,
      );
    }
    if (!(await confirm(`Destroy the lab VMs ${names.join(', ')} and everything in them? [y/N] `))) {
      process.stdout.write('Nothing destroyed.\n');
      return EXIT.ok;
    }
  }
  const out = await runVagrant(env.vagrant, ['destroy', '--force', ...names], {
    logFile: join(env.stateDir, 'logs', 'vagrant-destroy.log'),
    onLine: (line) => process.stdout.write(`${line}\n`),
  });
  if (out.exitCode !== 0) {
    throw new UserError(
      `vagrant destroy failed (exit ${out.exitCode}); see .lab/logs/vagrant-destroy.log, then retry \`npm run lab:down -- --force\`.`,
      EXIT.checkFailed,
    );
  }
  await rm(join(env.stateDir, 'kubeconfig'), { force: true });
  process.stdout.write(`Destroyed ${names.join(', ')}; removed .lab/kubeconfig.\n`);
  return EXIT.ok;
}
