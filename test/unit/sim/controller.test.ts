// The lazy controllers: Deployment → ReplicaSet → pods with hash names, Pending → Running after the
// delay, replacement after delete, endpoints following readiness, env vars captured at creation, and the
// controller faults (pod-never-ready, no-replacement, env-missing).
import { describe, expect, test } from 'vitest';
import { applyObject, deleteObject } from '../../../src/sim/model/api.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { cidrContains } from '../../../src/sim/model/ipam.ts';
import { podTemplateHash } from '../../../src/sim/model/names.ts';
import { createPod, podDisplayStatus } from '../../../src/sim/model/pods.ts';
import type { ClusterState, Fault } from '../../../src/sim/model/state.ts';
import { TestKubelet } from '../../helpers/sim-cluster.ts';
import { must, SERVICE_DOC, SEED_NODES } from './helpers.ts';

const T0 = Date.parse('2023-06-01T12:00:00Z');
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hostname-deployment' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'webserver' } },
    template: {
      metadata: { labels: { app: 'webserver' }, name: 'my-webserver' },
      spec: {
        containers: [
          {
            name: 'my-webserver',
            image: 'docker.io/alicek106/rr-test:echo-hostname',
            ports: [{ containerPort: 80 }],
          },
        ],
        imagePullSecrets: [{ name: 'regcred' }],
      },
    },
  },
};

function cluster(faults: Fault[] = []): ClusterState {
  const state = bootstrapCluster(SEED_NODES, {
    now: T0,
    config: { terminationDelayMs: 1000, imagePullDelayMs: 0, faults },
  });
  applyObject(state, 'Deployment', DEPLOYMENT, 'default', T0, 'v1');
  reconcile(state, T0);
  return state;
}

const webPods = (s: ClusterState) => s.pods.filter((p) => p.object.metadata.labels?.['app'] === 'webserver');
const readyIps = (s: ClusterState) =>
  (s.endpoints.find((e) => e.metadata.name === 'hostname-service-clusterip')?.subsets ?? []).flatMap((x) =>
    (x.addresses ?? []).map((a) => a.ip),
  );

