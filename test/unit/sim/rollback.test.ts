// kubectl rollout undo against the Deployment controller: kubectl copies an old ReplicaSet's template back
// into the Deployment (as Go serializes it: `creationTimestamp: null`, `resources: {}`), and the controller
// finds that ReplicaSet again (EqualIgnoreHash), scales it up and renumbers it (revision-history keeps the old
// number). The template hash: ComputeHash over the template without the label, with the collision count.
import { describe, expect, test } from 'vitest';
import { applyObject } from '../../../src/sim/model/api.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { equalIgnoreHash, podTemplateHash } from '../../../src/sim/model/names.ts';
import { ownedReplicaSets, REVISION } from '../../../src/sim/model/rollout.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import type { Deployment } from '../../../src/sim/model/types.ts';
import { TestKubelet } from '../../helpers/sim-cluster.ts';
import { must, SEED_CONTAINER, seedCluster } from './helpers.ts';

const T0 = Date.parse('2023-06-01T12:00:00Z');
const TEMPLATE = {
  metadata: { labels: { app: 'webserver' }, name: 'my-webserver' },
  spec: {
    containers: [
      { ...SEED_CONTAINER, image: SEED_CONTAINER.image as string, ports: [...SEED_CONTAINER.ports] },
    ],
  },
};
const doc = (template: unknown): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'webserver' } }, template },
});
const withImage = (image: string): unknown => {
  const t = structuredClone(TEMPLATE);
  t.spec.containers[0] = { ...must(t.spec.containers[0]), image };
  return t;
};

/** Runs the controllers and the kubelet (FakeRuntime, pulls without delay) until the rollout settles. */
async function settle(kubelet: TestKubelet, from: number): Promise<number> {
  let now = from;
  for (let i = 0; i < 40; i++) await kubelet.settle((now += 100));
  return now;
}

const web = (state: ClusterState): Deployment =>
  must(state.deployments.find((d) => d.metadata.name === 'web'));
const summary = (
  state: ClusterState,
): { name: string; replicas: number; revision?: string; history?: string }[] =>
  ownedReplicaSets(state, web(state))
    .map((rs) => ({
      name: rs.metadata.name,
      replicas: rs.spec.replicas,
      ...(rs.metadata.annotations?.[REVISION] ? { revision: rs.metadata.annotations[REVISION] } : {}),
      ...(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history']
        ? { history: rs.metadata.annotations['deployment.kubernetes.io/revision-history'] }
        : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

describe('rollout undo', () => {
  test('the restored template finds revision 1 again: scaled up, renumbered 3, history "1"; no new ReplicaSet', async () => {
    const state = seedCluster(T0);
    const kubelet = await TestKubelet.start(state, T0);
    applyObject(state, 'Deployment', doc(TEMPLATE), 'default', T0, undefined);
    let now = await settle(kubelet, T0);
    const first = must(ownedReplicaSets(state, web(state))[0]);
    expect(first.metadata.name).toBe(`web-${podTemplateHash(TEMPLATE)}`);
    applyObject(state, 'Deployment', doc(withImage('docker.io/busybox:1.37')), 'default', now, undefined);
    now = await settle(kubelet, now);
    expect(
      summary(state)
        .map((r) => r.replicas)
        .sort(),
    ).toEqual([0, 2]);
    // What kubectl 1.33 PATCHes (JSON patch replace /spec/template): revision 1's template without the hash
    // label, through the Go types.
    const restored = structuredClone(first.spec.template) as {
      metadata: Record<string, unknown> & { labels: Record<string, string> };
      spec: { containers: Record<string, unknown>[] };
    };
    Reflect.deleteProperty(restored.metadata.labels, 'pod-template-hash');
    restored.metadata['creationTimestamp'] = null;
    for (const c of restored.spec.containers) c['resources'] = {};
    applyObject(state, 'Deployment', doc(restored), 'default', now, undefined);
    now = await settle(kubelet, now);
    expect(summary(state)).toEqual(
      [
        { name: first.metadata.name, replicas: 2, revision: '3', history: '1' },
        { name: `web-${podTemplateHash(withImage('docker.io/busybox:1.37'))}`, replicas: 0, revision: '2' },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(web(state).metadata.annotations?.[REVISION]).toBe('3');
    expect(web(state).status['updatedReplicas']).toBe(2);
  });

  test('the hash: zero values as absent, the label ignored by equality, the collision count in the hash', () => {
    const serialized = {
      ...structuredClone(TEMPLATE),
      metadata: { ...TEMPLATE.metadata, creationTimestamp: null },
    };
    expect(podTemplateHash(serialized)).toBe(podTemplateHash(TEMPLATE));
    expect(podTemplateHash(withImage('nginx'))).not.toBe(podTemplateHash(TEMPLATE));
    expect(podTemplateHash(TEMPLATE, 1)).not.toBe(podTemplateHash(TEMPLATE));
    expect(podTemplateHash(TEMPLATE, 1)).not.toBe(podTemplateHash(TEMPLATE, 2));
    const labelled = structuredClone(TEMPLATE) as { metadata: { labels: Record<string, string> } };
    labelled.metadata.labels['pod-template-hash'] = 'abc';
    expect(equalIgnoreHash(labelled, serialized)).toBe(true);
    expect(equalIgnoreHash(withImage('nginx'), TEMPLATE)).toBe(false);
  });

  test('a name taken by another template counts a collision; the next sync uses the new hash', () => {
    const state = seedCluster(T0);
    applyObject(state, 'Deployment', doc(TEMPLATE), 'default', T0, undefined);
    const d = web(state);
    // Another ReplicaSet already holds web-<hash> (not this Deployment's template).
    state.replicaSets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${podTemplateHash(TEMPLATE)}`,
        namespace: 'default',
        uid: 'other',
        resourceVersion: '1',
        creationTimestamp: '2023-06-01T11:00:00Z',
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'other' } },
        template: withImage('other') as never,
      },
      status: {},
    });
    reconcile(state, T0);
    expect(d.status['collisionCount']).toBe(1);
    expect(ownedReplicaSets(state, d)).toEqual([]);
    reconcile(state, T0 + 100);
    expect(d.status['collisionCount']).toBe(1);
    const owned = ownedReplicaSets(state, d);
    expect(owned.map((rs) => rs.metadata.name)).toEqual([`web-${podTemplateHash(TEMPLATE, 1)}`]);
  });
});
