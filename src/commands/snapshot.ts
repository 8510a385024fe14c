// `lab snapshot save|restore|list`. `npm run lab:reset` is `lab snapshot restore`: every VM back to the
// snapshot lab:up took, the cluster Ready again. (Not `lab reset <lab>`, which removes what one lab's steps
// made and keeps the VMs as they are.)
import { join } from 'node:path';
import { realHostProbe } from '../preflight/host.ts';
import { readCurrentLab } from '../sim/provider.ts';
import { readSnapshotRecord, writeSnapshotRecord, forgetSnapshotRecord } from '../snapshot/record.ts';
import {
  listSnapshots,
  machinesWithout,
  saveSnapshots,
  SnapshotCommandError,
} from '../snapshot/vagrant-snapshots.ts';
import { PhaseError, type UpContext } from '../up/context.ts';
import { readProvisionState } from '../up/provision-state.ts';
import { resetLab } from '../up/reset.ts';
import { formatMs } from '../up/run.ts';
import { reportUi } from '../up/snapshot-phase.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { connectVagrantLab } from '../vagrant/connect.ts';
import { runVagrant } from '../vagrant/run.ts';
import { parseVagrantStatus } from '../vagrant/status.ts';
import { loadLabEnv, type LabEnv } from './lab-env.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function vagrantLab(options: { config?: string }, what: string): Promise<LabEnv> {
  const env = await loadLabEnv(options);
  if (await readCurrentLab(env.stateDir))
    throw new UserError(
      `${what} works on the Vagrant VMs; the simulated lab has no snapshots. To start it afresh: \`npm run lab:down\`, then \`sudo npm run lab:up -- --provider simulated\`.`,
      EXIT.usage,
    );
  return env;
}

function snapshotFailure(error: unknown): never {
  if (error instanceof SnapshotCommandError)
    throw new UserError(`${error.message}\nFull log: .lab/logs/vagrant-snapshot.log`, EXIT.checkFailed);
  throw error;
}

/** `lab snapshot restore` / `npm run lab:reset`. */
export async function snapshotRestoreCommand(options: { config?: string }): Promise<number> {
  const env = await vagrantLab(options, 'lab:reset');
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  const ctx: UpContext = {
    ...env,
    host: realHostProbe(),
    connect: () => connectVagrantLab(env),
    signal: abort.signal,
    waits: { readyTimeoutMs: 10 * 60_000, pollIntervalMs: 3_000 },
  };
  // Waiters report what they see on every poll: print a line only when it changes.
  let last = '';
  const progress = (line: string) => {
    if (line !== last) out(`  ${line}`);
    last = line;
  };
  try {
    const report = await resetLab(ctx, progress);
    out(`lab:reset done in ${formatMs(report.totalMs)}: the lab is back to snapshot ${report.snapshot}.`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof PhaseError) {
      process.stderr.write(`lab:reset: the VMs were restored, but ${error.message}\n`);
      return error.exitCode;
    }
    return snapshotFailure(error);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** `lab snapshot save`: the lab as it is now becomes what lab:reset goes back to. */
export async function snapshotSaveCommand(options: { config?: string }): Promise<number> {
  const env = await vagrantLab(options, 'lab snapshot save');
  const { name } = env.config.snapshot;
  const names = env.config.nodes.map((n) => n.name);
  const state = await readProvisionState(env.stateDir);
  if (state !== 'all' && state !== 'base')
    throw new UserError(
      `lab snapshot save: the VMs' last provisioning did not finish (.lab/provisioned-until: ${state}); a snapshot of them would bring that back. Run \`npm run lab:up\` first.`,
      EXIT.usage,
    );
  const status = await runVagrant(env.vagrant, ['status', '--machine-readable'], { timeoutMs: 120_000 });
  const machines = parseVagrantStatus(status.stdout);
  const notRunning = names.filter((n) => !machines.some((m) => m.name === n && m.state === 'running'));
  if (status.exitCode !== 0 || notRunning.length > 0)
    throw new UserError(
      `lab snapshot save: ${notRunning.join(', ') || 'the VMs'} ${notRunning.length === 1 ? 'is' : 'are'} not running; lab:reset restores running VMs. Start them with \`npm run lab:up\`.`,
      EXIT.usage,
    );
  const run = { logFile: join(env.stateDir, 'logs', 'vagrant-snapshot.log') };
  try {
    await forgetSnapshotRecord(env.stateDir);
    await saveSnapshots(env.vagrant, name, {
      ...run,
      onLine: (line) => reportUi(line, (text) => out(`  ${text}`)),
    });
    const missing = machinesWithout(await listSnapshots(env.vagrant, run), names, name);
    if (missing.length > 0)
      throw new UserError(
        `lab snapshot save: vagrant saved no snapshot of ${missing.join(', ')}; see .lab/logs/vagrant-snapshot.log`,
        EXIT.checkFailed,
      );
  } catch (error) {
    return snapshotFailure(error);
  }
  const contents = state === 'all' ? 'cluster' : 'base';
  await writeSnapshotRecord(env.stateDir, {
    name,
    takenAt: new Date().toISOString(),
    contents,
    nodes: names,
  });
  out(
    `Saved snapshot ${name} of ${names.join(', ')}${contents === 'base' ? ' (base OS only: lab:reset will not wait for Kubernetes)' : ''}. npm run lab:reset goes back to it.`,
  );
  return EXIT.ok;
}

export async function snapshotListCommand(options: { config?: string }): Promise<number> {
  const env = await vagrantLab(options, 'lab snapshot list');
  const list = await listSnapshots(env.vagrant).catch(snapshotFailure);
  const record = await readSnapshotRecord(env.stateDir);
  for (const node of env.config.nodes) {
    const m = list.get(node.name);
    out(
      `${node.name.padEnd(16)} ${m?.state === 'created' ? m.snapshots.join(', ') || '(none)' : 'not created'}`,
    );
  }
  out(
    record
      ? `lab:reset restores ${record.name} (taken ${record.takenAt}; ${record.contents === 'cluster' ? 'a Ready cluster' : 'base OS only'})`
      : `no complete snapshot recorded in .lab/snapshot.json: lab:reset has nothing to restore (npm run lab:up or npx lab snapshot save makes one)`,
  );
  return EXIT.ok;
}
