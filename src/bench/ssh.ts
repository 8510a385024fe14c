// `bench ssh`: what the pooled ssh2 executor saves over one OpenSSH process per command, on real sshd.
//   pooled      N sequential `true` through labkit's SSH pool (one connection, reused), as every caller
//               gets it: wrapped in the remote `timeout` backstop
//   pooled-nobackstop  the same with `backstop: false` (what the backstop's fork + exec costs)
//   process     N sequential `ssh ... true`, a new OpenSSH client process (and connection) each time
//   concurrent  H hosts × C commands at once through the pool (latency includes queueing for channels)
// The targets come from an inventory (the testbed writes one: .testbed/inventory.yaml).
import { cpus, loadavg } from 'node:os';
import { execa } from 'execa';
import { loadInventory } from '../inventory/load.ts';
import { createSshPool } from '../ssh/pool.ts';
import { targetsFromInventory } from '../ssh/targets.ts';
import type { SshTarget } from '../ssh/types.ts';
import { formatSummary, summarize, type LatencySummary } from './stats.ts';

export interface SshBenchOptions {
  readonly inventory: string;
  /** Sequential commands per mode (default 500). */
  readonly runs?: number;
  /** Concurrent commands per host in the concurrent mode (default 100). */
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

export interface SshBenchResult {
  readonly pooled: LatencySummary;
  readonly pooledNoBackstop: LatencySummary;
  readonly process: LatencySummary;
  readonly concurrent: LatencySummary & {
    readonly hosts: number;
    readonly wallMs: number;
    readonly failures: number;
  };
  /** One JSON object, printed as the last line: {"bench":"ssh","pooled_p50_ms":..,"process_p50_ms":..,"ratio":..}. */
  readonly line: Record<string, unknown>;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** The OpenSSH client command line equivalent to `target`: its key, its known_hosts, strict, no prompts. */
export function opensshArgv(target: SshTarget): string[] {
  const hostKey =
    target.hostKey.mode === 'ignore'
      ? ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null']
      : [
          '-o',
          `StrictHostKeyChecking=${target.hostKey.mode === 'strict' ? 'yes' : 'accept-new'}`,
          '-o',
          `UserKnownHostsFile=${target.hostKey.knownHostsFile}`,
        ];
  return [
    '-F',
    '/dev/null',
    ...(target.identityFile ? ['-i', target.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
    '-o',
    'BatchMode=yes',
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    ...hostKey,
    '-p',
    String(target.port),
    `${target.user}@${target.host}`,
  ];
}

function countBy(items: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts];
}

async function sequential(runs: number, one: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(one));
  return samples;
}

export async function benchSsh(options: SshBenchOptions): Promise<SshBenchResult> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? 500;
  const concurrency = options.concurrency ?? 100;
  const targets = targetsFromInventory(await loadInventory(options.inventory));
  const first = targets[0];
  if (!first) throw new Error(`bench ssh: no hosts in ${options.inventory}`);
  const pool = createSshPool(targets);
  // The machine is shared: the load around the run says how far the figures can be trusted.
  const loadBefore = loadavg()[0] ?? 0;
  log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore.toFixed(2)}`);
  try {
    // Warm-up: connect once and let both paths reach steady state.
    for (let i = 0; i < 10; i++) await pool.run(first.name, { argv: ['true'] });
    const argv = opensshArgv(first);
    for (let i = 0; i < 3; i++) await execa('ssh', [...argv, 'true']);

    // The two pooled modes alternate command by command, so both see the same load on a shared machine.
    log(`pooled: ${runs} × true on ${first.name} through the SSH pool, alternating with backstop: false`);
    const withBackstop: number[] = [];
    const withoutBackstop: number[] = [];
    for (let i = 0; i < runs; i++) {
      withBackstop.push(await timed(() => pool.run(first.name, { argv: ['true'] })));
      withoutBackstop.push(await timed(() => pool.run(first.name, { argv: ['true'] }, { backstop: false })));
    }
    const pooled = summarize(withBackstop);
    const bare = summarize(withoutBackstop);
    log(formatSummary('pooled (ssh2, one connection)', pooled));
    log(formatSummary('pooled, no remote backstop', bare));

    log(`process: ${runs} × ssh ${first.user}@${first.host} true (new OpenSSH client each time)`);
    const proc = summarize(await sequential(runs, () => execa('ssh', [...argv, 'true'])));
    log(formatSummary('process (OpenSSH, one per command)', proc));

    log(`concurrent: ${targets.length} hosts × ${concurrency} at once through the pool`);
    const started = performance.now();
    const failures: string[] = [];
    // A failed command is counted and reported, not fatal: the figure says how often the pool failed under load.
    const one = (name: string) => () =>
      pool
        .run(name, { argv: ['true'] })
        .catch((error: unknown) =>
          failures.push(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)),
        );
    const samples = await Promise.all(
      targets.flatMap((t) => Array.from({ length: concurrency }, () => timed(one(t.name)))),
    );
    const wallMs = Math.round(performance.now() - started);
    const concurrent = { ...summarize(samples), hosts: targets.length, wallMs, failures: failures.length };
    log(
      `${formatSummary(`concurrent (${targets.length}×${concurrency}, pool)`, concurrent)}   wall ${wallMs} ms   failed ${failures.length}`,
    );
    for (const [message, count] of countBy(failures)) log(`  ${count} × ${message}`);

    const ratio = Math.round((proc.p50 / pooled.p50) * 10) / 10;
    const loadAfter = loadavg()[0] ?? 0;
    log(`load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
    return {
      pooled,
      pooledNoBackstop: bare,
      process: proc,
      concurrent,
      line: {
        bench: 'ssh',
        pooled_p50_ms: pooled.p50,
        process_p50_ms: proc.p50,
        ratio,
        pooled_p95_ms: pooled.p95,
        pooled_nobackstop_p50_ms: bare.p50,
        pooled_nobackstop_p95_ms: bare.p95,
        process_p95_ms: proc.p95,
        concurrent_p50_ms: concurrent.p50,
        concurrent_p95_ms: concurrent.p95,
        concurrent_wall_ms: wallMs,
        concurrent_failures: failures.length,
        runs,
        concurrency,
        loadavg_1m_before: Math.round(loadBefore * 100) / 100,
        loadavg_1m_after: Math.round(loadAfter * 100) / 100,
      },
    };
  } finally {
    await pool.close();
  }
}
