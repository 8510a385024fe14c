import { describe, expect, test } from 'vitest';
import { classFlags } from '../../../src/grade/flags.ts';
import { classStats } from '../../../src/grade/stats.ts';
import { book, grade, unreachable } from './fixtures.ts';

describe('scoring', () => {
  test('a passed step earns the spec points, anything else 0; the run points are ignored', () => {
    const g = grade({ id: 'a' }, ['pass', 'fail', 'error']);
    expect(g.steps.map((s) => [s.id, s.status, s.points, s.maxPoints])).toEqual([
      ['deployment', 'pass', 10, 10],
      ['service', 'fail', 0, 20],
      ['affinity', 'error', 0, 10],
    ]);
    expect([g.points, g.maxPoints]).toEqual([10, 40]);
    expect(g.steps[1]?.failure).toMatchObject({
      command: 'kubectl get svc x',
      expected: 'exists',
      actual: 'NotFound',
    });
    expect(g.steps[0]?.durationMs).toBe(1234);
  });

  test('overrides excuse the steps left out (by id or number): 0 of 0, not counted', () => {
    const g = grade({ id: 'a' }, ['pass', 'pass', 'pass'], {}, ['deployment', 3]);
    expect(g.steps.map((s) => [s.status, s.points, s.maxPoints])).toEqual([
      ['pass', 10, 10],
      ['excused', 0, 0],
      ['pass', 10, 10],
    ]);
    expect([g.points, g.maxPoints]).toEqual([20, 20]);
  });

  test('an unreachable cluster scores 0 on every step with the reason', () => {
    const g = unreachable({ id: 'u' }, 'connection refused');
    expect(g.points).toBe(0);
    expect(g.maxPoints).toBe(40);
    expect(g.steps.every((s) => s.points === 0 && s.message === 'not run: connection refused')).toBe(true);
  });

  test('the same results give the same grade', () => {
    const a = grade({ id: 'a' }, ['pass', 'fail', 'pass']);
    const b = grade({ id: 'a' }, ['pass', 'fail', 'pass']);
    expect(a).toEqual(b);
  });
});

describe('class statistics and flags', () => {
  test('mean, median, pass rate per step, most failed with its most common message (pod names folded)', () => {
    const grades = [
      grade({ id: 'a' }, ['pass', 'pass', 'pass']),
      grade({ id: 'b' }, ['pass', 'fail', 'fail']),
      grade({ id: 'c' }, ['fail', 'fail', 'pass']),
      unreachable({ id: 'd' }, 'no route'),
    ];
    const rename = (g: number, message: string) => {
      const step = grades[g]?.steps[1];
      if (step) step.message = message;
    };
    rename(1, 'pod hostname-deployment-7d4f978855-8h2m9 silent');
    rename(2, 'pod hostname-deployment-7d4f978855-zzzzz silent');
    const st = classStats(book(grades, [{ id: 'pending-one' }]));
    expect(st.students).toBe(5);
    expect(st.graded).toBe(4);
    expect(st.byStatus).toEqual({ graded: 3, unreachable: 1, pending: 1 });
    expect(st.mean).toBe((40 + 10 + 10 + 0) / 4);
    expect(st.median).toBe(10);
    expect(st.steps.map((s) => [s.id, s.passed, s.graded])).toEqual([
      ['deployment', 2, 3],
      ['service', 1, 3],
      ['affinity', 2, 3],
    ]);
    expect(st.mostFailed[0]).toMatchObject({
      id: 'service',
      failed: 2,
      topFailure: { message: 'pod <pod> silent', count: 2 },
    });
    expect(st.distribution).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
  });

  test('two grades from one cluster are flagged on both; self-reported and unlisted are said', () => {
    const cluster = { kubeSystemUid: 'u-1', nodes: [], checkedAt: 'now' };
    const flags = classFlags(
      [
        grade({ id: 'a' }, ['pass'], { cluster, source: 'report' }),
        grade({ id: 'b' }, ['pass'], { cluster }),
        grade({ id: 'c' }, ['pass'], { cluster: { ...cluster, kubeSystemUid: 'u-2' } }),
      ],
      { unlisted: new Set(['a']) },
    );
    expect(flags.get('a')).toEqual([
      'duplicate cluster: same as b (kube-system uid u-1)',
      'self-reported',
      'not in the inventory',
    ]);
    expect(flags.get('b')).toEqual(['duplicate cluster: same as a (kube-system uid u-1)']);
    expect(flags.get('c')).toEqual([]);
  });
});
