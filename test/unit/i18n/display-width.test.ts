// Hangul takes two terminal cells a character: tables line up by display width, in both languages.
import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import { classTableLines } from '../../../src/grade/progress.ts';
import { setLanguage } from '../../../src/i18n/index.ts';
import type { LabRunResult, StepResult } from '../../../src/lab/results.ts';
import { summaryLines } from '../../../src/report/console/format.ts';
import { renderHistogram } from '../../../src/report/histogram.ts';
import { formatSummary } from '../../../src/up/run.ts';
import { padEndWidth, truncateWidth } from '../../../src/util/display-width.ts';
import { book, grade } from '../grade/fixtures.ts';

afterEach(() => setLanguage('en'));

/** The display column where `cell` starts on `line` (cells before it counted by width). */
function columnOf(line: string, cell: string): number {
  const at = line.indexOf(cell);
  expect(at, `${cell} in ${line}`).toBeGreaterThanOrEqual(0);
  return stringWidth(line.slice(0, at));
}

function step(index: number, id: string, title: string, status: StepResult['status']): StepResult {
  return {
    index,
    id,
    title,
    stableTitle: id,
    status,
    durationMs: 1500 * index,
    points: status === 'pass' ? 10 : 0,
    maxPoints: 10,
    message: '',
    commands: [],
    checks: [],
    cleanup: [],
  };
}

const RUN: LabRunResult = {
  lab: 'service',
  title: '쿠버네티스 서비스',
  lang: 'ko',
  target: 'vagrant',
  mode: 'check',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 9000,
  steps: [
    step(1, 'deployment', '디플로이먼트 hostname-deployment가 파드 3개를 실행', 'pass'),
    step(2, 'pods-by-ip', '임시 busybox 파드에서 파드 IP로 요청', 'fail'),
    step(3, 'cluster-ip-service', 'Service answers (English title among Korean ones)', 'skip'),
  ],
  points: 10,
  maxPoints: 30,
  interrupted: false,
  exitCode: 1,
};

describe('display width', () => {
  test('padding and cutting count Hangul as two cells', () => {
    expect(stringWidth(padEndWidth('파드', 6))).toBe(6);
    expect(padEndWidth('파드', 6)).toBe('파드  ');
    expect(stringWidth(truncateWidth('디플로이먼트 hostname-deployment', 10))).toBeLessThanOrEqual(10);
    expect(truncateWidth('디플로이먼트', 7)).toBe('디플로…');
  });

  test.each(['ko', 'en'] as const)('the %s step summary lines up under its header', (lang) => {
    setLanguage(lang);
    const lines = summaryLines(RUN);
    const [head, ...rows] = lines.slice(0, 4);
    const h = lang === 'ko' ? ['결과', '점수', '시간'] : ['status', 'points', 'time'];
    const status = lang === 'ko' ? ['통과', '실패', '건너뜀'] : ['PASS', 'FAIL', 'SKIP'];
    rows.forEach((row, i) => {
      expect(columnOf(row, status[i] ?? ''), row).toBe(columnOf(head ?? '', h[0] ?? ''));
      expect(columnOf(row, i === 0 ? '10/10' : '0/10'), row).toBe(columnOf(head ?? '', h[1] ?? ''));
      expect(columnOf(row, `${(1.5 * (i + 1)).toFixed(1)} s`), row).toBe(columnOf(head ?? '', h[2] ?? ''));
    });
    // String length would misplace the Korean rows by one cell per syllable; display width does not.
    expect(rows.map((r) => columnOf(r, `${r.includes('10/10') ? '10/10' : '0/10'}`))).toEqual([
      columnOf(head ?? '', h[1] ?? ''),
      columnOf(head ?? '', h[1] ?? ''),
      columnOf(head ?? '', h[1] ?? ''),
    ]);
  });

  test('the class table lines up with Korean student names', () => {
    setLanguage('ko');
    const lines = classTableLines(
      book([
        grade({ id: 'kim', name: '김민준' }, ['pass', 'pass', 'pass']),
        grade({ id: 'lee', name: '이서연 (Seoyeon Lee)' }, ['pass', 'fail', 'pass']),
        grade({ id: 'park', name: 'Park' }, ['fail', 'fail', 'fail']),
      ]),
    );
    const [head, ...rows] = lines;
    expect(head).toMatch(/^학생 +이름 +점수 +상태/);
    const points = columnOf(head ?? '', '점수');
    expect(
      rows.slice(0, 3).map((r) => columnOf(r, '/40'.replace('/40', r.match(/\d+\/40/)?.[0] ?? ''))),
    ).toEqual([points, points, points]);
    expect(lines.at(-1)).toBe('학생 3명 중 3명 채점 완료');
  });

  test('a histogram with wide pod names keeps its bars in one column', () => {
    const lines = renderHistogram({ what: '요청 6개', counts: { '파드-가': 3, 'pod-b': 2, c: 1 } });
    const bars = lines.slice(1).map((l) => columnOf(l, '│'));
    expect(new Set(bars).size).toBe(1);
  });

  test('the lab:up summary lines up with Korean statuses', () => {
    setLanguage('ko');
    const text = formatSummary({
      outcomes: [
        { phase: 'preflight', status: 'done', detail: 'ok', durationMs: 1200 },
        { phase: 'base', status: 'skipped', detail: 'skipped', durationMs: 5 },
        { phase: 'vms', status: 'failed', detail: 'vagrant up failed', durationMs: 65_000 },
      ],
      totalMs: 66_205,
      error: new Error('vagrant up failed'),
    });
    const rows = text.split('\n').slice(1);
    expect(text.split('\n')[0]).toBe('lab:up 실패, 소요 시간 1 min 6 s');
    // The status (완료, 건너뜀, 실패: 4 or 6 cells) and the right-aligned time leave the detail in one column.
    const details = ['ok', 'skipped', 'vagrant up failed'];
    const at = rows.map((r, i) => columnOf(r, `  ${details[i] ?? ''}`));
    expect(new Set(at).size).toBe(1);
    expect(columnOf(rows[1] ?? '', '건너뜀')).toBe(columnOf(rows[0] ?? '', '완료'));
  });
});
