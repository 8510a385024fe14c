// The apiserver's reconcile timer: fast while objects change, backing off to IDLE_TICK_MS on an idle
// cluster (so 24 idle testbed clusters do not keep 2 cores busy), fast again after a write.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { IDLE_TICK_MS, LiveCluster, TICK_MS } from '../../../../src/sim/apiserver/live-cluster.ts';
import { bootstrapCluster } from '../../../../src/sim/model/bootstrap.ts';
import { writeStateFile } from '../../../../src/sim/store.ts';
import { SEED_NODES } from '../helpers.ts';

let dir: string;
let cluster: LiveCluster | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labkit-tick-'));
  await writeStateFile(join(dir, 'state.json'), bootstrapCluster(SEED_NODES, { now: Date.now() }));
});

afterEach(async () => {
  vi.useRealTimers();
  await cluster?.stop();
  cluster = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Times (ms after start) at which the timer settled, over `windowMs` of fake time. */
async function settleTimes(live: LiveCluster, windowMs: number, start: number): Promise<number[]> {
  const times: number[] = [];
  const settle = live.settle.bind(live);
  vi.spyOn(live, 'settle').mockImplementation(() => {
    times.push(Date.now() - start);
    return settle();
  });
  await vi.advanceTimersByTimeAsync(windowMs);
  return times;
}

test('an idle cluster backs off to IDLE_TICK_MS; a write brings TICK_MS back', async () => {
  cluster = await LiveCluster.open(join(dir, 'state.json'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const start = Date.now();
  cluster.start();
  const idle = await settleTimes(cluster, 10_000, start);
  // 100, 300, 700, 1500, 2500, ... : doubling, then one settle per IDLE_TICK_MS.
  expect(idle.slice(0, 4)).toEqual([TICK_MS, 3 * TICK_MS, 7 * TICK_MS, 15 * TICK_MS]);
  const gaps = idle.slice(1).map((t, i) => t - (idle[i] ?? 0));
  expect(Math.max(...gaps)).toBe(IDLE_TICK_MS);
  expect(idle.length).toBeLessThan(15);

  vi.restoreAllMocks();
  const writeAt = Date.now();
  cluster.mutate((state) => {
    state.config = { ...state.config, faults: ['dns-broken'] };
  });
  const after = await settleTimes(cluster, 1000, writeAt);
  // the write settled synchronously (not counted: the spy came after); the timer restarts at TICK_MS
  expect(after[0]).toBe(TICK_MS);
});
