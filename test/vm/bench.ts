// VM lane measurements (LABKIT_VM_BENCH=1 npm run test:vm), for docs/benchmarks.md "VM lane":
// - one command per round trip on the real VMs: labkit's ssh2 pool vs `vagrant ssh NODE -c true`;
// - lab:up's own overhead: `npm run lab:up -- --until base` vs a bare `vagrant up` of the same Vagrantfile
//   with the same LAB_PROVISION_UNTIL=base, each from destroyed VMs (base box volume already uploaded).
// Pairs alternate order (A B, then B A) so a drift in host load does not favour one side.
import { execa } from 'execa';
import { median } from 'simple-statistics';
import type { RemoteExecutor } from '../../src/ssh/types.ts';
import { npmRun } from './lib/npm-run.ts';

export interface BenchInput {
  readonly ssh: RemoteExecutor;
  readonly project: string;
  readonly config: string;
  readonly nodes: readonly string[];
  readonly timing: (step: string, ms: number, extra?: Record<string, unknown>) => void;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function vagrant(project: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const r = await execa('vagrant', args, {
    cwd: project,
    reject: false,
    timeout: 20 * 60_000,
    env,
    all: true,
  });
  if (r.exitCode !== 0)
    throw new Error(`vagrant ${args.join(' ')} exited ${r.exitCode}:\n${String(r.all).slice(-2000)}`);
}

export async function benchVm(input: BenchInput): Promise<Record<string, number>> {
  const { ssh, project, nodes, timing } = input;
  const master = nodes[0] ?? 'master-node';
  // Round trips: `true` on the master, sequential, after one warm-up each.
  const sshRuns = Number(process.env['LABKIT_VM_BENCH_SSH_RUNS'] ?? 50);
  const vagrantRuns = Number(process.env['LABKIT_VM_BENCH_VAGRANT_RUNS'] ?? 5);
  await ssh.run(master, { argv: ['true'] }, { timeoutMs: 30_000 });
  const pool: number[] = [];
  for (let i = 0; i < sshRuns; i++)
    pool.push(
      await timed(async () => void (await ssh.run(master, { argv: ['true'] }, { timeoutMs: 30_000 }))),
    );
  const vagrantSsh: number[] = [];
  for (let i = 0; i < vagrantRuns; i++)
    vagrantSsh.push(await timed(() => vagrant(project, ['ssh', master, '-c', 'true'])));
  const result: Record<string, number> = {
    sshPoolMedianMs: Math.round(median(pool) * 10) / 10,
    vagrantSshMedianMs: Math.round(median(vagrantSsh)),
  };
  timing('bench-ssh2-pool-true', result['sshPoolMedianMs'] ?? 0, {
    runs: sshRuns,
    min: Math.min(...pool),
    max: Math.max(...pool),
  });
  timing('bench-vagrant-ssh-true', result['vagrantSshMedianMs'] ?? 0, {
    runs: vagrantRuns,
    min: Math.min(...vagrantSsh),
    max: Math.max(...vagrantSsh),
  });
  await ssh.close();

  // lab:up --until base (A) vs bare vagrant up (B), from destroyed VMs each time.
  const pairs = Number(process.env['LABKIT_VM_BENCH_PAIRS'] ?? 1);
  const labUp: number[] = [];
  const bare: number[] = [];
  const runA = async () => {
    await vagrant(project, ['destroy', '-f']);
    const r = await npmRun('lab:up', ['--until', 'base'], { timeoutMs: 25 * 60_000 });
    if (r.exitCode !== 0)
      throw new Error(`lab:up --until base exited ${r.exitCode}: ${r.stderr.slice(-1500)}`);
    labUp.push(r.ms);
    timing('bench-labup-until-base', r.ms);
  };
  const runB = async () => {
    await vagrant(project, ['destroy', '-f']);
    const ms = await timed(() =>
      vagrant(project, ['up', '--provider', 'libvirt'], { LAB_PROVISION_UNTIL: 'base' }),
    );
    bare.push(ms);
    timing('bench-bare-vagrant-up', Math.round(ms));
  };
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      await runA();
      await runB();
    } else {
      await runB();
      await runA();
    }
  }
  result['labUpUntilBaseMedianMs'] = Math.round(median(labUp));
  result['bareVagrantUpMedianMs'] = Math.round(median(bare));
  result['labUpOverheadPct'] = Math.round((median(labUp) / median(bare) - 1) * 1000) / 10;
  timing('bench-labup-overhead-pct', result['labUpOverheadPct']);
  return result;
}
