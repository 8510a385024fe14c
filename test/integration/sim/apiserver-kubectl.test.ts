// The real kubectl v1.33 against the simulated kube-apiserver, in this process: apply/delete/scale/label/
// patch messages as kubectl prints them, Status errors, watch, restarts, and every `-o json` object validated
// against the Kubernetes schemas (kubernetes-models). The kubelet runs the pods in FakeRuntime; exec, logs
// and run -i against real processes are in test/e2e/sim/pods.test.ts.
import { describeWithTools } from '../../helpers/with-tools.ts';
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pod, Service, Node } from 'kubernetes-models/v1';
import { Deployment, ReplicaSet } from 'kubernetes-models/apps/v1';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminKubeconfig } from '../../../src/sim/apiserver/kubeconfig.ts';
import { installKubectl, KUBECTL_VERSION } from '../../../src/sim/apiserver/kubectl-binary.ts';
import { listenApiServer, type RunningApiServer } from '../../../src/sim/apiserver/listen.ts';
import { createClusterPki, readPki, type PkiFiles } from '../../../src/sim/apiserver/pki.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { readStateFile, writeStateFile } from '../../../src/sim/store.ts';
import { FakeRuntime } from '../../helpers/fake-runtime.ts';
import { fakeKubelet, TestKubelet } from '../../helpers/sim-cluster.ts';
import { addSeedPod, seedCluster } from '../../unit/sim/helpers.ts';

interface Cluster {
  readonly server: RunningApiServer;
  readonly kubeconfig: string;
  readonly runtime: FakeRuntime;
}

const REPO = join(import.meta.dirname, '..', '..', '..');
const NOW = Date.parse('2023-06-01T12:00:00Z');

