// The real kubectl v1.33 against the simulated apiserver: server-side apply (application/apply-patch+yaml)
// with managedFields as kube-apiserver's field manager keeps them: create and update, Update entries of
// other writers, conflicts and --force-conflicts, the removal of fields an applier stops applying.
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readPki } from '../../../src/sim/apiserver/pki.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import {
  createSimPki,
  startSimCluster,
  testKubectl,
  type SimCluster,
  type SimPki,
} from '../../helpers/sim-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const deployment = (replicas: number, labels = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
`;

/** The Apply entry's fields for deployment(): what the configuration sets, ports keyed with the default protocol. */
const APPLIED = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    },
  },
};

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsType: string;
  fieldsV1: unknown;
  time: string;
}

describeWithTools(['real-kubectl'], 'server-side apply through the real kubectl', () => {
  let pki: SimPki;
  let cluster: SimCluster;
  let file: string;
  const k = async (args: string[]) => {
    const r = await cluster.kubectl(args);
    return { exitCode: r.exitCode, stdout: r.stdout.trimEnd(), stderr: r.stderr.trimEnd() };
  };
  const managed = async (kind: string, name: string): Promise<Entry[]> =>
    JSON.parse((await k(['get', kind, name, '-o', 'jsonpath={.metadata.managedFields}'])).stdout) as Entry[];
  const apply = async (yaml: string, ...flags: string[]) => {
    await writeFile(file, yaml);
    return k(['apply', '--server-side', ...flags, '-f', file]);
  };

  beforeAll(async () => {
    pki = await createSimPki();
    const state = bootstrapCluster(
      [
        { name: 'master-node', internalIP: '10.0.0.10' },
        { name: 'worker-node01', internalIP: '10.0.0.11' },
      ],
      {},
    );
    cluster = await startSimCluster(pki, state);
    file = join(pki.dir, 'web.yaml');
  }, 120_000);
  afterAll(async () => {
    await cluster.close();
    await pki.remove();
  });

  test('create, unchanged, configured; the Apply entry; a label no longer applied goes', async () => {
    expect((await apply(deployment(2))).stdout).toBe('deployment.apps/web serverside-applied');
    const [entry, ...others] = await managed('deploy', 'web');
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    expect(entry?.fieldsV1).toEqual(APPLIED);
    const before = await managed('deploy', 'web');
    expect((await apply(deployment(2))).stdout).toBe('deployment.apps/web serverside-applied');
    // Unchanged: nothing is written (no new generation, the entry keeps its time).
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}'])).stdout).toBe('1');
    expect(await managed('deploy', 'web')).toEqual(before);
    expect((await apply(deployment(3, '\n    tier: front'))).exitCode).toBe(0);
    expect(
      (await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels}'])).stdout,
    ).toBe('3 {"app":"web","tier":"front"}');
    expect((await apply(deployment(3))).exitCode).toBe(0);
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels}'])).stdout).toBe(
      '{"app":"web"}',
    );
    // kubectl hides managedFields unless asked.
    expect((await k(['get', 'deploy', 'web', '-o', 'yaml'])).stdout).not.toContain('managedFields');
    expect((await k(['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields'])).stdout).toContain(
      '    manager: kubectl\n    operation: Apply\n',
    );
  }, 60_000);

  test('kubectl scale owns spec.replicas (subresource scale); a different replicas conflicts; --force-conflicts takes it', async () => {
    expect((await k(['scale', 'deploy', 'web', '--replicas=5'])).stdout).toBe('deployment.apps/web scaled');
    // kubectl's user agent starts with the name it was run by.
    const scaler = basename(await testKubectl());
    const scale = (await managed('deploy', 'web')).find((e) => e.subresource === 'scale');
    expect(scale).toMatchObject({ manager: scaler, operation: 'Update', apiVersion: 'apps/v1' });
    expect(scale?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const refused = await apply(deployment(4));
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe(
      `error: Apply failed with 1 conflict: conflict with "${scaler}" with subresource "scale" using apps/v1: .spec.replicas`,
    );
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('5');
    // A server dry run answers the merged object and stores nothing.
    expect((await apply(deployment(6), '--force-conflicts', '--dry-run=server')).stdout).toBe(
      'deployment.apps/web serverside-applied (server dry run)',
    );
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('5');
    // The same value is no conflict: both own it.
    expect((await apply(deployment(5))).exitCode).toBe(0);
    expect((await apply(deployment(4), '--force-conflicts')).stdout).toBe(
      'deployment.apps/web serverside-applied',
    );
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('4');
    const after = await managed('deploy', 'web');
    expect(after.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply']);
  }, 60_000);

  test('after a client-side apply: conflict with kubectl-client-side-apply, forced, then migrated by kubectl', async () => {
    const csa = deployment(2).replace(/name: web\n/, 'name: csa\n');
    await writeFile(file, csa);
    expect((await k(['apply', '-f', file])).stdout).toBe('deployment.apps/csa created');
    const [update] = await managed('deploy', 'csa');
    expect(update).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update' });
    expect(update?.fieldsV1).toMatchObject({
      'f:metadata': {
        'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
        'f:labels': { '.': {}, 'f:app': {} },
      },
    });
    const refused = await apply(deployment(3).replace(/name: web\n/, 'name: csa\n'));
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe(
      'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    const forced = await apply(deployment(3).replace(/name: web\n/, 'name: csa\n'), '--force-conflicts');
    expect(forced.stdout).toBe('deployment.apps/csa serverside-applied');
    // kubectl moves the client-side apply's fields to its own Apply entry (csaupgrade, a JSON patch of
    // metadata.managedFields, which the server keeps as sent) and applies the last-applied annotation
    // as kubectl-last-applied.
    // (Their order is by time first, as upstream sorts them: the two may fall in different seconds.)
    const entries = await managed('deploy', 'csa');
    expect(entries.map((e) => `${e.manager}/${e.operation}`).sort()).toEqual([
      'kubectl-last-applied/Apply',
      'kubectl/Apply',
    ]);
    expect(entries.find((e) => e.manager === 'kubectl-last-applied')?.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
    });
    expect((await k(['get', 'deploy', 'csa', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');
  }, 60_000);

  test('Update entries: kubectl create, expose, label; a Service applied', async () => {
    expect((await k(['create', 'deployment', 'made', '--image=nginx'])).exitCode).toBe(0);
    expect((await k(['label', 'deploy', 'made', 'x=y'])).exitCode).toBe(0);
    const entries = await managed('deploy', 'made');
    expect(entries.map((e) => `${e.manager}/${e.operation}`)).toEqual([
      'kubectl-create/Update',
      'kubectl-label/Update',
    ]);
    expect(entries[1]?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:x': {} } } });
    expect((await k(['expose', 'deployment', 'made', '--port=80'])).exitCode).toBe(0);
    const [svc] = await managed('svc', 'made');
    expect(svc).toMatchObject({ manager: 'kubectl-expose', operation: 'Update', apiVersion: 'v1' });
    expect(svc?.fieldsV1).toMatchObject({
      'f:spec': {
        'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
        'f:selector': {},
      },
    });
    const service = `apiVersion: v1
kind: Service
metadata:
  name: front
spec:
  selector:
    app: web
  ports:
  - port: 8080
    targetPort: 80
`;
    expect((await apply(service)).stdout).toBe('service/front serverside-applied');
    const [applied] = await managed('svc', 'front');
    expect(applied?.fieldsV1).toEqual({
      'f:spec': {
        'f:ports': { 'k:{"port":8080,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } },
        'f:selector': {},
      },
    });
    expect((await k(['get', 'svc', 'front', '-o', 'jsonpath={.spec.clusterIP}'])).stdout).toMatch(
      /^172\.17\./,
    );
  }, 60_000);

  test('an apply without fieldManager is Invalid, as ValidatePatchOptions words it', async () => {
    const pem = await readPki(pki.files);
    const answer = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: cluster.server.port,
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/default/deployments/web',
          headers: { 'Content-Type': 'application/apply-patch+yaml' },
          ca: pem.caCert,
          cert: pem.adminCert,
          key: pem.adminKey,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(deployment(1));
    });
    expect(answer.code).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ field: 'fieldManager' }] },
    });
  });
});
