import { describe, expect, test } from 'vitest';
import {
  CHI_SQUARED_ALPHA,
  chiSquaredPValue,
  chiSquaredStatistic,
  judgeRandomSpread,
  judgeRotation,
  requestsFor,
} from '../../../src/checks/spread-stats.ts';
import { chiSquaredDistributionTable } from 'simple-statistics';

/** mulberry32: a small seeded PRNG, so the simulations are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One run of N requests, each endpoint picked with the given shares (iptables mode: independent picks). */
function sample(shares: readonly number[], n: number, random: () => number): number[] {
  const counts = shares.map(() => 0);
  for (let i = 0; i < n; i++) {
    let u = random();
    let k = 0;
    while (k < shares.length - 1 && u >= (shares[k] ?? 0)) u -= shares[k++] ?? 0;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

function failureRate(shares: readonly number[], n: number, trials: number, seed: number): number {
  const random = seeded(seed);
  let failures = 0;
  for (let t = 0; t < trials; t++) if (!judgeRandomSpread(sample(shares, n, random)).ok) failures++;
  return failures / trials;
}

const logFactorials = Array.from({ length: 200 }, (_, n) => (n < 2 ? 0 : 0));
for (let n = 2; n < 200; n++) logFactorials[n] = (logFactorials[n - 1] ?? 0) + Math.log(n);

/** Exact P(check fails) under a multinomial with these shares: enumerate every count vector. */
function exactFailure(shares: readonly number[], n: number): number {
  const k = shares.length;
  const counts = new Array<number>(k).fill(0);
  let failure = 0;
  const visit = (i: number, left: number): void => {
    if (i === k - 1) {
      counts[i] = left;
      let logP = logFactorials[n] ?? 0;
      for (let j = 0; j < k; j++)
        logP += (counts[j] ?? 0) * Math.log(shares[j] ?? 0) - (logFactorials[counts[j] ?? 0] ?? 0);
      if (!judgeRandomSpread(counts).ok) failure += Math.exp(logP);
      return;
    }
    for (let c = 0; c <= left; c++) {
      counts[i] = c;
      visit(i + 1, left - c);
    }
  };
  visit(0, n);
  return failure;
}

const uniform = (k: number): number[] => new Array<number>(k).fill(1 / k);

describe('chi-squared p-value', () => {
  test('matches closed forms and simple-statistics table values', () => {
    expect(chiSquaredPValue(2, 2)).toBeCloseTo(Math.exp(-1), 12); // df 2: exp(-x/2)
    expect(chiSquaredPValue(0, 3)).toBe(1);
    // simple-statistics tabulates critical values: P(X >= table[df][p]) = p.
    for (const df of [1, 2, 5, 10]) {
      const row = chiSquaredDistributionTable[df as keyof typeof chiSquaredDistributionTable];
      expect(chiSquaredPValue(row[0.05], df)).toBeCloseTo(0.05, 3);
      expect(chiSquaredPValue(row[0.005], df)).toBeCloseTo(0.005, 4);
    }
  });

  test('statistic of the seed spread 5/6/4 is small and passes', () => {
    expect(chiSquaredStatistic([5, 6, 4])).toBeCloseTo(0.4, 10);
    expect(judgeRandomSpread([5, 6, 4]).ok).toBe(true);
  });
});

describe('request count', () => {
  test('covers every endpoint with P(miss) <= 5e-5 and >= 5 expected each', () => {
    for (let k = 2; k <= 12; k++) {
      const n = requestsFor(k, 10);
      expect(k * (1 - 1 / k) ** n).toBeLessThanOrEqual(5e-5);
      expect(n).toBeGreaterThanOrEqual(5 * k);
    }
    expect(requestsFor(3, 60)).toBe(60);
    expect(requestsFor(3, 10)).toBe(28);
  });
});

describe('false-failure probability on a healthy iptables-mode cluster (<= 1e-4)', () => {
  test.each([2, 3, 4, 5, 6])(
    'exact multinomial total for %i endpoints at requestsFor(k, 60)',
    (k) => {
      const p = exactFailure(uniform(k), requestsFor(k, 60));
      expect(p).toBeLessThanOrEqual(1e-4);
      expect(p).toBeGreaterThan(0); // the rule can fail at all: the bound is not vacuous
    },
    120_000,
  );

  test('simulation: 200,000 healthy runs of the tutorial case (3 pods, 60 requests) fail at a rate <= 1e-4', () => {
    const rate = failureRate(uniform(3), requestsFor(3, 60), 200_000, 20231125);
    // Exact value 2.6e-5: expect about 5 failures in 200,000.
    expect(rate).toBeLessThanOrEqual(1e-4);
  }, 60_000);

  test('simulation agrees with the exact value for 3 pods', () => {
    const exact = exactFailure(uniform(3), 60);
    expect(exact).toBeCloseTo(2.56e-5, 6);
    expect(CHI_SQUARED_ALPHA).toBe(3e-5);
  });
});

describe('power: the check does fail unhealthy spreads', () => {
  test('skewed 80/10/10 fails with probability >= 0.999 (exact 0.9997 at N = 60)', () => {
    const exact = exactFailure([0.8, 0.1, 0.1], 60);
    expect(exact).toBeGreaterThan(0.9997);
    expect(failureRate([0.8, 0.1, 0.1], 60, 20_000, 7)).toBeGreaterThan(0.999);
  });

  test('a pod that never gets traffic (50/50/0) always fails', () => {
    expect(exactFailure([0.5, 0.5, 1e-300], 60)).toBeCloseTo(1, 9);
    expect(judgeRandomSpread([30, 30, 0])).toMatchObject({ ok: false, reason: 'coverage' });
  });

  test('uniformity failure is reported as such', () => {
    expect(judgeRandomSpread([48, 6, 6])).toMatchObject({ ok: false, reason: 'uniformity' });
  });
});

describe('strict rotation (IPVS rr)', () => {
  test('accepts a b c a b c', () => {
    expect(judgeRotation(['a', 'b', 'c', 'a', 'b', 'c', 'a'], 3)).toEqual({
      ok: true,
      order: ['a', 'b', 'c'],
    });
  });
  test('rejects a repeat inside the first rotation', () => {
    expect(judgeRotation(['a', 'a', 'b'], 3)).toMatchObject({ ok: false, at: 1, got: 'a' });
  });
  test('rejects the seed random sequence (pzkgc w54fq w54fq ...)', () => {
    expect(judgeRotation(['pzkgc', 'w54fq', 'w54fq', 'v7zlc'], 3)).toMatchObject({ ok: false, at: 2 });
  });
  test('rejects a broken order later on', () => {
    expect(judgeRotation(['a', 'b', 'c', 'a', 'c', 'b'], 3)).toEqual({
      ok: false,
      at: 4,
      expected: 'b',
      got: 'c',
    });
  });
});
