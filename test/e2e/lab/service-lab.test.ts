// `lab solve` / `lab check` end to end: the CLI as a user runs it, over real SSH to the testbed, against the
// simulated cluster on its master host. Then each simulator fault: `lab check` fails exactly the steps that
// fault breaks, with a message naming the cause, and the other steps keep passing. Run under
// `flock /tmp/labkit-testbed.lock` (one testbed per machine); the testbed is brought down afterwards.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireRootLinux } from '../ssh/testbed-fixture.ts';
import { REPO_ROOT, testbedDown, testbedUp, type TestbedInfo } from '../../testbed/index.ts';
import { setClusterFaults, type Fault } from '../../testbed/faults.ts';

const STATE = mkdtempSync(join(tmpdir(), 'labkit-lab-e2e-'));
const MARKER = '/tmp/labkit-hostile-marker';
// Step deadline for fault runs: a failing step polls until it (a healthy step here takes at most ~10 s).
const FAULT_DEADLINE = '20s';
let info: TestbedInfo;

interface StepJson {
  id: string;
  status: string;
  durationMs: number;
  message: string;
}
interface ReportJson {
  exitCode: number;
  durationMs: number;
  steps: StepJson[];
}

/** `lab ARGS` as a subprocess (node + tsx, as bin/lab.mjs does), against the testbed's cluster 1. */
async function lab(args: string[], timeoutMs = 900_000) {
  const started = performance.now();
  const result = await execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { LAB_STATE_DIR: STATE, CI: 'true' },
    reject: false,
    timeout: timeoutMs,
  });
  return { ...result, wallMs: performance.now() - started };
}

const target = () => ['--inventory', info.paths.inventory, '--target', 'c1'];

