// Builds simulated clusters in memory for unit tests: the seed's nodes, pods with the seed's names and IPs.
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { isoSeconds } from '../../../src/sim/model/meta.ts';
import { createPod } from '../../../src/sim/model/pods.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import { applyObject } from '../../../src/sim/model/api.ts';
import { TestKubelet } from '../../helpers/sim-cluster.ts';

export const SEED_NODES = [
  { name: 'master-node', internalIP: '10.0.0.10' },
  { name: 'worker-node01', internalIP: '10.0.0.11' },
  { name: 'worker-node02', internalIP: '10.0.0.12' },
] as const;

export function seedCluster(now: number): ClusterState {
  return bootstrapCluster(SEED_NODES, { now, config: { terminationDelayMs: 0, imagePullDelayMs: 0 } });
}

/** The container of the seed's Deployment (manifests/service/hostname-deployment.yaml). */
export const SEED_CONTAINER = {
  name: 'my-webserver',
  image: 'docker.io/alicek106/rr-test:echo-hostname',
  ports: [{ containerPort: 80 }],
} as const;

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
        containers: [{ ...SEED_CONTAINER, ports: [...SEED_CONTAINER.ports] }],
        nodeName: node,
      },
    },
    createdAt,
  );
  pod.runtime.ip = ip;
  pod.runtime.createdAt = createdAt;
  pod.object.metadata.creationTimestamp = isoSeconds(createdAt);
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

/** The seed's cluster at stage 3: three pods (run by the kubelet on FakeRuntime) and the service at
 *  172.17.17.106. */
export async function seedWithService(now: number): Promise<ClusterState> {
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
  await TestKubelet.start(state, now);
  return state;
}

/** The value, or a test failure naming what was missing. */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what}`);
  return value;
}
