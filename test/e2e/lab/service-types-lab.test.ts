// `lab solve service-types` / `lab check service-types` end to end on the testbed's simulated cluster 1, as
// test/e2e/lab/service-lab.test.ts does for the ClusterIP lab: a healthy testbed passes every step, and each
// fault of issue 15 fails exactly its step with a message naming what was wrong. Host-side requests go only to
// the testbed's own addresses (its node namespaces, 192.168.57.10-12, and the LoadBalancer pool
// 192.168.57.15-19 one of them answers for). Run under `flock /tmp/labkit-testbed.lock`.
// Pods and packets are real (src/sim/kubelet, src/sim/proxy, src/sim/dns): NodePorts on the node addresses,
// the LoadBalancer address, ExternalName's CNAME, the nodeport-one-node fault's rules.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireRootLinux } from '../ssh/testbed-fixture.ts';
import { REPO_ROOT, testbedDown, testbedUp, type TestbedInfo } from '../../testbed/index.ts';
import { setClusterFaults, type Fault } from '../../testbed/faults.ts';

const STATE = mkdtempSync(join(tmpdir(), 'labkit-types-e2e-'));
const FAULT_DEADLINE = '20s';
const STEPS = ['deployment', 'node-port', 'node-port-fixed', 'load-balancer', 'external-name', 'expose'];
let info: TestbedInfo;

interface ReportJson {
  exitCode: number;
  steps: { id: string; status: string; message: string }[];
}

async function lab(args: string[], timeoutMs = 900_000) {
  return execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { LAB_STATE_DIR: STATE, CI: 'true' },
    reject: false,
    timeout: timeoutMs,
  });
}

const target = () => ['--inventory', info.paths.inventory, '--target', 'c1'];

async function checkWithReport(name: string, extra: string[] = []) {
  const file = join(STATE, `${name}.json`);
  const run = await lab(['check', 'service-types', ...target(), '--report', `json:${file}`, ...extra]);
  if (!existsSync(file))
    throw new Error(`lab check wrote no report (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;
  return { run, report, failed: report.steps.filter((s) => s.status !== 'pass').map((s) => s.id) };
}

describe('lab service-types on the simulated cluster', () => {
  beforeAll(async () => {
    requireRootLinux();
    info = await testbedUp({ clusters: 1, simulated: { faults: [] } });
  }, 300_000);

  afterAll(async () => {
    await testbedDown();
    rmSync(STATE, { recursive: true, force: true });
  }, 300_000);

  test('solve --all, then check passes every step', async () => {
    const solve = await lab(['solve', 'service-types', '--all', ...target()]);
    expect(solve.stdout, solve.stderr).toContain(`${STEPS.length}/${STEPS.length} steps passed`);
    const { run, failed } = await checkWithReport('healthy');
    expect(failed, run.stdout).toEqual([]);
    expect(run.exitCode).toBe(0);
  }, 1_500_000);

  const faults: { fault: Fault; failing: string[]; message: RegExp }[] = [
    // Open only on the nodes running a pod: the master (no tutorial pod) stays silent. Every step that
    // promises a NodePort on every node fails on it (the allocated, the fixed and the exposed one); the
    // LoadBalancer step does not depend on it (its traffic goes to the EXTERNAL-IP).
    {
      fault: 'nodeport-one-node',
      failing: ['node-port', 'node-port-fixed', 'expose'],
      message: /answers only on the nodes running its pods/,
    },
    // No address is ever given: EXTERNAL-IP <pending>.
    { fault: 'lb-pending', failing: ['load-balancer'], message: /<pending>/ },
  ];
  for (const c of faults)
    test(`fault ${c.fault}: lab check fails ${c.failing.join(', ')} and nothing else`, async () => {
      await setClusterFaults([c.fault]);
      try {
        const { run, report, failed } = await checkWithReport(c.fault, ['--timeout', FAULT_DEADLINE]);
        expect(failed, run.stdout).toEqual(c.failing);
        expect(run.exitCode).toBe(1);
        expect(report.steps.find((s) => s.id === c.failing[0])?.message).toMatch(c.message);
      } finally {
        await setClusterFaults([]);
      }
    }, 900_000);
});
