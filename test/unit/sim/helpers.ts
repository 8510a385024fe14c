// Builds simulated clusters in memory for unit tests: the seed's nodes, pods with the seed's names and IPs.
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { isoSeconds } from '../../../src/sim/model/meta.ts';
import { createPod } from '../../../src/sim/model/pods.ts';
import type { PodReport } from '../../../src/sim/model/pod-status.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import { applyObject } from '../../../src/sim/model/api.ts';

export const SEED_NODES = [
  { name: 'master-node', internalIP: '10.0.0.10' },
  { name: 'worker-node01', internalIP: '10.0.0.11' },
  { name: 'worker-node02', internalIP: '10.0.0.12' },
] as const;

export function seedCluster(now: number): ClusterState {
  return bootstrapCluster(SEED_NODES, { now, config: { imagePullDelayMs: 0, terminationDelayMs: 0 } });
}

/** A Running pod of the seed's Deployment with a fixed name, IP, node and age. */
export function addSeedPod(
  state: ClusterState,
  name: string,
  ip: string,
  node: string,
  createdAt: number,
  labels = { app: 'webserver' },
): void {
  const pod = createPod(
    state,
    {
      name,
      namespace: 'default',
      labels,
      spec: {
        containers: [
          {
            name: 'my-webserver',
            image: 'docker.io/alicek106/rr-test:echo-hostname',
            ports: [{ containerPort: 80 }],
          },
        ],
        nodeName: node,
      },
    },
    createdAt,
  );
  pod.runtime.ip = ip;
  pod.runtime.startAt = createdAt;
  pod.runtime.kubelet = runningReport(pod.object.spec.containers, createdAt);
  pod.object.metadata.creationTimestamp = isoSeconds(createdAt);
}

/** What the kubelet reports once a pod's containers run (src/sim/kubelet), started at `at`. */
export function runningReport(containers: readonly { name: string }[], at: number): PodReport {
  return {
    sandboxAt: at,
    containers: containers.map((c) => ({
      name: c.name,
      restartCount: 0,
      state: { kind: 'running', startedAt: at },
    })),
  };
}

/** Every pod not yet started is started at `now` (as the kubelet would), then the controllers react. */
export function kubeletStartsAll(state: ClusterState, now: number): void {
  reconcile(state, now);
  for (const pod of state.pods)
    if (!pod.runtime.kubelet && !pod.object.metadata.deletionTimestamp)
      pod.runtime.kubelet = runningReport(pod.object.spec.containers, now);
  for (const pod of state.pods)
    if (pod.object.metadata.deletionTimestamp && pod.runtime.goneAt !== undefined)
      pod.runtime.goneAt = Math.min(pod.runtime.goneAt, now);
  reconcile(state, now);
}

export const SERVICE_DOC = (affinity = false, timeoutSeconds?: number): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'hostname-service-clusterip' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'webserver' },
    ports: [{ name: 'web-port', port: 8080, targetPort: 80 }],
    ...(affinity ? { sessionAffinity: 'ClientIP' } : {}),
    ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}),
  },
});

/** The seed's cluster at stage 3: three pods and the service at 172.17.17.106. */
export function seedWithService(now: number): ClusterState {
  const state = seedCluster(now - 5 * 86_400_000);
  addSeedPod(state, 'hostname-deployment-7d4f978855-8h2m9', '172.16.158.8', 'worker-node02', now - 600_000);
  addSeedPod(state, 'hostname-deployment-7d4f978855-pzkgc', '172.16.87.234', 'worker-node01', now - 600_000);
  addSeedPod(state, 'hostname-deployment-7d4f978855-v7zlc', '172.16.158.7', 'worker-node02', now - 600_000);
  applyObject(
    state,
    'Service',
    { ...SERVICE_DOC(), spec: { ...(SERVICE_DOC().spec as object), clusterIP: '172.17.17.106' } },
    'default',
    now - 60_000,
    undefined,
  );
  reconcile(state, now);
  return state;
}

/** The value, or a test failure naming what was missing. */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what}`);
  return value;
}
