// The event recorders' folding (count, combined, series), the TTL, and the rolling update's arithmetic.
import { describe, expect, test } from 'vitest';
import { COMBINED_PREFIX, EVENT_TTL_MS, expireEvents, recordEvent } from '../../../src/sim/model/events.ts';
import {
  maxScaledDown,
  newRSReplicas,
  resolveFenceposts,
  scaledValue,
} from '../../../src/sim/model/rollout.ts';
import { seedCluster } from './helpers.ts';

const NOW = Date.parse('2023-06-01T12:00:00Z');
const ref = { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', apiVersion: 'v1' };
const kubelet = { component: 'kubelet', host: 'worker-node01' };

/** A cluster without the kube-system pods' own events from bootstrap. */
function fresh(): ReturnType<typeof seedCluster> {
  const state = seedCluster(NOW);
  state.events = [];
  return state;
}

describe('events', () => {
  test('an identical event becomes count + lastTimestamp on the first one', () => {
    const state = fresh();
    recordEvent(state, ref, 'Warning', 'BackOff', 'Back-off', kubelet, NOW);
    recordEvent(state, ref, 'Warning', 'BackOff', 'Back-off', kubelet, NOW + 5000);
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      count: 2,
      firstTimestamp: '2023-06-01T12:00:00Z',
      lastTimestamp: '2023-06-01T12:00:05Z',
      source: kubelet,
      reportingComponent: 'kubelet',
      reportingInstance: 'worker-node01',
    });
    expect(state.events[0]?.metadata.name).toBe(`p.${(BigInt(NOW) * 1_000_000n).toString(16)}`);
  });

  test('the 10th different message with one reason within 10 minutes is combined', () => {
    const state = fresh();
    for (let i = 0; i < 12; i++) recordEvent(state, ref, 'Normal', 'R', `m${i}`, kubelet, NOW + i);
    const combined = state.events.filter((e) => e.message.startsWith(COMBINED_PREFIX));
    expect(state.events).toHaveLength(10);
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({ count: 3, message: `${COMBINED_PREFIX}m11` });
  });

  test('events.k8s.io recorder (scheduler): a repeat becomes a series', () => {
    const state = fresh();
    const opts = { action: 'Scheduling', instance: 'default-scheduler-master-node' };
    const src = { component: 'default-scheduler' };
    recordEvent(state, ref, 'Warning', 'FailedScheduling', '0/3 nodes', src, NOW, opts);
    recordEvent(state, ref, 'Warning', 'FailedScheduling', '0/3 nodes', src, NOW + 1000, opts);
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      eventTime: '2023-06-01T12:00:00.000000Z',
      firstTimestamp: null,
      series: { count: 2 },
    });
  });

  test('an event expires 1h after its last write', () => {
    const state = fresh();
    recordEvent(state, ref, 'Normal', 'A', 'a', kubelet, NOW);
    recordEvent(state, ref, 'Normal', 'B', 'b', kubelet, NOW);
    recordEvent(state, ref, 'Normal', 'B', 'b', kubelet, NOW + 30 * 60_000);
    expireEvents(state, NOW + EVENT_TTL_MS);
    expect(state.events.map((e) => e.reason)).toEqual(['B']);
  });
});

describe('rolling update arithmetic', () => {
  test('25% of 3: surge rounds up to 1, unavailable down to 0', () => {
    expect(resolveFenceposts({ type: 'RollingUpdate' }, 3)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts({ type: 'RollingUpdate' }, 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(
      resolveFenceposts({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }, 4),
    ).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(scaledValue('50%', 5, true)).toBe(3);
    expect(scaledValue('50%', 5, false)).toBe(2);
  });

  test('the new ReplicaSet grows to desired + surge; old ones shrink while minAvailable holds', () => {
    expect(newRSReplicas(3, 1, 3, 0)).toBe(1);
    expect(newRSReplicas(3, 1, 4, 1)).toBe(1);
    expect(newRSReplicas(3, 1, 3, 1)).toBe(2);
    expect(newRSReplicas(3, 1, 0, 0)).toBe(3);
    // 4 replicas, the new one not yet available: nothing may go; once it is: one may.
    expect(maxScaledDown(3, 0, 4, 1)).toBe(0);
    expect(maxScaledDown(3, 0, 4, 0)).toBe(1);
  });
});
