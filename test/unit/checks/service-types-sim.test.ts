// The issue-15 checks that read the API, against the simulated apiserver with the real kubectl (its kubelet on
// FakeRuntime): `kubectl expose` makes a Service equal in effect to the NodePort manifest, the MetalLB-like
// allocator's address is what load-balancer-ip reads, and `lb-pending` leaves it <pending> in kubectl's own
// table. Traffic (NodePort on every node, the EXTERNAL-IP) runs on the testbed:
// test/e2e/lab/service-types-lab.test.ts.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { findCheck } from '../../../src/checks/index.ts';
import type { CheckContext, CheckOutcome } from '../../../src/checks/types.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';
import { createSimPki, startSimCluster, type SimCluster, type SimPki } from '../../helpers/sim-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const MANIFESTS = new URL('../../../manifests/', import.meta.url);
const NODES = [
  { name: 'master-node', internalIP: '192.168.57.10' },
  { name: 'worker-node01', internalIP: '192.168.57.11' },
  { name: 'worker-node02', internalIP: '192.168.57.12' },
] as const;

describeWithTools(['real-kubectl'], 'service-types checks against the simulated apiserver', () => {
  let pki: SimPki;
  let cluster: SimCluster;
  let cleanups: (() => Promise<void>)[];

  const run = (argv: readonly string[], stdin = ''): Promise<ExecResult> => cluster.kubectl(argv, stdin);
  const context = (): CheckContext => ({
    controlPlane: 'master-node',
    namespace: 'default',
    commandTimeoutMs: 10_000,
    memory: { get: () => undefined, set: () => undefined },
    onCleanup: (_label, undo) => void cleanups.push(undo),
    exec: () => Promise.reject(new Error('checks use ctx.kubectl here')),
    kubectl: (args, options) => run(args, options?.stdin),
  });
  async function apply(file: string): Promise<void> {
    const result = await run(['apply', '-f', '-'], readFileSync(new URL(file, MANIFESTS), 'utf8'));
    expect(result.exitCode, result.stderr).toBe(0);
  }
  async function check(name: string, params: Record<string, unknown>): Promise<CheckOutcome> {
    const builtin = findCheck(name);
    if (!builtin) throw new Error(`no check ${name}`);
    return builtin.run(context(), builtin.params.parse(params));
  }

  beforeAll(async () => {
    pki = await createSimPki();
  }, 60_000);
  afterAll(async () => pki.remove());
  beforeEach(async () => {
    cleanups = [];
    cluster = await startSimCluster(
      pki,
      bootstrapCluster(NODES, {
        config: { imagePullDelayMs: 0, terminationDelayMs: 0 },
      }),
    );
    await apply('service/hostname-deployment.yaml');
  });
  afterEach(async () => {
    for (const undo of cleanups) await undo();
    await cluster.close();
  });

  test('kubectl expose makes a Service equal in effect to the NodePort manifest; a ClusterIP expose is not', async () => {
    const expose = await run([
      'expose',
      'deployment',
      'hostname-deployment',
      '--name=hostname-service-expose',
      '--type=NodePort',
      '--port=8080',
      '--target-port=80',
    ]);
    expect(expose.exitCode, expose.stderr).toBe(0);
    const outcome = await check('service-shape', { service: 'hostname-service-expose' });
    expect(outcome.message).toBe(
      'service hostname-service-expose is equal in effect: NodePort, selector app=webserver, ports 8080→80/TCP',
    );
    expect((await run(['get', 'service', 'hostname-service-expose'])).stdout).toMatch(/8080:3\d{4}\/TCP/);
    await run(['expose', 'deployment', 'hostname-deployment', '--name=plain', '--port=8080']);
    const plain = await check('service-shape', { service: 'plain' });
    expect(plain.ok).toBe(false);
    expect(plain.message).toContain('type ClusterIP, expected NodePort (kubectl expose --type=NodePort)');
    expect(plain.message).toContain('port 8080 has targetPort 8080, expected 80');
  });

  test('a fixed nodePort 31000 is what node-port-open reads (its range and value checks)', async () => {
    await apply('service-types/hostname-service-nodeport-31000.yaml');
    expect((await run(['get', 'service', 'hostname-service-nodeport'])).stdout).toContain('8080:31000/TCP');
    const wrong = await check('node-port-open', { service: 'hostname-service-nodeport', nodePort: 31001 });
    expect(wrong.message).toContain('has nodePort 31000, expected the fixed 31001');
  });

  test('LoadBalancer: the allocator gives a pool address; lb-pending leaves <pending> and the check says so', async () => {
    await apply('service-types/hostname-service-lb.yaml');
    const table = (await run(['get', 'service', 'hostname-service-lb'])).stdout;
    expect(table).toMatch(/hostname-service-lb\s+LoadBalancer\s+\S+\s+192\.168\.57\.15\s+8080:3\d{4}\/TCP/);
    const assigned = await check('load-balancer-ip', {
      service: 'hostname-service-lb',
      pool: '192.168.57.15-192.168.57.19',
      fromHost: false,
    });
    expect(assigned).toMatchObject({
      ok: true,
      message: 'service hostname-service-lb has EXTERNAL-IP 192.168.57.15 from 192.168.57.15-192.168.57.19',
    });
    cluster.server.cluster.mutate((state) => {
      state.config.faults = ['lb-pending'];
    });
    expect((await run(['get', 'service', 'hostname-service-lb'])).stdout).toContain('<pending>');
    const pending = await check('load-balancer-ip', { service: 'hostname-service-lb', fromHost: false });
    expect(pending.ok).toBe(false);
    expect(pending.message).toContain('has no EXTERNAL-IP (<pending>)');
  });

  test('ExternalName: no ClusterIP, no endpoints, the externalName as applied', async () => {
    await apply('service-types/hostname-service-externalname.yaml');
    const table = (await run(['get', 'service', 'hostname-service-externalname'])).stdout;
    expect(table).toMatch(/hostname-service-externalname\s+ExternalName\s+<none>\s+www\.example\.com/);
    const wrong = await check('external-name', { target: 'db.example.org' });
    expect(wrong.message).toBe(
      'service hostname-service-externalname has externalName www.example.com, expected db.example.org',
    );
  });
});
