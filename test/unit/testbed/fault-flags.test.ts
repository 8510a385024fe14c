// `testbed up --fault`: NAME for every cluster, cN=NAME for one; wrong names and cluster numbers are refused
// with the flag and the known values.
import { describe, expect, test } from 'vitest';
import { faultsOf, parseFaultFlags } from '../../testbed/faults.ts';

describe('testbed up --fault', () => {
  test('a plain name applies to every cluster, cN=NAME to cluster N only', () => {
    const flags = parseFaultFlags(
      ['dns-broken', 'c2=affinity-ignored', 'c3=lb-pending', 'c2=env-missing'],
      3,
    );
    expect(flags).toEqual({
      all: ['dns-broken'],
      byCluster: { 2: ['affinity-ignored', 'env-missing'], 3: ['lb-pending'] },
    });
    expect(faultsOf(flags, 1)).toEqual(['dns-broken']);
    expect(faultsOf(flags, 2)).toEqual(['dns-broken', 'affinity-ignored', 'env-missing']);
    expect(faultsOf(flags, 3)).toEqual(['dns-broken', 'lb-pending']);
  });

  test('repeats fold', () => {
    expect(faultsOf(parseFaultFlags(['dns-broken', 'c1=dns-broken', 'dns-broken'], 1), 1)).toEqual([
      'dns-broken',
    ]);
  });

  test('an unknown fault names the flag and the known faults', () => {
    expect(() => parseFaultFlags(['dns-brokn'], 1)).toThrow(
      /^testbed: --fault dns-brokn: unknown fault "dns-brokn"; known faults: affinity-ignored, blackhole-endpoint, .*lb-pending/,
    );
    expect(() => parseFaultFlags(['c2=nope'], 3)).toThrow(
      /--fault c2=nope: unknown fault "nope"; known faults:/,
    );
    expect(() => parseFaultFlags(['x2=dns-broken'], 3)).toThrow(/unknown fault "x2=dns-broken"/);
  });

  test('a cluster number outside --clusters names the clusters there are', () => {
    expect(() => parseFaultFlags(['c4=affinity-ignored'], 3)).toThrow(
      'testbed: --fault c4=affinity-ignored: no cluster 4; with --clusters 3 the clusters are c1, c2, c3',
    );
    expect(() => parseFaultFlags(['c0=affinity-ignored'], 1)).toThrow(
      /no cluster 0; with --clusters 1 the clusters are c1$/,
    );
  });
});
