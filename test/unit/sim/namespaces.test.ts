// Namespaces as stored objects: kubeadm's four (also for state files written before they were stored, with the
// same uids), create, NamespaceLifecycle admission (NotFound, Forbidden while Terminating, the immortal three),
// and the namespace controller: Terminating, content deleted (pods with their grace), the conditions, then gone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createObject, removeObject } from '../../../src/sim/apiserver/objects.ts';
import { findResource } from '../../../src/sim/apiserver/resources.ts';
import { StatusError } from '../../../src/sim/apiserver/status.ts';
import { applyObject } from '../../../src/sim/model/api.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { recordEvent } from '../../../src/sim/model/events.ts';
import { findNamespace } from '../../../src/sim/model/namespace-objects.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import { readStateFile } from '../../../src/sim/store.ts';
import { must, SEED_NODES, SERVICE_DOC } from './helpers.ts';

const T0 = Date.parse('2023-06-01T12:00:00Z');
const resource = (group: string, plural: string) => must(findResource(group, 'v1', plural));
const NAMESPACES = resource('', 'namespaces');
const DEPLOYMENTS = resource('apps', 'deployments');
const PODS = resource('', 'pods');

function cluster(): ClusterState {
  return bootstrapCluster(SEED_NODES, { now: T0, config: { terminationDelayMs: 1000 } });
}
const deployment = (name: string): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});
const statusOf = (run: () => unknown): { reason: string; message: string; details: unknown } => {
  try {
    run();
  } catch (error) {
    if (error instanceof StatusError)
      return { reason: error.reason, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('no StatusError');
};
const names = (state: ClusterState): string[] => state.namespaces.map((n) => n.metadata.name);

describe('namespaces', () => {
  test("a state file without namespaces loads with kubeadm's four and the uids a fresh one has", async () => {
    const state = cluster();
    expect(names(state)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const dir = mkdtempSync(join(tmpdir(), 'labkit-ns-'));
    try {
      const file = join(dir, 'state.json');
      const old = structuredClone(state) as Partial<ClusterState>;
      delete old.namespaces;
      writeFileSync(file, JSON.stringify(old));
      const loaded = await readStateFile(file);
      expect(loaded.namespaces).toEqual(state.namespaces);
      expect(must(findNamespace(loaded, 'kube-system')).metadata.uid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      // Distinct per cluster (another cluster's first node has another uid).
      expect(must(findNamespace(cluster(), 'kube-system')).metadata.uid).not.toBe(
        must(findNamespace(state, 'kube-system')).metadata.uid,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('create: the kubernetes finalizer and the name label are the server’s', () => {
    const state = cluster();
    const ns = createObject(
      state,
      NAMESPACES,
      undefined,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'lab', labels: { team: 'a' } },
        spec: { finalizers: [] },
      },
      T0,
      true,
    );
    expect(ns).toMatchObject({
      metadata: { name: 'lab', labels: { team: 'a', 'kubernetes.io/metadata.name': 'lab' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    expect(ns.metadata.namespace).toBeUndefined();
    expect(
      statusOf(() => createObject(state, NAMESPACES, undefined, { metadata: { name: 'lab' } }, T0, true)),
    ).toMatchObject({
      reason: 'AlreadyExists',
      message: 'namespaces "lab" already exists',
    });
    expect(
      statusOf(() => createObject(state, NAMESPACES, undefined, { metadata: { name: 'a.b' } }, T0, true))
        .message,
    ).toMatch(
      /^The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of/,
    );
  });

  test('creating in a namespace that does not exist: NotFound as NamespaceLifecycle returns it', () => {
    expect(statusOf(() => createObject(cluster(), DEPLOYMENTS, 'nope', deployment('web'), T0, true))).toEqual(
      {
        reason: 'NotFound',
        message: 'namespaces "nope" not found',
        details: { name: 'nope', kind: 'namespaces' },
      },
    );
  });

  test('the immortal three cannot be deleted; kube-node-lease can and is made again', () => {
    const state = cluster();
    for (const name of ['default', 'kube-system', 'kube-public'])
      expect(statusOf(() => removeObject(state, NAMESPACES, undefined, name, T0, {}))).toEqual({
        reason: 'Forbidden',
        message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        details: { name, kind: 'namespaces' },
      });
    const lease = must(findNamespace(state, 'kube-node-lease')).metadata.uid;
    removeObject(state, NAMESPACES, undefined, 'kube-node-lease', T0, {});
    reconcile(state, T0);
    expect(must(findNamespace(state, 'kube-node-lease')).metadata.uid).not.toBe(lease);
    expect(must(findNamespace(state, 'kube-node-lease')).status.phase).toBe('Active');
  });

  test('delete: Terminating, no new content, every object deleted, pods with their grace, then the namespace goes', () => {
    const state = cluster();
    createObject(state, NAMESPACES, undefined, { metadata: { name: 'lab' } }, T0, true);
    createObject(state, DEPLOYMENTS, 'lab', deployment('web'), T0, true);
    applyObject(state, 'Service', { ...SERVICE_DOC(), metadata: { name: 'web' } }, 'lab', T0, undefined);
    applyObject(state, 'Secret', { metadata: { name: 's' }, stringData: { a: 'b' } }, 'lab', T0, undefined);
    applyObject(state, 'Deployment', deployment('stay'), 'default', T0, undefined);
    reconcile(state, T0);
    const inLab = (s: ClusterState) => s.pods.filter((p) => p.object.metadata.namespace === 'lab');
    expect(inLab(state)).toHaveLength(2);
    expect(state.events.some((e) => e.metadata.namespace === 'lab')).toBe(true);

    const t1 = T0 + 5000;
    reconcile(state, t1);
    const { object, gone } = removeObject(state, NAMESPACES, undefined, 'lab', t1, {});
    expect(gone).toBe(false);
    expect(object).toMatchObject({
      status: { phase: 'Terminating' },
      metadata: { deletionTimestamp: '2023-06-01T12:00:05Z' },
    });
    expect(statusOf(() => removeObject(state, NAMESPACES, undefined, 'lab', t1, {}))).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on namespaces "lab": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    });
    expect(
      statusOf(() =>
        createObject(
          state,
          PODS,
          'lab',
          { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
          t1,
          true,
        ),
      ),
    ).toEqual({
      reason: 'Forbidden',
      message:
        'pods "p" is forbidden: unable to create new content in namespace lab because it is being terminated',
      details: {
        name: 'p',
        kind: 'pods',
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: 'namespace lab is being terminated',
            field: 'metadata.namespace',
          },
        ],
      },
    });

    reconcile(state, t1);
    const lab = must(findNamespace(state, 'lab'));
    for (const list of [
      state.deployments,
      state.replicaSets,
      state.services,
      state.endpoints,
      state.endpointSlices,
      state.secrets,
      state.events,
    ])
      expect(list.filter((o) => o.metadata.namespace === 'lab')).toEqual([]);
    expect(inLab(state).map((p) => p.object.metadata.deletionTimestamp)).toEqual([
      '2023-06-01T12:00:06Z',
      '2023-06-01T12:00:06Z',
    ]);
    expect(lab.status.conditions?.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 2 resource instances',
    });
    expect(lab.status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'NamespaceDeletionDiscoveryFailure=False',
      'NamespaceDeletionGroupVersionParsingFailure=False',
      'NamespaceDeletionContentFailure=False',
      'NamespaceContentRemaining=True',
      'NamespaceFinalizersRemaining=False',
    ]);
    // The kubelet's Killing events would be refused by the apiserver (NamespaceLifecycle): none are stored.
    expect(
      recordEvent(
        state,
        must(inLab(state)[0]).object,
        'Normal',
        'Killing',
        'x',
        { component: 'kubelet' },
        t1,
      ),
    ).toBeUndefined();
    expect(state.events.filter((e) => e.metadata.namespace === 'lab')).toEqual([]);

    reconcile(state, t1 + 1000);
    expect(inLab(state)).toEqual([]);
    expect(findNamespace(state, 'lab')).toBeUndefined();
    // Other namespaces keep their content.
    expect(state.deployments.map((d) => d.metadata.name)).toContain('stay');
  });
});
