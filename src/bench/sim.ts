// `bench sim`: the simulated lab as a student and labkit meet it, on the testbed (cluster 1):
//   get_pods   N sequential `kubectl get pods` over SSH (labkit's pool, one connection) on master-node:
//              the real kubectl v1.33 against the simulated kube-apiserver (TLS, discovery cache warm)
//   lab_check  wall time of `lab check service` (the CLI, a fresh process) right after `lab solve --all`
import { execa } from 'execa';
import { loadInventory } from '../inventory/load.ts';
import { createSshPool } from '../ssh/pool.ts';
import { studentTargetName, targetsFromInventory } from '../ssh/targets.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface SimBenchOptions {
  readonly repo: string;
  readonly inventory: string;
  /** The student id of cluster 1 (`c1`). */
  readonly target: string;
  readonly stateDir: string;
  readonly runs?: number;
  readonly log?: (line: string) => void;
}

export interface SimBenchResult {
  readonly getPods: LatencySummary;
  readonly solveMs: number;
  readonly checkMs: number;
  readonly line: Record<string, unknown>;
}

async function lab(options: SimBenchOptions, args: readonly string[]): Promise<number> {
  const started = performance.now();
  const r = await execa(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', ...args, '--inventory', options.inventory, '--target', options.target],
    {
      cwd: options.repo,
      env: { LAB_STATE_DIR: options.stateDir, CI: 'true' },
      reject: false,
      timeout: 600_000,
    },
  );
  const ms = performance.now() - started;
  if (r.exitCode !== 0)
    throw new Error(`lab ${args.join(' ')} exited ${String(r.exitCode)}:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

export async function benchSim(options: SimBenchOptions): Promise<SimBenchResult> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? 100;
  const targets = targetsFromInventory(await loadInventory(options.inventory));
  const master = studentTargetName(options.target, 'master-node');
  const pool = createSshPool(targets);
  const samples: number[] = [];
  try {
    // One warm-up: the first call fills kubectl's discovery cache (~/.kube/cache), as a student's first does.
    await pool.exec(master, { argv: ['kubectl', 'get', 'pods'] }, { timeoutMs: 30_000 });
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const r = await pool.exec(master, { argv: ['kubectl', 'get', 'pods'] }, { timeoutMs: 30_000 });
      samples.push(performance.now() - started);
      if (r.exitCode !== 0) throw new Error(`kubectl get pods failed: ${r.stderr}`);
    }
  } finally {
    await pool.close();
  }
  const getPods = summarize(samples);
  log(`get pods over SSH: p50 ${getPods.p50} ms, p95 ${getPods.p95} ms (n ${getPods.n})`);
  const solveMs = await lab(options, ['solve', 'service', '--all']);
  log(`lab solve service --all: ${Math.round(solveMs)} ms`);
  const checkMs = await lab(options, ['check', 'service']);
  log(`lab check service: ${Math.round(checkMs)} ms`);
  return {
    getPods,
    solveMs,
    checkMs,
    line: {
      bench: 'sim',
      get_pods_p50_ms: getPods.p50,
      get_pods_p95_ms: getPods.p95,
      runs,
      lab_solve_ms: Math.round(solveMs),
      lab_check_ms: Math.round(checkMs),
    },
  };
}
