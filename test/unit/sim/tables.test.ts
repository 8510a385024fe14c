// kubectl tables of the simulator against the seed's real outputs (byte for byte, alignment included).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isoSeconds } from '../../../src/sim/model/meta.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { tableRows } from '../../../src/sim/apiserver/printers/columns.ts';
import { humanDuration } from '../../../src/sim/apiserver/printers/age.ts';
import { formatTable } from '../../../src/sim/kubectl/printers/table.ts';
import { addSeedPod, seedCluster } from './helpers.ts';
import { applyObject } from '../../../src/sim/model/api.ts';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../../fixtures/sim', name), 'utf8');
const NOW = Date.parse('2023-06-01T12:00:00Z');
const opts = { wide: false, withNamespace: false, showLabels: false, noHeaders: false };

function seedPods(age: number): ReturnType<typeof seedCluster> {
  const state = seedCluster(NOW - (4 * 24 + 21) * 3_600_000);
  addSeedPod(state, 'hostname-deployment-7d4f978855-8h2m9', '172.16.158.8', 'worker-node02', NOW - age);
  addSeedPod(state, 'hostname-deployment-7d4f978855-pzkgc', '172.16.87.234', 'worker-node01', NOW - age);
  addSeedPod(state, 'hostname-deployment-7d4f978855-v7zlc', '172.16.158.7', 'worker-node02', NOW - age);
  reconcile(state, NOW);
  return state;
}

const appPods = (state: ReturnType<typeof seedCluster>) =>
  state.pods.filter((p) => p.object.metadata.namespace === 'default').map((p) => p.object);

describe('kubectl get tables match the seed', () => {
  test('get pod -o wide (41s after apply)', () => {
    const state = seedPods(41_000);
    expect(formatTable(tableRows('Pod', appPods(state), NOW, { ...opts, wide: true }))).toBe(
      fixture('get-pod-wide-41s.txt'),
    );
  });

  test('get service (kubernetes 4d21h old, the new service 16s)', () => {
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
    const services = state.services
      .filter((s) => s.metadata.namespace === 'default')
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(formatTable(tableRows('Service', services, NOW, opts))).toBe(fixture('get-service.txt'));
  });

  test('get pod,service -o wide: two tables with kind prefixes and a blank line between', () => {
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
    const services = state.services
      .filter((s) => s.metadata.namespace === 'default')
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const text = [
      formatTable(tableRows('Pod', appPods(state), NOW, { ...opts, wide: true, kindPrefix: 'pod' })),
      formatTable(tableRows('Service', services, NOW, { ...opts, wide: true, kindPrefix: 'service' })),
    ].join('\n');
    expect(text).toBe(fixture('get-pod-service-wide.txt'));
  });

  test('get pod with the debug pod (6m51s) and the deployment pods (64m)', () => {
    const state = seedPods(64 * 60_000);
    addSeedPod(state, 'debug', '172.16.158.12', 'worker-node02', NOW - (6 * 60 + 51) * 1000, { app: 'x' });
    reconcile(state, NOW);
    const pods = appPods(state).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(formatTable(tableRows('Pod', pods, NOW, opts))).toBe(fixture('get-pod-before-delete.txt'));
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
