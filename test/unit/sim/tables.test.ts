// The real kubectl's tables from the simulated apiserver's Table output against the seed's real outputs
// (byte for byte, alignment included), at a frozen clock.
import { describeWithTools } from '../../helpers/with-tools.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isoSeconds } from '../../../src/sim/model/meta.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { humanDuration } from '../../../src/sim/apiserver/printers/age.ts';
import type { ClusterState } from '../../../src/sim/model/state.ts';
import { createSimPki, startSimCluster, TestKubelet, type SimPki } from '../../helpers/sim-cluster.ts';
import { addSeedPod, seedCluster } from './helpers.ts';
import { applyObject } from '../../../src/sim/model/api.ts';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../../fixtures/sim', name), 'utf8');
const NOW = Date.parse('2023-06-01T12:00:00Z');

let pki: SimPki;

/** `kubectl <args>` against `state` served at the frozen time NOW. */
async function kubectl(state: ClusterState, args: string[]): Promise<string> {
  // The kubelet has run the pods (FakeRuntime); the apiserver's kubelet adopts its containers.
  const pods = await TestKubelet.start(state, NOW);
  const cluster = await startSimCluster(pki, state, { now: () => NOW, runtime: pods.runtime });
  try {
    const r = await cluster.kubectl(args);
    expect(r.stderr).toBe('');
    return r.stdout;
  } finally {
    await cluster.close();
  }
}

function seedPods(age: number): ReturnType<typeof seedCluster> {
  const state = seedCluster(NOW - (4 * 24 + 21) * 3_600_000);
  addSeedPod(state, 'hostname-deployment-7d4f978855-8h2m9', '172.16.158.8', 'worker-node02', NOW - age);
  addSeedPod(state, 'hostname-deployment-7d4f978855-pzkgc', '172.16.87.234', 'worker-node01', NOW - age);
  addSeedPod(state, 'hostname-deployment-7d4f978855-v7zlc', '172.16.158.7', 'worker-node02', NOW - age);
  reconcile(state, NOW);
  return state;
}

describeWithTools(['real-kubectl'], 'kubectl get tables match the seed', () => {
  beforeAll(async () => {
    pki = await createSimPki();
  }, 60_000);
  afterAll(async () => pki.remove());

  test('get pod -o wide (41s after apply)', async () => {
    const state = seedPods(41_000);
    expect(await kubectl(state, ['get', 'pod', '-o', 'wide'])).toBe(fixture('get-pod-wide-41s.txt'));
  });

  test('get service (kubernetes 4d21h old, the new service 16s)', async () => {
    const state = seedPods(41_000);
    applyObject(
      state,
      'Service',
      {
        metadata: { name: 'hostname-service-clusterip' },
        spec: {
          selector: { app: 'webserver' },
          ports: [{ name: 'web-port', port: 8080, targetPort: 80 }],
          clusterIP: '172.17.17.106',
        },
      },
      'default',
      NOW - 16_000,
      undefined,
    );
    expect(await kubectl(state, ['get', 'service'])).toBe(fixture('get-service.txt'));
  });

  test('get pod,service -o wide: two tables with kind prefixes and a blank line between', async () => {
    const state = seedCluster(NOW - (4 * 24 + 22) * 3_600_000 - 1_000);
    addSeedPod(
      state,
      'hostname-deployment-7d4f978855-pzkgc',
      '172.16.87.234',
      'worker-node01',
      NOW - 81 * 60_000,
    );
    addSeedPod(
      state,
      'hostname-deployment-7d4f978855-v7zlc',
      '172.16.158.7',
      'worker-node02',
      NOW - 81 * 60_000,
    );
    addSeedPod(
      state,
      'hostname-deployment-7d4f978855-w54fq',
      '172.16.87.235',
      'worker-node01',
      NOW - 16 * 60_000,
    );
    applyObject(
      state,
      'Service',
      {
        metadata: { name: 'hostname-service-clusterip' },
        spec: {
          selector: { app: 'webserver' },
          ports: [{ name: 'web-port', port: 8080, targetPort: 80 }],
          clusterIP: '172.17.17.106',
          sessionAffinity: 'ClientIP',
        },
      },
      'default',
      NOW - 29 * 60_000,
      undefined,
    );
    reconcile(state, NOW);
    expect(await kubectl(state, ['get', 'pod,service', '-o', 'wide'])).toBe(
      fixture('get-pod-service-wide.txt'),
    );
  });

  test('get pod with the debug pod (6m51s) and the deployment pods (64m)', async () => {
    const state = seedPods(64 * 60_000);
    addSeedPod(state, 'debug', '172.16.158.12', 'worker-node02', NOW - (6 * 60 + 51) * 1000, { app: 'x' });
    reconcile(state, NOW);
    expect(await kubectl(state, ['get', 'pod'])).toBe(fixture('get-pod-before-delete.txt'));
  });
});

describe('AGE is apimachinery HumanDuration', () => {
  test.each([
    [41_000, '41s'],
    [119_000, '119s'],
    [(6 * 60 + 51) * 1000, '6m51s'],
    [57 * 60_000, '57m'],
    [(4 * 24 + 21) * 3_600_000, '4d21h'],
    [5 * 3_600_000 + 7 * 60_000, '5h7m'],
    [-5000, '<invalid>'],
  ])('%i ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
  test('isoSeconds drops milliseconds like the apiserver', () => {
    expect(isoSeconds(Date.parse('2023-06-01T12:00:00.789Z'))).toBe('2023-06-01T12:00:00Z');
  });
});