describeWithTools(['real-kubectl'], 'the real kubectl against the simulated apiserver', () => {
  let dir: string;
  let kubectlBin: string;
  let pki: PkiFiles;

  async function startCluster(
    state: ReturnType<typeof seedCluster>,
    name: string,
    now?: () => number,
    runtime = new FakeRuntime(),
  ): Promise<Cluster> {
    const stateFile = join(dir, `${name}.json`);
    await writeStateFile(stateFile, state);
    const server = await listenApiServer({
      stateFile,
      pkiDir: pki.dir,
      address: '127.0.0.1',
      port: 0,
      kubelet: fakeKubelet(state, runtime),
      ...(now ? { now } : {}),
    });
    const kubeconfig = join(dir, `${name}.conf`);
    await writeFile(kubeconfig, adminKubeconfig(`https://127.0.0.1:${server.port}`, await readPki(pki)));
    return { server, kubeconfig, runtime };
  }

  function kubectl(kubeconfig: string, args: readonly string[], input?: string) {
    return execa(kubectlBin, args, {
      env: { KUBECONFIG: kubeconfig, HOME: dir },
      reject: false,
      timeout: 30_000,
      ...(input !== undefined ? { input } : {}),
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labkit-apiserver-'));
    kubectlBin = await installKubectl(
      join(REPO, 'node_modules', '.cache', 'labkit', `kubectl-${KUBECTL_VERSION}`),
    );
    pki = await createClusterPki(join(dir, 'pki'), { ips: ['127.0.0.1'], hostname: 'master-node' });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('reads through the real kubectl (frozen clock; the seed tables: test/unit/sim/tables.test.ts)', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      const state = seedCluster(NOW - (4 * 24 + 21) * 3_600_000);
      for (const [name, ip, node] of [
        ['hostname-deployment-7d4f978855-8h2m9', '172.16.158.8', 'worker-node02'],
        ['hostname-deployment-7d4f978855-pzkgc', '172.16.87.234', 'worker-node01'],
        ['hostname-deployment-7d4f978855-v7zlc', '172.16.158.7', 'worker-node02'],
      ] as const)
        addSeedPod(state, name, ip, node, NOW - 41_000);
      // The kubelet has run the pods; the apiserver's kubelet adopts their containers.
      const pods = await TestKubelet.start(state, NOW);
      cluster = await startCluster(state, 'seed', () => NOW, pods.runtime);
    }, 60_000);
    afterAll(async () => cluster.server.close());

    test('every object of -o json validates against the Kubernetes schemas', async () => {
      const models: Record<string, (o: unknown) => { validate(): void }> = {
        Pod: (o) => new Pod(o as never),
        Service: (o) => new Service(o as never),
        Node: (o) => new Node(o as never),
        Deployment: (o) => new Deployment(o as never),
        ReplicaSet: (o) => new ReplicaSet(o as never),
      };
      const r = await kubectl(cluster.kubeconfig, ['get', 'pods,services,nodes', '-A', '-o', 'json']);
      const list = JSON.parse(r.stdout) as { items: { kind: string }[] };
      expect(list.items.length).toBeGreaterThan(5);
      for (const item of list.items) {
        const model = models[item.kind];
        expect(model, item.kind).toBeDefined();
        expect(() => model?.(item).validate(), JSON.stringify(item)).not.toThrow();
      }
    });

    test("a missing object is the server's NotFound", async () => {
      const r = await kubectl(cluster.kubeconfig, ['get', 'pod', 'nope']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found');
    });

    test('no client certificate: anonymous is forbidden (only /version is public)', async () => {
      const pem = await readPki(pki);
      const get = (path: string) =>
        new Promise<{ code: number; body: string }>((resolve, reject) => {
          const req = httpsGet(
            { host: '127.0.0.1', port: cluster.server.port, path, ca: pem.caCert, servername: 'kubernetes' },
            (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
            },
          );
          req.on('error', reject);
        });
      const pods = await get('/api/v1/namespaces/default/pods');
      expect(pods.code).toBe(403);
      expect(JSON.parse(pods.body)).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        message: 'forbidden: User "system:anonymous" cannot get path "/api/v1/namespaces/default/pods"',
      });
      expect((await get('/version')).code).toBe(200);
    });
  });

  describe('writes through the real kubectl (real clock)', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      const state = bootstrapCluster(
        [
          { name: 'master-node', internalIP: '10.0.0.10' },
          { name: 'worker-node01', internalIP: '10.0.0.11' },
          { name: 'worker-node02', internalIP: '10.0.0.12' },
        ],
        { config: { imagePullDelayMs: 300, terminationDelayMs: 300 } },
      );
      cluster = await startCluster(state, 'writes');
    }, 60_000);
    afterAll(async () => cluster.server.close());
    const manifest = (name: string): string => join(REPO, 'manifests', 'service', name);

    test('apply: created, then configured, then unchanged; a typo is a strict decoding error', async () => {
      const k = (args: string[], input?: string) => kubectl(cluster.kubeconfig, args, input);
      expect((await k(['apply', '-f', manifest('hostname-deployment.yaml')])).stdout).toBe(
        'deployment.apps/hostname-deployment created',
      );
      expect((await k(['apply', '-f', manifest('hostname-service-clusterip.yaml')])).stdout).toBe(
        'service/hostname-service-clusterip created',
      );
      expect((await k(['apply', '-f', manifest('hostname-service-clusterip-affinity.yaml')])).stdout).toBe(
        'service/hostname-service-clusterip configured',
      );
      expect((await k(['apply', '-f', manifest('hostname-service-clusterip-affinity.yaml')])).stdout).toBe(
        'service/hostname-service-clusterip unchanged',
      );
      const bad = (await readFile(manifest('hostname-deployment.yaml'), 'utf8')).replace(
        'replicas:',
        'replica:',
      );
      const r = await k(['apply', '-f', '-'], bad);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"',
      );
      const svc = JSON.parse(
        (await k(['get', 'svc', 'hostname-service-clusterip', '-o', 'json'])).stdout,
      ) as {
        spec: { sessionAffinity: string };
      };
      expect(svc.spec.sessionAffinity).toBe('ClientIP');
    });

    test('rollout status ends when the pods are ready; delete pod gets a replacement', async () => {
      const k = (args: string[]) => kubectl(cluster.kubeconfig, args);
      const status = await k(['rollout', 'status', 'deployment/hostname-deployment', '--timeout=20s']);
      expect(status.stdout).toContain('deployment "hostname-deployment" successfully rolled out');
      const names = (await k(['get', 'pods', '-l', 'app=webserver', '-o', 'name'])).stdout.split('\n');
      expect(names).toHaveLength(3);
      const victim = names[0] ?? '';
      const del = await k(['delete', victim]);
      expect(del.stdout).toBe(`${victim.replace('pod/', 'pod "')}" deleted`);
      const after = (await k(['get', 'pods', '-l', 'app=webserver', '-o', 'name'])).stdout.split('\n');
      expect(after).toHaveLength(3);
      expect(after).not.toContain(victim);
    });

    test('scale, label, patch', async () => {
      const k = (args: string[]) => kubectl(cluster.kubeconfig, args);
      expect((await k(['scale', 'deployment', 'hostname-deployment', '--replicas=4'])).stdout).toBe(
        'deployment.apps/hostname-deployment scaled',
      );
      expect(
        (await k(['get', 'deploy', 'hostname-deployment', '-o', 'jsonpath={.spec.replicas}'])).stdout,
      ).toBe('4');
      expect((await k(['label', 'svc', 'hostname-service-clusterip', 'tier=web'])).stdout).toBe(
        'service/hostname-service-clusterip labeled',
      );
      expect((await k(['get', 'svc', '-l', 'tier=web', '-o', 'name'])).stdout).toBe(
        'service/hostname-service-clusterip',
      );
      const patched = await k([
        'patch',
        'deployment',
        'hostname-deployment',
        '--type=merge',
        '-p',
        '{"spec":{"replicas":2}}',
      ]);
      expect(patched.stdout).toBe('deployment.apps/hostname-deployment patched');
      const json = await k([
        'patch',
        'svc',
        'hostname-service-clusterip',
        '--type=json',
        '-p',
        '[{"op":"remove","path":"/metadata/labels/tier"}]',
      ]);
      expect(json.stdout).toBe('service/hostname-service-clusterip patched');
    });

    test('run a detached busybox pod: Running while its process runs, Completed once it exits 0', async () => {
      // The process is FakeRuntime's (exec, logs and real processes: test/e2e/sim/pods.test.ts).
      const k = (args: string[]) => kubectl(cluster.kubeconfig, args);
      expect(
        (await k(['run', 'hello', '--image=docker.io/busybox', '--restart=Never', '--', 'sh', '-c', 'true']))
          .stdout,
      ).toBe('pod/hello created');
      const running = await k(['wait', '--for=condition=Ready', 'pod/hello', '--timeout=20s']);
      expect(running.stdout).toBe('pod/hello condition met');
      const container = cluster.runtime.containers.find((c) => c.config.argv.join(' ') === 'sh -c true');
      expect(container?.config.env).toContainEqual(['HOSTNAME', 'hello']);
      container?.exit(0);
      const wait = await k([
        'wait',
        '--for=jsonpath={.status.phase}=Succeeded',
        'pod/hello',
        '--timeout=20s',
      ]);
      expect(wait.stdout).toBe('pod/hello condition met');
      expect((await k(['get', 'pod', 'hello', '--no-headers'])).stdout).toMatch(
        /^hello\s+0\/1\s+Completed\s+0\s/,
      );
    });

    test('create deployment and create service (protobuf bodies)', async () => {
      const k = (args: string[], input?: string) => kubectl(cluster.kubeconfig, args, input);
      expect((await k(['create', 'deployment', 'web', '--image=nginx'])).stdout).toBe(
        'deployment.apps/web created',
      );
      expect((await k(['create', 'service', 'clusterip', 'web', '--tcp=80:80'])).stdout).toBe(
        'service/web created',
      );
    });

    test('get pods -w shows a deleted pod going Terminating and its replacement appearing', async () => {
      const names = (
        await kubectl(cluster.kubeconfig, ['get', 'pods', '-l', 'app=webserver', '-o', 'name'])
      ).stdout.split('\n');
      const victim = (names[0] ?? '').replace('pod/', '');
      const watch = execa(kubectlBin, ['get', 'pods', '-l', 'app=webserver', '-w'], {
        env: { KUBECONFIG: cluster.kubeconfig, HOME: dir },
        reject: false,
        timeout: 4_000,
      });
      await new Promise((r) => setTimeout(r, 1_000));
      await kubectl(cluster.kubeconfig, ['delete', 'pod', victim, '--wait=false']);
      const out = (await watch).stdout.split('\n');
      expect(out[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      expect(out.some((l) => l.startsWith(victim) && /\sTerminating\s/.test(l))).toBe(true);
      const fresh = out.filter(
        (l) => !names.includes(`pod/${l.split(/\s+/)[0] ?? ''}`) && !l.startsWith('NAME'),
      );
      expect(fresh.some((l) => /\s(ContainerCreating|Pending|Running)\s/.test(l))).toBe(true);
    });

    test('state survives a restart of the apiserver', async () => {
      const port = cluster.server.port;
      await cluster.server.close();
      const restarted = await listenApiServer({
        stateFile: join(dir, 'writes.json'),
        pkiDir: pki.dir,
        address: '127.0.0.1',
        port,
        kubelet: fakeKubelet(await readStateFile(join(dir, 'writes.json')), cluster.runtime),
      });
      cluster = { ...cluster, server: restarted };
      const r = await kubectl(cluster.kubeconfig, [
        'get',
        'deploy',
        'hostname-deployment',
        '-o',
        'jsonpath={.spec.replicas}',
      ]);
      expect(r.stdout).toBe('2');
    });
  });
});
