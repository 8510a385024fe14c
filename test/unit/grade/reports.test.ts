import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.ts';
import { gradeFromReport } from '../../../src/grade/reports.ts';
import { labReportJson } from '../../../src/report/json/json-reporter.ts';
import type { LabRunResult } from '../../../src/lab/results.ts';
import { SPEC, stepResult } from './fixtures.ts';

const dir = tempDir('labkit-reports-');
const run: LabRunResult = {
  lab: 'service',
  title: 't',
  lang: 'en',
  target: 'vagrant',
  mode: 'check',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  steps: [stepResult('deployment', 'pass'), stepResult('service', 'fail'), stepResult('affinity', 'pass')],
  points: 999,
  maxPoints: 999,
  interrupted: false,
  exitCode: 1,
  labFingerprint: 'sha256:lab',
  cluster: {
    kubeSystemUid: 'uid-1',
    nodes: [{ name: 'master-node', internalIP: '192.168.56.10' }],
    checkedAt: 'x',
  },
};

function file(name: string, content: unknown): { id: string; file: string } {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { id: name, file: path };
}

describe('grading from a report', () => {
  test('a genuine report: points from the spec (not the file), self-reported, cluster kept', async () => {
    const g = await gradeFromReport(SPEC, 'sha256:lab', { id: 'kim' }, file('kim', labReportJson(run)));
    expect([g.status, g.source, g.points, g.maxPoints]).toEqual(['graded', 'report', 20, 40]);
    expect(g.cluster?.kubeSystemUid).toBe('uid-1');
    expect(g.steps[1]?.failure).toMatchObject({ expected: 'exists', actual: 'NotFound' });
  });

  const refusals: [string, (r: ReturnType<typeof labReportJson>) => unknown, RegExp][] = [
    [
      'an edited step status',
      (r) => ({ ...r, steps: r.steps.map((s) => ({ ...s, status: 'pass' })) }),
      /checksum mismatch/,
    ],
    ['not JSON', () => '{"steps": [', /not JSON/],
    ['not a report', () => ({ hello: 1 }), /not a labkit check report/],
  ];
  for (const [title, change, reason] of refusals)
    test(`refused: ${title}`, async () => {
      const g = await gradeFromReport(SPEC, 'sha256:lab', { id: 'x' }, file('x', change(labReportJson(run))));
      expect(g.status).toBe('rejected');
      expect(g.points).toBe(0);
      expect(g.reason).toMatch(reason);
    });

  test('refused: another lab, another version of this lab', async () => {
    const other = await gradeFromReport(
      SPEC,
      'sha256:lab',
      { id: 'o' },
      file('o', labReportJson({ ...run, lab: 'dns' })),
    );
    expect(other.reason).toMatch(/a report of lab dns, not service/);
    const old = await gradeFromReport(SPEC, 'sha256:new', { id: 'v' }, file('v', labReportJson(run)));
    expect(old.reason).toMatch(/another version of lab service/);
  });

  test('no report: missing, 0 points', async () => {
    const g = await gradeFromReport(SPEC, 'sha256:lab', { id: 'm' }, undefined);
    expect([g.status, g.points, g.reason]).toEqual(['missing', 0, 'no report handed in']);
  });
});
