// Is a spread of answers over endpoints what a healthy kube-proxy produces? Pure functions on counts.
//
// iptables mode picks an endpoint at random per new connection (statistic probability 1/(n-i)), nftables
// too; only IPVS defaults to round robin. So in `random` mode the check demands
//   (1) coverage: every ready endpoint answered at least once, and
//   (2) uniformity: Pearson's chi-squared test does not reject equal shares at level CHI_SQUARED_ALPHA.
// FALSE-FAILURE PROBABILITY on a healthy (uniform random) cluster: coverage misses are bounded by
// requestsFor (union bound k·(1-1/k)^N <= COVERAGE_BUDGET = 5e-5), and the chi-squared level is set to
// CHI_SQUARED_ALPHA = 3e-5 (not 5e-5) because Pearson's law is only approximate at these N and the exact
// tail is heavier for more endpoints. Exact multinomial totals (both conditions, computed by enumeration in
// test/unit/checks/spread-stats.test.ts) at the request counts requestsFor(k, 60) picks:
//   k=2 N=60: 1.2e-5   k=3 N=60: 2.6e-5   k=4 N=60: 3.1e-5   k=5 N=60: 4.6e-5   k=6 N=65: 8.3e-5
// all <= 1e-4; a seeded simulation of 200,000 healthy runs agrees. POWER: a skewed 80/10/10 cluster fails
// with probability 0.9997 at N = 60, a dead third endpoint with probability 1.
// `rr` mode (IPVS) is deterministic: answers must rotate through all endpoints in a fixed order.

export const CHI_SQUARED_ALPHA = 3e-5;
export const COVERAGE_BUDGET = 5e-5;
/** Pearson's approximation needs about 5 expected answers per endpoint. */
const MIN_EXPECTED_PER_ENDPOINT = 5;

/** Requests needed so that, with k endpoints picked uniformly, P(some endpoint gets none) <= COVERAGE_BUDGET
 *  (union bound k·(1-1/k)^N) and every endpoint expects >= 5 answers; never fewer than `wanted`. */
export function requestsFor(endpoints: number, wanted: number): number {
  if (endpoints <= 1) return Math.max(wanted, 1);
  const coverage = Math.ceil(Math.log(COVERAGE_BUDGET / endpoints) / Math.log(1 - 1 / endpoints));
  return Math.max(wanted, coverage, MIN_EXPECTED_PER_ENDPOINT * endpoints);
}

export function chiSquaredStatistic(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
}

// ln Γ(x), Lanczos approximation (g = 7, n = 9); accurate to ~1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  const t = z + 7.5;
  const a = LANCZOS.reduce((sum, c, i) => (i === 0 ? c : sum + c / (z + i)), 0);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x): series below a+1, Lentz continued fraction above. */
function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * h;
}

/** P(X >= statistic) for X ~ chi-squared with `df` degrees of freedom. */
export function chiSquaredPValue(statistic: number, df: number): number {
  return upperGammaQ(df / 2, statistic / 2);
}

/** Pearson's statistic against equal shares and its p-value, reported whatever the verdict. */
interface Fit {
  readonly chiSquared: number;
  readonly pValue: number;
}

export type SpreadVerdict =
  (Fit & { readonly ok: true }) | (Fit & { readonly ok: false; readonly reason: 'coverage' | 'uniformity' });

/** Random mode: `counts` has one entry per ready endpoint (zeros included). */
export function judgeRandomSpread(counts: readonly number[]): SpreadVerdict {
  if (counts.length <= 1)
    return (counts[0] ?? 0) > 0
      ? { ok: true, chiSquared: 0, pValue: 1 }
      : { ok: false, reason: 'coverage', chiSquared: 0, pValue: 0 };
  const chiSquared = chiSquaredStatistic(counts);
  const pValue = chiSquaredPValue(chiSquared, counts.length - 1);
  if (counts.some((c) => c === 0)) return { ok: false, reason: 'coverage', chiSquared, pValue };
  if (pValue < CHI_SQUARED_ALPHA) return { ok: false, reason: 'uniformity', chiSquared, pValue };
  return { ok: true, chiSquared, pValue };
}

export type RotationVerdict =
  | { readonly ok: true; readonly order: readonly string[] }
  | { readonly ok: false; readonly at: number; readonly expected: string; readonly got: string };

/** rr mode: the first k answers name k distinct endpoints and answer i equals answer i mod k after that. */
export function judgeRotation(answers: readonly string[], endpoints: number): RotationVerdict {
  const order: string[] = [];
  for (const [i, got] of answers.entries()) {
    if (i < endpoints) {
      if (order.includes(got))
        return { ok: false, at: i, expected: 'an endpoint not yet seen in this rotation', got };
      order.push(got);
      continue;
    }
    const want = order[i % endpoints] ?? '';
    if (got !== want) return { ok: false, at: i, expected: want, got };
  }
  return { ok: true, order };
}
