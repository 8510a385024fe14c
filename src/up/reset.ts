// `npm run lab:reset`: every VM back to the snapshot lab:up took after its smoke check, then the cluster
// brought back to Ready — clocks set from the host, each kubelet heard from again (a fresh node lease), nodes,
// calico-node and CoreDNS Ready (the same waiters as lab:up's ready phase). About a minute, no rebuild.
import { t } from '../i18n/index.ts';
import { join } from 'node:path';
import { kubectlOn } from '../cluster/kubectl.ts';
import { pollUntil, WaitTimeoutError } from '../cluster/wait.ts';
import { controlPlaneOf } from '../config/schema.ts';
import { formatBehind, resyncClocks } from '../snapshot/clock.ts';
import { leasesRenewedProbe } from '../snapshot/leases.ts';
import { readSnapshotRecord } from '../snapshot/record.ts';
import { listSnapshots, machinesWithout, restoreSnapshots } from '../snapshot/vagrant-snapshots.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { runVagrant } from '../vagrant/run.ts';
import { parseVagrantStatus } from '../vagrant/status.ts';
import { PhaseError, type UpContext } from './context.ts';
import { waitForCluster } from './ready.ts';
import { reportUi } from './snapshot-phase.ts';

export interface ResetReport {
  readonly snapshot: string;
  readonly lines: readonly string[];
  readonly totalMs: number;
}

const TAKE_ONE =
  'Run `npm run lab:up` (it saves one once its smoke check passed, with snapshot.enabled: true), or save the lab as it is now: `npx lab snapshot save`.';

export async function resetLab(
  ctx: UpContext,
  report: (line: string) => void,
  now: () => number = Date.now,
): Promise<ResetReport> {
  const started = now();
  const { name, enabled } = ctx.config.snapshot;
  const names = ctx.config.nodes.map((n) => n.name);
  const run = {
    logFile: join(ctx.stateDir, 'logs', 'vagrant-snapshot.log'),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    report(line);
  };

  const status = await runVagrant(ctx.vagrant, ['status', '--machine-readable'], {
    timeoutMs: 120_000,
    ...run,
  });
  const machines = status.exitCode === 0 ? parseVagrantStatus(status.stdout) : [];
  const absent = names.filter((n) => !machines.some((m) => m.name === n && m.state !== 'not_created'));
  if (status.exitCode !== 0 || absent.length > 0)
    throw new UserError(
      status.exitCode !== 0
        ? `lab:reset: vagrant status failed (exit ${status.exitCode}): ${status.stderr.trim() || status.stdout.trim()}`
        : `lab:reset: ${absent.join(', ')} ${absent.length > 1 ? 'do' : 'does'} not exist (not created), so there is no snapshot to go back to (a snapshot goes with its VM). Run \`npm run lab:up\`: it builds the lab and saves a new snapshot.`,
      EXIT.usage,
    );

  const list = await listSnapshots(ctx.vagrant, run);
  const without = machinesWithout(list, names, name);
  if (without.length > 0)
    throw new UserError(
      `lab:reset: no snapshot "${name}" of ${without.join(', ')}${enabled ? '' : ' (snapshot.enabled is false in the config, so lab:up saves none)'}. ${TAKE_ONE}`,
      EXIT.usage,
    );
  const record = await readSnapshotRecord(ctx.stateDir);
  if (!record || record.name !== name)
    throw new UserError(
      `lab:reset: the VMs have a snapshot "${name}", but .lab/snapshot.json does not say it is complete (an interrupted save, or .lab was removed): restoring it could mix VMs from different moments. ${TAKE_ONE}`,
      EXIT.usage,
    );

  say(
    `restoring snapshot ${name} (taken ${record.takenAt}${record.contents === 'base' ? ', base OS only' : ''}) on ${names.join(', ')}`,
  );
  const t0 = now();
  await restoreSnapshots(ctx.vagrant, name, { ...run, onLine: (line) => reportUi(line, report) });
  say(`vagrant snapshot restore: ${Math.round((now() - t0) / 1000)} s`);

  let ssh: RemoteExecutor | undefined;
  try {
    ssh = await ctx.connect();
    const clocks = await resyncClocks(ssh, names, now);
    // Any lease renewed from here on was written by a kubelet running on the new clock.
    const since = Math.min(...clocks.map((c) => c.setToSec)) * 1000;
    say(formatBehind(clocks));
    if (record.contents === 'cluster') {
      const t1 = now();
      const kubectl = kubectlOn(ssh, controlPlaneOf(ctx.config).name);
      try {
        await pollUntil(
          `every kubelet renewing its node lease (${names.join(', ')})`,
          leasesRenewedProbe(kubectl, names, since),
          {
            timeoutMs: ctx.waits.readyTimeoutMs,
            intervalMs: ctx.waits.pollIntervalMs,
            onAttempt: report,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          },
        );
      } catch (error) {
        if (error instanceof WaitTimeoutError)
          throw new PhaseError('ready', `${error.message}\n${t().up.errors.leaseHint}`);
        throw error;
      }
      say(`${await waitForCluster(ctx, ssh, report)} (${Math.round((now() - t1) / 1000)} s)`);
    } else {
      say('the snapshot holds the base OS only (no Kubernetes): nothing more to wait for');
    }
  } finally {
    await ssh?.close();
  }
  return { snapshot: name, lines, totalMs: now() - started };
}
