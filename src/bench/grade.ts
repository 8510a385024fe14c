// `bench grade`: `lab grade` as an instructor runs it (the CLI, a process of its own) on simulated clusters of
// the testbed: every cluster untouched, then every cluster solved; one solved cluster alone for comparison.
// Wall time per run, and the grading process's peak RSS (GNU time's %M). Goals (issue 14): 24 solved ≤ 3× one,
// peak RSS ≤ 300 MB, 24 untouched ≤ 60 s.
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { busyCpuSeconds } from './procfs.ts';
import { DEFAULT_CONCURRENCY } from '../grade/class-run.ts';

export interface GradeBenchOptions {
  readonly repo: string;
  readonly inventory: string;
  readonly clusters: number;
  /** `lab grade --concurrency`; undefined = the CLI's default, as an instructor runs it. */
  readonly concurrency?: number;
  readonly stateDir: string;
  readonly log?: (line: string) => void;
}

interface Timed {
  readonly wallMs: number;
  /** Busy CPU-seconds of the whole machine during the run: the grader, sshd, kubectl, the simulators. */
  readonly cpuS: number;
  readonly maxRssMb: number;
  readonly points: number[];
}

async function grade(o: GradeBenchOptions, out: string, extra: string[]): Promise<Timed> {
  const started = performance.now();
  const cpuBefore = busyCpuSeconds();
  const r = await execa(
    '/usr/bin/time',
    [
      '-f',
      'labkit-maxrss-kb=%M',
      process.execPath,
      '--import',
      'tsx',
      'src/cli.ts',
      'grade',
      'service',
      '--inventory',
      o.inventory,
      '--out',
      out,
      ...extra,
    ],
    { cwd: o.repo, env: { CI: 'true', LAB_STATE_DIR: o.stateDir }, reject: false },
  );
  const wallMs = performance.now() - started;
  const cpuS = Math.round((busyCpuSeconds() - cpuBefore) * 10) / 10;
  if (r.exitCode !== 0) throw new Error(`lab grade exited ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
  const kb = Number(/labkit-maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const grades = JSON.parse((await execa('cat', [join(out, 'grades.json')])).stdout) as {
    students: {
      subject?: { id?: string };
      grade: { points: number; steps?: { id?: string; status?: string; message?: string }[] } | null;
    }[];
  };
  // A step that fails on a healthy solved cluster is worth seeing in the bench's log (CPU starvation).
  for (const student of grades.students.filter((s) => (s.grade?.points ?? 0) > 0))
    for (const step of student.grade?.steps ?? [])
      if (step.status !== 'pass' && step.status !== 'skipped')
        o.log?.(
          `  ${student.subject?.id ?? '?'} ${step.id ?? '?'}: ${step.status}: ${(step.message ?? '').slice(0, 160)}`,
        );
  return {
    wallMs: Math.round(wallMs),
    cpuS,
    maxRssMb: Math.round(kb / 1024),
    points: grades.students.map((s) => s.grade?.points ?? -1),
  };
}

export async function benchGrade(o: GradeBenchOptions): Promise<Record<string, unknown>> {
  const log = o.log ?? (() => undefined);
  const n = o.clusters;
  const all = o.concurrency === undefined ? [] : ['--concurrency', String(o.concurrency)];
  log(`grade: ${n} untouched clusters`);
  const untouched = await grade(o, join(o.stateDir, 'untouched'), all);
  log(`  ${untouched.wallMs} ms, peak RSS ${untouched.maxRssMb} MB`);
  log(`solving ${n} clusters (setup, not measured)`);
  const limit = pLimit(8);
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(async () => {
        const r = await execa(
          process.execPath,
          [
            '--import',
            'tsx',
            'src/cli.ts',
            'solve',
            'service',
            '--all',
            '--inventory',
            o.inventory,
            '--target',
            `c${i + 1}`,
          ],
          {
            cwd: o.repo,
            env: { CI: 'true', LAB_STATE_DIR: o.stateDir },
            reject: false,
          },
        );
        if (r.exitCode !== 0) throw new Error(`solve c${i + 1} failed:\n${r.stdout}`);
      }),
    ),
  );
  log('grade: one solved cluster');
  const one = await grade(o, join(o.stateDir, 'one'), ['--student', 'c1']);
  log(`  ${one.wallMs} ms`);
  log(`grade: ${n} solved clusters, ${o.concurrency ?? DEFAULT_CONCURRENCY} at a time`);
  const solved = await grade(o, join(o.stateDir, 'solved'), all);
  log(`  ${solved.wallMs} ms, peak RSS ${solved.maxRssMb} MB`);
  const ratio = Math.round((100 * solved.wallMs) / one.wallMs) / 100;
  // What the machine's cores allow at best: all the CPU the 24 gradings cost, spread over every core.
  const cores = cpus().length;
  const cpuBoundMs = (1000 * solved.cpuS) / cores;
  const ratioCpuBound = Math.round((100 * cpuBoundMs) / one.wallMs) / 100;
  const maxRss = Math.max(untouched.maxRssMb, one.maxRssMb, solved.maxRssMb);
  return {
    bench: 'grade',
    clusters: n,
    concurrency: o.concurrency ?? 'default',
    one_solved_ms: one.wallMs,
    all_solved_ms: solved.wallMs,
    ratio_all_to_one: ratio,
    cpu_s_one_solved: one.cpuS,
    cpu_s_all_solved: solved.cpuS,
    cpu_s_all_untouched: untouched.cpuS,
    // the ratio this machine's cores allow when every core is busy the whole run
    ratio_cpu_bound: ratioCpuBound,
    // how much of the run the cores were busy: 1 = the grader never waited while a core was free
    core_utilisation_all_solved: Math.round((100 * solved.cpuS * 1000) / (cores * solved.wallMs)) / 100,
    all_untouched_ms: untouched.wallMs,
    peak_rss_mb: maxRss,
    points_solved: [...new Set(solved.points)],
    points_untouched: [...new Set(untouched.points)],
    goals: {
      ratio_le_3: ratio <= 3,
      rss_le_300mb: maxRss <= 300,
      untouched_le_60s: untouched.wallMs <= 60_000,
    },
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? '?',
      memGb: Math.round(totalmem() / 2 ** 30),
      loadavg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    },
  };
}
