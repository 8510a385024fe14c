// The real kubectl v1.33 against the simulated apiserver: events (describe, get events) and a paced
// rolling update (rollout status progress lines, history, restart).
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { adminKubeconfig } from '../../../src/sim/apiserver/kubeconfig.ts';
import { installKubectl, KUBECTL_VERSION } from '../../../src/sim/apiserver/kubectl-binary.ts';
import { listenApiServer, type RunningApiServer } from '../../../src/sim/apiserver/listen.ts';
import { createClusterPki, readPki } from '../../../src/sim/apiserver/pki.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { FakeRuntime } from '../../helpers/fake-runtime.ts';
import { fakeKubelet } from '../../helpers/sim-cluster.ts';
import { writeStateFile } from '../../../src/sim/store.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

describeWithTools(['real-kubectl'], 'events and rollouts through the real kubectl', () => {
  let dir: string;
  let bin: string;
  let kubeconfig: string;
  let server: RunningApiServer;
  const k = (args: string[]) =>
    execa(bin, args, { env: { KUBECONFIG: kubeconfig, HOME: dir }, reject: false, timeout: 60_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labkit-events-'));
    bin = await installKubectl(join(REPO, 'node_modules', '.cache', 'labkit', `kubectl-${KUBECTL_VERSION}`));
    const pki = await createClusterPki(join(dir, 'pki'), { ips: ['127.0.0.1'], hostname: 'master-node' });
    const state = bootstrapCluster(
      [
        { name: 'master-node', internalIP: '10.0.0.10' },
        { name: 'worker-node01', internalIP: '10.0.0.11' },
        { name: 'worker-node02', internalIP: '10.0.0.12' },
      ],
      { config: { imagePullDelayMs: 400, terminationDelayMs: 300 } },
    );
    const stateFile = join(dir, 'state.json');
    await writeStateFile(stateFile, state);
    server = await listenApiServer({
      stateFile,
      pkiDir: pki.dir,
      address: '127.0.0.1',
      port: 0,
      kubelet: fakeKubelet(state, new FakeRuntime()),
    });
    kubeconfig = join(dir, 'admin.conf');
    await writeFile(kubeconfig, adminKubeconfig(`https://127.0.0.1:${server.port}`, await readPki(pki)));
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('describe pod shows the Events section; get events has the server columns', async () => {
    expect(
      (await k(['apply', '-f', join(REPO, 'manifests', 'service', 'hostname-deployment.yaml')])).exitCode,
    ).toBe(0);
    expect((await k(['rollout', 'status', 'deployment/hostname-deployment', '--timeout=20s'])).exitCode).toBe(
      0,
    );
    const pod = (await k(['get', 'pods', '-o', 'name'])).stdout.split('\n')[0] ?? '';
    const describe = (await k(['describe', pod])).stdout;
    const events = describe.slice(describe.indexOf('Events:'));
    expect(events).toMatch(
      /^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message\n {2}----\s+------\s+----\s+----\s+-------\n/,
    );
    expect(events).toMatch(
      /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/hostname-deployment-\S+ to worker-node0[12]/,
    );
    expect(events).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container my-webserver/);
    const get = (await k(['get', 'events'])).stdout.split('\n');
    expect(get[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(
      get.some((l) =>
        /Normal\s+SuccessfulCreate\s+replicaset\/hostname-deployment-\S+\s+Created pod: /.test(l),
      ),
    ).toBe(true);
    expect(
      get.some((l) =>
        /ScalingReplicaSet\s+deployment\/hostname-deployment\s+Scaled up replica set hostname-deployment-\S+ from 0 to 3/.test(
          l,
        ),
      ),
    ).toBe(true);
    const v1 = JSON.parse((await k(['get', 'events.v1.events.k8s.io', '-o', 'json'])).stdout) as {
      items: { note: string }[];
    };
    expect(v1.items.length).toBe(get.length - 1);
  }, 60_000);

  test('an image change rolls 1 pod at a time (maxSurge 1, maxUnavailable 0) with the real progress lines', async () => {
    expect(
      (await k(['set', 'image', 'deployment/hostname-deployment', 'my-webserver=nginx:1.27'])).exitCode,
    ).toBe(0);
    const status = await k(['rollout', 'status', 'deployment/hostname-deployment', '--timeout=40s']);
    const lines = [...new Set(status.stdout.split('\n'))];
    expect(lines).toContain(
      'Waiting for deployment "hostname-deployment" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(lines).toContain(
      'Waiting for deployment "hostname-deployment" rollout to finish: 2 out of 3 new replicas have been updated...',
    );
    expect(lines.at(-1)).toBe('deployment "hostname-deployment" successfully rolled out');
    const describe = (await k(['describe', 'deployment', 'hostname-deployment'])).stdout;
    expect(describe).toMatch(
      /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled down replica set hostname-deployment-\S+ from 3 to 2/,
    );
    const history = (await k(['rollout', 'history', 'deployment/hostname-deployment'])).stdout;
    expect(history.split('\n').slice(1)).toEqual([
      'REVISION  CHANGE-CAUSE',
      '1         <none>',
      '2         <none>',
      '',
    ]);
  }, 90_000);

  test('rollout restart sets restartedAt and makes revision 3', async () => {
    expect((await k(['rollout', 'restart', 'deployment/hostname-deployment'])).stdout).toBe(
      'deployment.apps/hostname-deployment restarted',
    );
    expect((await k(['rollout', 'status', 'deployment/hostname-deployment', '--timeout=40s'])).exitCode).toBe(
      0,
    );
    const annotations = (
      await k([
        'get',
        'deploy',
        'hostname-deployment',
        '-o',
        'jsonpath={.spec.template.metadata.annotations}',
      ])
    ).stdout;
    expect(annotations).toContain('kubectl.kubernetes.io/restartedAt');
    const history = (await k(['rollout', 'history', 'deployment/hostname-deployment'])).stdout;
    expect(history).toMatch(/\n3\s+<none>/);
  }, 90_000);

  test('rollout undo goes back to the previous template; get events -w streams new events', async () => {
    const watch = execa(bin, ['get', 'events', '-w', '--watch-only'], {
      env: { KUBECONFIG: kubeconfig, HOME: dir },
      reject: false,
      timeout: 6_000,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await k(['rollout', 'undo', 'deployment/hostname-deployment', '--to-revision=1'])).stdout).toBe(
      'deployment.apps/hostname-deployment rolled back',
    );
    expect((await k(['rollout', 'status', 'deployment/hostname-deployment', '--timeout=40s'])).exitCode).toBe(
      0,
    );
    const image = (
      await k([
        'get',
        'deploy',
        'hostname-deployment',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ])
    ).stdout;
    expect(image).toBe('docker.io/alicek106/rr-test:echo-hostname');
    // The controller found revision 1's ReplicaSet again (no new one), scaled it up and renumbered it 4.
    const history = (await k(['rollout', 'history', 'deployment/hostname-deployment'])).stdout;
    expect(history.split('\n').slice(1)).toEqual([
      'REVISION  CHANGE-CAUSE',
      '2         <none>',
      '3         <none>',
      '4         <none>',
      '',
    ]);
    const sets = (
      await k([
        'get',
        'rs',
        '-o',
        'jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}:{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}:{.spec.replicas}{"\\n"}{end}',
      ])
    ).stdout;
    expect(
      sets
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
    ).toEqual(['2::0', '3::0', '4:1:3']);
    const out = (await watch).stdout;
    // The 10th different ScalingReplicaSet message within 10 minutes is folded, as client-go's recorder does.
    expect(out).toMatch(
      /ScalingReplicaSet\s+deployment\/hostname-deployment\s+\(combined from similar events\): Scaled up replica set/,
    );
    expect((await k(['describe', 'service', 'kubernetes'])).stdout).toMatch(/Events:\s+<none>/);
  }, 90_000);
});
