// The simulated lab's master as kubeadm's instructions leave it: user vagrant's ~/.kube/config is the
// cluster's admin.conf (mode 600, owned by vagrant) and kubectl reads it without KUBECONFIG; each testbed
// cluster's master has its own ~/.kube (a bind mount in that master's sshd mount namespace), and the
// workers have no kubeconfig. Run under `flock /tmp/labkit-netlab.lock npx vitest run --project e2e test/e2e/sim`.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.ts';
import { createSshPool, type SshPool } from '../../../src/ssh/pool.ts';
import { studentTargetName, targetsFromInventory } from '../../../src/ssh/targets.ts';
import { simulatedKubeconfig, studentId, testbedDown, testbedUp } from '../../testbed/index.ts';
import { requireRootLinux } from '../ssh/testbed-fixture.ts';

let pool: SshPool;
const host = (cluster: number, name: string): string => studentTargetName(studentId(cluster), name);
const sh = (target: string, script: string) =>
  pool.exec(target, { argv: ['sh', '-c', script] }, { timeoutMs: 30_000 });

beforeAll(async () => {
  requireRootLinux();
  const info = await testbedUp({ clusters: 2 });
  pool = createSshPool(targetsFromInventory(await loadInventory(info.paths.inventory)));
}, 180_000);

afterAll(async () => {
  await pool?.close();
  await testbedDown();
}, 120_000);

test('each master has its own ~/.kube/config, the cluster admin.conf, and kubectl uses it', async () => {
  for (const cluster of [1, 2]) {
    const master = host(cluster, 'master-node');
    const stat = await sh(
      master,
      'echo "${KUBECONFIG-unset}"; stat -c "%a %U" ~/.kube/config; cat ~/.kube/config',
    );
    expect(stat.exitCode, stat.stderr).toBe(0);
    const [kubeconfigVar, mode, ...config] = stat.stdout.split('\n');
    expect(kubeconfigVar).toBe('unset');
    expect(mode).toBe('600 vagrant');
    expect(config.join('\n').trim()).toBe((await readFile(simulatedKubeconfig(cluster), 'utf8')).trim());
    const server = await pool.exec(
      master,
      { argv: ['kubectl', 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'] },
      { timeoutMs: 30_000 },
    );
    expect(server.stdout).toBe(`https://192.168.57.${cluster === 1 ? 10 : 20}:6443`);
    const nodes = await pool.exec(
      master,
      { argv: ['kubectl', 'get', 'nodes', '-o', 'name'] },
      { timeoutMs: 30_000 },
    );
    expect(nodes.stdout.trim().split('\n').sort()).toEqual([
      'node/master-node',
      'node/worker-node01',
      'node/worker-node02',
    ]);
  }
}, 120_000);

test('a worker has no kubeconfig (its ~/.kube is the machine-wide, empty one)', async () => {
  const worker = await sh(host(1, 'worker-node01'), 'ls -A ~/.kube; echo "${KUBECONFIG-unset}"');
  expect(worker.stdout.trim()).toBe('unset');
}, 60_000);
