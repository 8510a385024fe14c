// The six checks against the simulated cluster (src/sim): the real kubectl v1.33 against the simulated
// apiserver in this process, the pod shell runs their in-pod scripts, kube-proxy/DNS/echo-hostname answer. Each seed
// stage passes on a healthy cluster, and each simulator fault fails the check it should, with its cause.
import { describeWithTools } from '../../helpers/with-tools.ts';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { findCheck } from '../../../src/checks/index.ts';
import type { CheckContext, CheckOutcome } from '../../../src/checks/types.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import type { Fault } from '../../../src/sim/model/state.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';
import { createSimPki, startSimCluster, type SimCluster, type SimPki } from '../../helpers/sim-cluster.ts';

const MANIFESTS = new URL('../../../manifests/service/', import.meta.url);
const NODES = [
  { name: 'master-node', internalIP: '192.168.57.10' },
  { name: 'worker-node01', internalIP: '192.168.57.11' },
  { name: 'worker-node02', internalIP: '192.168.57.12' },
] as const;

describeWithTools(['real-kubectl'], 'the real kubectl against the simulated apiserver', () => {
  let pki: SimPki;
  let cluster: SimCluster;
  let cleanups: (() => Promise<void>)[];
  let memory: Map<string, string>;

  const run = (argv: readonly string[], stdin = ''): Promise<ExecResult> => cluster.kubectl(argv, stdin);

  function context(): CheckContext {
    return {
      controlPlane: 'master-node',
      namespace: 'default',
      commandTimeoutMs: 10_000,
      memory: { get: (k) => memory.get(k), set: (k, v) => void memory.set(k, v) },
      onCleanup: (_label, undo) => void cleanups.push(undo),
      exec: () => Promise.reject(new Error('checks use ctx.kubectl')),
      kubectl: (args, options) => run(args, options?.stdin),
    };
  }

  async function apply(file: string): Promise<void> {
    const result = await run(['apply', '-f', '-'], readFileSync(new URL(file, MANIFESTS), 'utf8'));
    expect(result.exitCode, result.stderr).toBe(0);
  }

  function faults(list: Fault[]): void {
    cluster.server.cluster.mutate((state) => {
      state.config.faults = list;
    });
  }

  async function check(name: string, params: Record<string, unknown> = {}): Promise<CheckOutcome> {
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
    memory = new Map();
    cluster = await startSimCluster(
      pki,
      bootstrapCluster(NODES, {
        config: { readyDelayMs: 0, terminationDelayMs: 0, timeoutScale: 0.01, sleepScale: 0 },
      }),
    );
    await apply('hostname-deployment.yaml');
    await apply('hostname-service-clusterip.yaml');
  });

  afterEach(async () => {
    for (const undo of cleanups) await undo();
    await cluster.close();
  });

  describe('checks on a healthy simulated cluster (seed stages 2-6)', () => {
    test('stage 2: every pod answers by IP with its name', async () => {
      const outcome = await check('pods-answer-by-ip', { minPods: 3 });
      expect(outcome.message).toBe('3 pods answered by IP with their own names');
      expect(outcome.ok).toBe(true);
    });

    test('stage 3: reachable by ClusterIP and the three DNS names; spread fits', async () => {
      const reach = await check('service-reachable');
      expect(reach.message).toBe(
        'service hostname-service-clusterip answered by cluster-ip, short, namespaced, fqdn',
      );
      const spread = await check('service-spread');
      expect(spread.ok, spread.message).toBe(true);
    });

    test('stage 4: a deleted pod is replaced and never answers', async () => {
      const pods = JSON.parse((await run(['get', 'pods', '-l', 'app=webserver', '-o', 'json'])).stdout) as {
        items: { metadata: { name: string } }[];
      };
      const victim = pods.items[0]?.metadata.name ?? '';
      expect((await run(['delete', 'pod', victim])).exitCode).toBe(0);
      memory.set('deletedPod', victim);
      const outcome = await check('endpoint-replaced');
      expect(outcome.ok, outcome.message).toBe(true);
      expect(outcome.message).toMatch(new RegExp(`^${victim} is gone and never answered; 3 endpoints`));
    });

    test('stage 5: a new pod has the eight variables, the Deployment pods (older) have none', async () => {
      // creationTimestamp has one-second resolution: make the service strictly newer than the pods, as in
      // the seed (the service came an hour after the Deployment).
      await run(['delete', 'service', 'hostname-service-clusterip']);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await apply('hostname-service-clusterip.yaml');
      const outcome = await check('service-env');
      expect(outcome.ok, outcome.message).toBe(true);
      expect(outcome.message).toMatch(
        /has all 8 HOSTNAME_SERVICE_CLUSTERIP_\* variables; 3 older pod\(s\) have none$/,
      );
    });

    test('stage 6: with sessionAffinity ClientIP each client sticks to one pod', async () => {
      await apply('hostname-service-clusterip-affinity.yaml');
      const outcome = await check('session-affinity', { via: 'cluster-ip' });
      expect(outcome.ok, outcome.message).toBe(true);
      expect(Object.keys(outcome.observed?.['mapping'] as object)).toHaveLength(2);
    });

    test('session-affinity fails before stage 6 (sessionAffinity None)', async () => {
      expect((await check('session-affinity')).message).toBe(
        'service hostname-service-clusterip has sessionAffinity None, expected ClientIP: apply the manifest with sessionAffinity: ClientIP',
      );
    });
  });

  describe('each simulator fault fails the check it should, naming the cause', () => {
    test('skewed-balance → service-spread (uniformity)', async () => {
      faults(['skewed-balance']);
      const outcome = await check('service-spread');
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toMatch(/^answers are not spread evenly|never answered/);
    });

    test('kube-proxy-ipvs → service-spread mode rr passes; iptables mode fails rr', async () => {
      expect((await check('service-spread', { mode: 'rr' })).ok).toBe(false);
      faults(['kube-proxy-ipvs']);
      const rr = await check('service-spread', { mode: 'rr' });
      expect(rr.ok, rr.message).toBe(true);
    });

    test('dns-broken → service-reachable (by name), while by ClusterIP still answers', async () => {
      faults(['dns-broken']);
      const outcome = await check('service-reachable');
      expect(outcome.message).toBe(
        'http://hostname-service-clusterip:8080/ did not answer: does hostname-service-clusterip resolve? (nslookup hostname-service-clusterip from a pod; is CoreDNS Ready?)',
      );
      expect((await check('service-reachable', { names: ['cluster-ip'] })).ok).toBe(true);
    });

    test('blackhole-endpoint → service-spread (requests without answer)', async () => {
      faults(['blackhole-endpoint']);
      const outcome = await check('service-spread');
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toMatch(
        /requests to http:\/\/172\.17\.\d+\.\d+:8080\/ got no answer|never answered/,
      );
    });

    test('env-missing → service-env', async () => {
      faults(['env-missing']);
      const outcome = await check('service-env');
      expect(outcome.message).toMatch(/^pod labkit-env-\w{6} lacks 8 of 8 service variables/);
    });

    test('affinity-ignored → session-affinity (client reached several pods)', async () => {
      await apply('hostname-service-clusterip-affinity.yaml');
      faults(['affinity-ignored']);
      const outcome = await check('session-affinity', { requestsPerClient: 20 });
      expect(outcome.message).toMatch(
        /^affinity: client labkit-affinity-\w{6} reached [23] pods \(.*\): sessionAffinity ClientIP not in effect$/,
      );
    });

    test('no-replacement → endpoint-replaced (Deployment short of ready pods)', async () => {
      faults(['no-replacement']);
      const pods = JSON.parse((await run(['get', 'pods', '-l', 'app=webserver', '-o', 'json'])).stdout) as {
        items: { metadata: { name: string } }[];
      };
      await run(['delete', 'pod', pods.items[0]?.metadata.name ?? '']);
      const outcome = await check('endpoint-replaced');
      expect(outcome.message).toBe(
        'deployment hostname-deployment has 2/3 ready pods: the replacement is not Ready yet',
      );
    });
  });
});
