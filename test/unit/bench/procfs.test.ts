import { expect, test } from 'vitest';
import { parseBusyCpuSeconds } from '../../../src/bench/procfs.ts';

test('busy CPU-seconds: user+nice+system+irq+softirq+steal, not idle or iowait', () => {
  const stat = 'cpu  1000 50 300 9000 70 5 15 30 0 0\ncpu0 500 25 150 4500 35 2 7 15 0 0\nintr 1 2\n';
  expect(parseBusyCpuSeconds(stat)).toBeCloseTo((1000 + 50 + 300 + 5 + 15 + 30) / 100);
});

test('a /proc/stat without a cpu line is an error', () => {
  expect(() => parseBusyCpuSeconds('intr 1 2\n')).toThrow(/no "cpu " line/);
});
