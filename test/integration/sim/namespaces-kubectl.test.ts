// The real kubectl v1.33 against the simulated apiserver: namespaces as kube-apiserver and the namespace
// controller keep them (get ns columns, create, apply, NamespaceLifecycle's errors, delete with its wait).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { FakeRuntime } from '../../helpers/fake-runtime.ts';
import { createSimPki, startSimCluster, type SimCluster, type SimPki } from '../../helpers/sim-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const NAMESPACE_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: lab
  labels:
    team: a
`;

describeWithTools(['real-kubectl'], 'namespaces through the real kubectl', () => {
  let pki: SimPki;
  let cluster: SimCluster;
  let dir: string;
  const k = async (args: string[]) => {
    const r = await cluster.kubectl(args);
    return { exitCode: r.exitCode, stdout: r.stdout.trimEnd(), stderr: r.stderr.trimEnd() };
  };

  beforeAll(async () => {
    pki = await createSimPki();
    dir = pki.dir;
    const state = bootstrapCluster(
      [
        { name: 'master-node', internalIP: '10.0.0.10' },
        { name: 'worker-node01', internalIP: '10.0.0.11' },
        { name: 'worker-node02', internalIP: '10.0.0.12' },
      ],
      // Pods stay Terminating 10 s (their PID 1 ignores SIGTERM: SIGKILL after the grace): long enough to
      // be seen on a loaded machine.
      { config: { imagePullDelayMs: 300, terminationDelayMs: 10_000 } },
    );
    const runtime = new FakeRuntime();
    runtime.honoursSigterm = false;
    cluster = await startSimCluster(pki, state, { runtime });
    await writeFile(join(dir, 'ns.yaml'), NAMESPACE_YAML);
  }, 120_000);
  afterAll(async () => {
    await cluster.close();
    await pki.remove();
  });

  test("get ns: kubeadm's four with NAME STATUS AGE; create ns; apply of a Namespace", async () => {
    const get = (await k(['get', 'ns'])).stdout.split('\n');
    expect(get[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(get.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'default Active',
      'kube-node-lease Active',
      'kube-public Active',
      'kube-system Active',
    ]);
    expect((await k(['create', 'namespace', 'tmp'])).stdout).toBe('namespace/tmp created');
    expect((await k(['apply', '-f', join(dir, 'ns.yaml')])).stdout).toBe('namespace/lab created');
    expect((await k(['apply', '-f', join(dir, 'ns.yaml')])).stdout).toBe('namespace/lab unchanged');
    expect((await k(['get', 'ns', 'lab', '-o', 'jsonpath={.metadata.labels}'])).stdout).toBe(
      '{"kubernetes.io/metadata.name":"lab","team":"a"}',
    );
    expect((await k(['label', 'ns', 'lab', 'team-'])).stdout).toBe('namespace/lab unlabeled');
    expect((await k(['get', 'ns', 'lab', '-o', 'jsonpath={.metadata.labels}'])).stdout).toBe(
      '{"kubernetes.io/metadata.name":"lab"}',
    );
    const create = await k(['create', 'namespace', 'tmp']);
    expect(create.stderr).toBe('Error from server (AlreadyExists): namespaces "tmp" already exists');
  }, 60_000);

  test('NamespaceLifecycle: a create in a missing namespace is NotFound; the immortal three stay', async () => {
    const apply = await k([
      'apply',
      '-n',
      'nope',
      '-f',
      join(REPO, 'manifests', 'service', 'hostname-deployment.yaml'),
    ]);
    expect(apply.exitCode).not.toBe(0);
    expect(apply.stderr).toMatch(
      /Error from server \(NotFound\): error when creating ".*hostname-deployment.yaml": namespaces "nope" not found/,
    );
    const del = await k(['delete', 'namespace', 'default']);
    expect(del.stderr).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted',
    );
  }, 60_000);

  test('delete ns: Terminating while its pods end, no new content, then gone', async () => {
    expect(
      (await k(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', 'lab'])).exitCode,
    ).toBe(0);
    expect((await k(['rollout', 'status', 'deployment/web', '-n', 'lab', '--timeout=20s'])).exitCode).toBe(0);
    expect((await k(['delete', 'ns', 'lab', '--wait=false'])).stdout).toBe('namespace "lab" deleted');
    const pods = (await k(['get', 'pods', '-n', 'lab', '--no-headers'])).stdout.split('\n');
    expect(pods).toHaveLength(2);
    for (const line of pods) expect(line).toMatch(/^web-\S+\s+1\/1\s+Terminating\s/);
    expect((await k(['get', 'ns', 'lab', '--no-headers'])).stdout).toMatch(/^lab\s+Terminating\s+\S+$/);
    expect((await k(['get', 'deploy,rs', '-n', 'lab'])).stderr).toBe('No resources found in lab namespace.');
    const create = await k(['create', 'secret', 'generic', 's', '--from-literal=a=b', '-n', 'lab']);
    expect(create.stderr).toBe(
      'error: failed to create secret secrets "s" is forbidden: unable to create new content in namespace lab because it is being terminated',
    );
    // A second DELETE while it is emptied is a Conflict, as kube-apiserver's namespace registry answers.
    expect((await k(['delete', 'ns', 'lab'])).stderr).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on namespaces "lab": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    );
    expect((await k(['wait', '--for=delete', 'namespace/lab', '--timeout=30s'])).exitCode).toBe(0);
    // An empty namespace goes at once; kubectl delete waits for it to be gone.
    expect((await k(['delete', 'namespace', 'tmp'])).stdout).toBe('namespace "tmp" deleted');
    expect((await k(['get', 'ns', 'tmp'])).exitCode).toBe(1);
    const gone = await k(['get', 'ns', 'lab']);
    expect(gone.stderr).toBe('Error from server (NotFound): namespaces "lab" not found');
    expect((await k(['get', 'pods', '-n', 'lab'])).stderr).toBe('No resources found in lab namespace.');
  }, 60_000);
});