async function checkWithReport(name: string, extra: string[] = []) {
  const file = join(STATE, `${name}.json`);
  const run = await lab(['check', 'service', ...target(), '--report', `json:${file}`, ...extra]);
  if (!existsSync(file))
    throw new Error(`lab check wrote no report (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;
  return { run, report, failed: report.steps.filter((s) => s.status !== 'pass').map((s) => s.id) };
}

beforeAll(async () => {
  requireRootLinux();
  rmSync(MARKER, { force: true });
  // A pod's `sleep 3600` (the checks' client pods) runs in simulated time; scaled down so the run measures
  // labkit, not the simulator's waiting (pods still live 3600 simulated seconds).
  info = await testbedUp({ clusters: 1, simulated: { faults: [] } });
}, 300_000);

afterAll(async () => {
  await testbedDown();
  rmSync(STATE, { recursive: true, force: true });
}, 300_000);

describe('lab service on the simulated cluster', () => {
  test('solve --all, then check passes every step (per-step timings printed for docs/benchmarks.md)', async () => {
    const solve = await lab(['solve', 'service', '--all', ...target()]);
    expect(solve.stdout, solve.stderr).toContain('6/6 steps passed');
    expect(solve.exitCode).toBe(0);
    const { run, report, failed } = await checkWithReport('healthy');
    expect(failed, run.stdout).toEqual([]);
    expect(run.exitCode).toBe(0);
    process.stdout.write(
      `lab-check-timings ${JSON.stringify({ wallMs: Math.round(run.wallMs), reportMs: report.durationMs, steps: Object.fromEntries(report.steps.map((s) => [s.id, s.durationMs])) })}\n`,
    );
  }, 1_500_000);

  // Faults switched on a solved, healthy cluster: each breaks what it names at request time.
  const runtimeFaults: { fault: Fault; failing: string[]; message?: RegExp }[] = [
    { fault: 'affinity-ignored', failing: ['session-affinity'], message: /session-affinity/ },
    { fault: 'env-missing', failing: ['service-env'], message: /HOSTNAME_SERVICE_CLUSTERIP/ },
    { fault: 'skewed-balance', failing: ['cluster-ip-service'], message: /service-spread/ },
    { fault: 'dns-broken', failing: ['cluster-ip-service'], message: /service-reachable/ },
    { fault: 'kube-proxy-ipvs', failing: [] },
  ];
  for (const c of runtimeFaults)
    test(`fault ${c.fault}: lab check fails ${c.failing.join(', ') || 'no step'} and nothing else`, async () => {
      await setClusterFaults([c.fault]);
      try {
        const { run, report, failed } = await checkWithReport(c.fault, ['--timeout', FAULT_DEADLINE]);
        expect(failed, run.stdout).toEqual(c.failing);
        expect(run.exitCode).toBe(c.failing.length === 0 ? 0 : 1);
        for (const id of c.failing) {
          const step = report.steps.find((s) => s.id === id);
          expect(step?.status).toBe('fail');
          if (c.message) expect(step?.message).toMatch(c.message);
        }
      } finally {
        await setClusterFaults([]);
      }
    }, 900_000);

  // blackhole-endpoint breaks every step that sends traffic through a Service to the dead endpoint (which
  // steps depends on the endpoint the simulator picks and on affinity); step 3, whose checks reach every
  // endpoint, always fails on it. The steps without service traffic keep passing.
  test('fault blackhole-endpoint: step 3 fails on service traffic; deployment and env pass', async () => {
    await setClusterFaults(['blackhole-endpoint']);
    try {
      const { run, report, failed } = await checkWithReport('blackhole-endpoint', [
        '--timeout',
        FAULT_DEADLINE,
      ]);
      expect(failed, run.stdout).toContain('cluster-ip-service');
      expect(failed).not.toContain('deployment');
      expect(failed).not.toContain('service-env');
      expect(report.steps.find((s) => s.id === 'cluster-ip-service')?.message).toMatch(
        /\((service-reachable|service-spread)\):/,
      );
      expect(run.exitCode).toBe(1);
    } finally {
      await setClusterFaults([]);
    }
  }, 900_000);

  // Faults that act when pods are created: reset, switch on, solve again, check.
  const creationFaults: { fault: Fault; failing: string[]; message: [string, RegExp] }[] = [
    {
      fault: 'no-replacement',
      failing: ['deployment', 'pod-replaced'],
      message: ['pod-replaced', /replace|ready|answer/i],
    },
    // The Deployment stays at 2/3 ready, and step 4's replacement pod never gets Ready either.
    {
      fault: 'pod-never-ready',
      failing: ['deployment', 'pod-replaced'],
      message: ['deployment', /readyReplicas is 2, expected 3/],
    },
  ];
  for (const c of creationFaults)
    test(`fault ${c.fault} (from a fresh start): lab check fails ${c.failing.join(', ')}`, async () => {
      const reset = await lab(['reset', 'service', ...target()]);
      expect(reset.exitCode, reset.stdout + reset.stderr).toBe(0);
      await setClusterFaults([c.fault]);
      try {
        await lab(['solve', 'service', '--all', ...target(), '--timeout', FAULT_DEADLINE]);
        const { run, report, failed } = await checkWithReport(c.fault, ['--timeout', FAULT_DEADLINE]);
        expect(failed, run.stdout).toEqual(c.failing);
        expect(report.steps.find((s) => s.id === c.message[0])?.message).toMatch(c.message[1]);
      } finally {
        await setClusterFaults([]);
        await lab(['reset', 'service', ...target()]);
      }
    }, 900_000);
});

describe('hostile names do not inject', () => {
  test('shell syntax in a spec and in lab memory arrives as literal words; no marker file is made', async () => {
    const run = await lab(['check', 'test/fixtures/labs/hostile', ...target()]);
    expect(run.stdout, run.stderr).toContain('1/1 steps passed');
    expect(run.exitCode).toBe(0);
    expect(existsSync(MARKER)).toBe(false);
  });

  test('a hostile target id or lab name is a usage error and nothing runs', async () => {
    const byTarget = await lab([
      'check',
      'service',
      '--inventory',
      info.paths.inventory,
      '--target',
      `c1$(touch ${MARKER})`,
    ]);
    expect(byTarget.exitCode).toBe(2);
    expect(byTarget.stderr).toContain(`no target "c1$(touch ${MARKER})"`);
    const byLab = await lab(['check', `service;touch ${MARKER}`, ...target()]);
    expect(byLab.exitCode).toBe(2);
    expect(byLab.stderr).toContain('is neither a lab name');
    expect(existsSync(MARKER)).toBe(false);
  });
});