describe('Deployment → ReplicaSet → pods', () => {
  test('3 pods named <deployment>-<template hash>-<5 chars>, spread over both workers, IPs from the node blocks', () => {
    const state = cluster();
    const hash = podTemplateHash(
      must(state.deployments.find((d) => d.metadata.name === 'hostname-deployment')).spec.template,
    );
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const pods = webPods(state);
    expect(pods).toHaveLength(3);
    for (const p of pods)
      expect(p.object.metadata.name).toMatch(
        new RegExp(`^hostname-deployment-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
    expect(new Set(pods.map((p) => p.object.spec.nodeName))).toEqual(
      new Set(['worker-node01', 'worker-node02']),
    );
    for (const p of pods) expect(cidrContains('172.16.0.0/16', p.runtime.ip)).toBe(true);
  });

  test('Pending/ContainerCreating until the kubelet has started the containers, then Running and Ready', async () => {
    const state = cluster();
    expect(webPods(state).map((p) => podDisplayStatus(p.object))).toEqual([
      'ContainerCreating',
      'ContainerCreating',
      'ContainerCreating',
    ]);
    expect(must(webPods(state)[0]).object.status.podIP).toBeUndefined();
    await TestKubelet.start(state, T0 + 2000);
    expect(webPods(state).map((p) => podDisplayStatus(p.object))).toEqual(['Running', 'Running', 'Running']);
    expect(
      must(state.deployments.find((d) => d.metadata.name === 'hostname-deployment')).status['readyReplicas'],
    ).toBe(3);
  });

  test('a deleted pod is Terminating, leaves the endpoints at once, and is replaced by a new name and IP', async () => {
    const state = cluster();
    applyObject(state, 'Service', SERVICE_DOC(), 'default', T0, 'v1');
    const kubelet = await TestKubelet.start(state, T0 + 3000);
    const victim = must(webPods(state)[0]);
    const oldNames = webPods(state).map((p) => p.object.metadata.name);
    deleteObject(state, 'Pod', 'default', victim.object.metadata.name, T0 + 3000);
    reconcile(state, T0 + 3000);
    expect(podDisplayStatus(victim.object)).toBe('Terminating');
    expect(readyIps(state)).not.toContain(victim.runtime.ip);
    await kubelet.settle(T0 + 6000);
    const names = webPods(state).map((p) => p.object.metadata.name);
    expect(names).not.toContain(victim.object.metadata.name);
    const fresh = must(webPods(state).find((p) => !oldNames.includes(p.object.metadata.name)));
    expect(fresh.runtime.ip).not.toBe(victim.runtime.ip);
    expect(readyIps(state).sort()).toEqual(
      webPods(state)
        .map((p) => p.runtime.ip)
        .sort(),
    );
  });

  test('ClusterIPs come from 172.17.0.0/16, never 172.17.0.1 or .10, never twice', () => {
    const state = cluster();
    for (let i = 0; i < 200; i++)
      applyObject(
        state,
        'Service',
        { ...SERVICE_DOC(), metadata: { name: `s${i}` } },
        'default',
        T0,
        undefined,
      );
    const ips = state.services.map((s) => s.spec.clusterIP);
    expect(new Set(ips).size).toBe(ips.length);
    for (const ip of ips) expect(cidrContains('172.17.0.0/16', must(ip))).toBe(true);
  });
});

describe('service environment variables', () => {
  test("a pod created after the service has the seed's 8 variables plus the kubernetes ones; an older pod has none", () => {
    const state = cluster();
    reconcile(state, T0 + 3000);
    applyObject(
      state,
      'Service',
      { ...SERVICE_DOC(), spec: { ...(SERVICE_DOC().spec as object), clusterIP: '172.17.17.106' } },
      'default',
      T0 + 3000,
      'v1',
    );
    const debug = createPod(
      state,
      {
        name: 'debug',
        namespace: 'default',
        spec: { containers: [{ name: 'debug', image: 'docker.io/busybox' }], restartPolicy: 'Never' },
      },
      T0 + 4000,
    );
    const env = Object.fromEntries(debug.runtime.env);
    const service = Object.entries(env).filter(([k]) => k.startsWith('HOSTNAME_SERVICE_CLUSTERIP'));
    expect(service).toEqual([
      ['HOSTNAME_SERVICE_CLUSTERIP_SERVICE_HOST', '172.17.17.106'],
      ['HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_ADDR', '172.17.17.106'],
      ['HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PORT', '8080'],
      ['HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT', '8080'],
      ['HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PROTO', 'tcp'],
      ['HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT', '8080'],
      ['HOSTNAME_SERVICE_CLUSTERIP_PORT', 'tcp://172.17.17.106:8080'],
      ['HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP', 'tcp://172.17.17.106:8080'],
    ]);
    expect(env['KUBERNETES_SERVICE_HOST']).toBe('172.17.0.1');
    expect(env['KUBERNETES_SERVICE_PORT_HTTPS']).toBe('443');
    for (const old of webPods(state))
      expect(old.runtime.env.some(([k]) => k.startsWith('HOSTNAME_SERVICE'))).toBe(false);
  });

  test('a pod in another namespace gets only the kubernetes variables', () => {
    const state = cluster();
    applyObject(state, 'Service', SERVICE_DOC(), 'default', T0, 'v1');
    const other = createPod(
      state,
      { name: 'x', namespace: 'kube-public', spec: { containers: [{ name: 'x', image: 'busybox' }] } },
      T0,
    );
    expect(other.runtime.env.some(([k]) => k.startsWith('HOSTNAME_SERVICE'))).toBe(false);
    expect(other.runtime.env.some(([k]) => k === 'KUBERNETES_SERVICE_HOST')).toBe(true);
  });

  test('env-missing: no service variables at all', () => {
    const state = cluster(['env-missing']);
    applyObject(state, 'Service', SERVICE_DOC(), 'default', T0, 'v1');
    const pod = createPod(
      state,
      { name: 'x', namespace: 'default', spec: { containers: [{ name: 'x', image: 'busybox' }] } },
      T0,
    );
    expect(pod.runtime.env.some(([k]) => k.endsWith('_SERVICE_HOST'))).toBe(false);
  });
});

describe('controller faults', () => {
  test('pod-never-ready: one pod of the ReplicaSet stays 0/1 and out of the endpoints', async () => {
    const state = cluster(['pod-never-ready']);
    applyObject(state, 'Service', SERVICE_DOC(), 'default', T0, 'v1');
    await TestKubelet.start(state, T0 + 60_000);
    const ready = webPods(state).filter((p) => p.object.status.containerStatuses?.[0]?.ready);
    expect(ready).toHaveLength(2);
    expect(readyIps(state)).toHaveLength(2);
    const ep = state.endpoints.find((e) => e.metadata.name === 'hostname-service-clusterip');
    expect(ep?.subsets?.[0]?.notReadyAddresses).toHaveLength(1);
  });

  test('no-replacement: a deleted pod is not replaced', () => {
    const state = cluster(['no-replacement']);
    reconcile(state, T0 + 3000);
    deleteObject(state, 'Pod', 'default', must(webPods(state)[0]).object.metadata.name, T0 + 3000, 0);
    reconcile(state, T0 + 60_000);
    expect(webPods(state)).toHaveLength(2);
  });

  test('without the fault the same deletion is replaced', () => {
    const state = cluster();
    reconcile(state, T0 + 3000);
    deleteObject(state, 'Pod', 'default', must(webPods(state)[0]).object.metadata.name, T0 + 3000, 0);
    reconcile(state, T0 + 60_000);
    expect(webPods(state)).toHaveLength(3);
  });
});
