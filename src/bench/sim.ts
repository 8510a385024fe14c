// `bench sim`: the simulated lab as a student and labkit meet it, on the testbed (cluster 1):
//   get_pods   N sequential `kubectl get pods` over SSH (labkit's pool, one connection) on master-node:
//              the real kubectl v1.33 against the simulated kube-apiserver (TLS, discovery cache warm)
//   pod_start  `kubectl run` of a busybox pod until `kubectl wait --for=condition=Ready` returns, over SSH
//              (includes the configured image pull delay, imagePullDelayMs, default 300 ms): sandbox, veth,
//              the container's process started by the kubelet
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
  readonly podStart: LatencySummary;
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

/** `kubectl run` → Ready for `n` busybox pods one after the other (each deleted after). */
async function benchPodStart(
  pool: ReturnType<typeof createSshPool>,
  master: string,
  n: number,
): Promise<LatencySummary> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const name = `bench-start-${i}`;
      const started = performance.now();
      const run = await pool.exec(
        master,
        {
          argv: [
            'kubectl',
            'run',
            name,
            '--image=docker.io/busybox',
            '--restart=Never',
            '--',
            'sleep',
            '3600',
          ],
        },
        { timeoutMs: 30_000 },
      );
      if (run.exitCode !== 0) throw new Error(`kubectl run failed: ${run.stderr}`);
      const wait = await pool.exec(
        master,
        { argv: ['kubectl', 'wait', '--for=condition=Ready', `pod/${name}`, '--timeout=30s'] },
        { timeoutMs: 40_000 },
      );
      if (wait.exitCode !== 0) throw new Error(`kubectl wait failed: ${wait.stderr}`);
      samples.push(performance.now() - started);
      await pool.exec(
        master,
        { argv: ['kubectl', 'delete', 'pod', name, '--now', '--wait=false'] },
        { timeoutMs: 30_000 },
      );
    }
  } finally {
    await pool.close();
  }
  return summarize(samples);
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
  const podStart = await benchPodStart(createSshPool(targets), master, 5);
  log(`pod start to Ready over SSH: p50 ${podStart.p50} ms, max ${podStart.max} ms (n ${podStart.n})`);
  log(`get pods over SSH: p50 ${getPods.p50} ms, p95 ${getPods.p95} ms (n ${getPods.n})`);
  const solveMs = await lab(options, ['solve', 'service', '--all']);
  log(`lab solve service --all: ${Math.round(solveMs)} ms`);
  const checkMs = await lab(options, ['check', 'service']);
  log(`lab check service: ${Math.round(checkMs)} ms`);
  return {
    getPods,
    podStart,
    solveMs,
    checkMs,
    line: {
      bench: 'sim',
      get_pods_p50_ms: getPods.p50,
      get_pods_p95_ms: getPods.p95,
      runs,
      pod_start_p50_ms: podStart.p50,
      pod_start_max_ms: podStart.max,
      lab_solve_ms: Math.round(solveMs),
      lab_check_ms: Math.round(checkMs),
    },
  };
}
