import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunEvent } from '../../../src/lab/results.ts';
import { createListrDisplay, createPlainDisplay } from '../../../src/report/console/display.ts';
import { renderHistogram } from '../../../src/report/histogram.ts';
import { labReportJson } from '../../../src/report/json/json-reporter.ts';
import { renderJunit } from '../../../src/report/junit/junit-reporter.ts';
import { escapeXml, renderXml } from '../../../src/report/junit/xml.ts';
import { renderMarkdown } from '../../../src/report/markdown/markdown-reporter.ts';
import { parseReportRequest, writeReports } from '../../../src/report/request.ts';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { HOSTILE, sampleResult } from './sample-result.ts';

const dir = mkdtempSync(join(tmpdir(), 'labkit-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('json report', () => {
  test('carries per step id, status, duration, points, commands, observed values, message, expected/actual', () => {
    const json = labReportJson(sampleResult());
    expect(json).toMatchObject({
      version: 1,
      lab: 'service',
      target: 'c1',
      points: 20,
      maxPoints: 40,
      passed: 1,
      failed: 1,
      exitCode: 1,
    });
    expect(json.steps[0]).toMatchObject({
      id: 'cluster-ip-service',
      status: 'pass',
      durationMs: 1500,
      points: 20,
      maxPoints: 20,
      observed: {
        'service-spread': {
          spread: {
            what: '60 requests by ClusterIP:8080 over 3 pods',
            counts: { 'pod-a': 20, 'pod-b': 21, 'pod-c': 19 },
            chiSquared: 0.1,
            pValue: 0.951229424500714,
          },
        },
      },
    });
    expect(json.steps[0]?.commands[0]).toMatchObject({ phase: 'check', host: 'master-node', exitCode: 0 });
    expect(json.steps[1]).toMatchObject({
      status: 'fail',
      expected: 'each client reaches one pod',
      actual: `client-1: pod-a 5, pod-b 5\n${HOSTILE}`,
      observed: { 'session-affinity': { mapping: { 'client-1': { 'pod-a': 5, 'pod-b': 5 } } } },
    });
    expect(json.steps[2]).toMatchObject({ status: 'skip', points: 0 });
  });
});

describe('junit report', () => {
  test('escapes the five XML characters and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\uD800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\uFFFD\uFFFD',
    );
    expect(renderXml({ name: 't', attrs: { m: 'a\nb' } })).toBe('<t m="a&#10;b"/>');
    expect(() => renderXml({ name: 'bad name' })).toThrow('invalid XML element name');
  });

  test('one testcase per step: failure with expected/actual/hint, skipped, counts on the suite', () => {
    const xml = renderJunit(sampleResult());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml).toContain(
      '<testsuite name="service (c1)" tests="3" failures="1" errors="0" skipped="1" time="4.321"',
    );
    expect(xml).toContain(
      '<testcase classname="lab.service" name="1 cluster-ip-service: Service answers" time="1.500">',
    );
    expect(xml).toContain('<skipped message="not run: a lab host was unreachable"/>');
    expect(xml).toContain('expected: each client reaches one pod');
    expect(xml).toContain('hint: Check sessionAffinity.');
    // The failed step's histogram, drawn as on the console, between actual and hint.
    expect(xml).toContain(
      `10 requests by ClusterIP:8080 over 2 pods\n  pod-a │${'█'.repeat(30)} 5 (50%)\n  pod-b │${'█'.repeat(30)} 5 (50%)\nhint:`,
    );
    // Hostile text never produces markup: no raw < or & from it, no control character.
    expect(xml).not.toContain('<x>');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('a|b &lt;x&gt; &amp; &quot;q&quot; &apos;a&apos; ]]&gt;');
  });
});

describeWithTools(['python3'], 'junit report, read by another parser', () => {
  test('the document is well-formed XML (python3 xml.etree parses it and finds the testcases)', () => {
    const file = join(dir, 'r.xml');
    const script = [
      'import sys, xml.etree.ElementTree as ET',
      'root = ET.parse(sys.argv[1]).getroot()',
      'cases = root.findall("./testsuite/testcase")',
      'print(len(cases), len(root.findall("./testsuite/testcase/failure")), cases[1].get("name"))',
    ].join('\n');
    return writeReports([{ kind: 'junit', path: file }], sampleResult()).then(() => {
      const out = execFileSync(toolPath('python3'), ['-c', script, file], { encoding: 'utf8' });
      expect(out.trim()).toBe(`3 1 2 session-affinity: Affinity ${HOSTILE.replace('\u0001', '\uFFFD')}`);
    });
  });
});

describe('markdown report', () => {
  test('a summary table with escaped cells, then failures with fenced command/expected/actual and the hint', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain(
      '| 2 | Affinity a\\|b <x> & "q" \'a\' ]]> \u0001 ``` end | ❌ fail | 0/10 | 2.8 s |',
    );
    expect(md).toContain('**20/40 points**');
    // The fence is longer than any backtick run inside.
    expect(md).toContain("````\nmaster-node$ kubectl exec c -- sh -c 'wget");
    expect(md).toContain('> **Hint:** Check sessionAffinity.\n> Second line');
    // Each step's histogram, fenced, with its title: the passing step's and the failing step's.
    expect(md).toContain(
      '1 check passed\n\n```\n60 requests by ClusterIP:8080 over 3 pods, chi² 0.1, p 0.95\n  pod-a │',
    );
    expect(md).toContain('```\n10 requests by ClusterIP:8080 over 2 pods\n  pod-a │');
  });
});

describe('report requests', () => {
  test('KIND:PATH for json, junit and md; anything else is a usage error', async () => {
    expect(parseReportRequest('json:out/r.json')).toEqual({ kind: 'json', path: 'out/r.json' });
    expect(parseReportRequest('md:C:/x.md')).toEqual({ kind: 'md', path: 'C:/x.md' });
    expect(() => parseReportRequest('xml:r.xml')).toThrow(
      '--report "xml:r.xml": expected KIND:PATH with KIND one of json, junit, md (e.g. --report junit:results.xml)',
    );
    expect(() => parseReportRequest('json:')).toThrow('expected KIND:PATH');
    const written = await writeReports(
      [
        { kind: 'json', path: join(dir, 'sub', 'r.json') },
        { kind: 'md', path: join(dir, 'r.md') },
      ],
      sampleResult(),
    );
    expect(written).toEqual([
      `json report: ${join(dir, 'sub', 'r.json')}`,
      `md report: ${join(dir, 'r.md')}`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'sub', 'r.json'), 'utf8')).lab).toBe('service');
  });
});

describe('console', () => {
  test('a histogram: its title with the fit where there is one, then bars scaled to the largest count', () => {
    expect(
      renderHistogram(
        {
          what: '15 requests by ClusterIP:8080 over 3 pods',
          counts: { 'pod-a': 10, 'pod-bb': 5, 'pod-c': 0 },
          chiSquared: 10,
          pValue: 0.006737946999085467,
        },
        10,
      ),
    ).toEqual([
      '15 requests by ClusterIP:8080 over 3 pods, chi² 10.0, p 6.7e-3',
      '  pod-a  │██████████ 10 (67%)',
      '  pod-bb │█████ 5 (33%)',
      '  pod-c  │ 0 (0%)',
    ]);
    // No fit claimed when the check judged none; a count too small for a block still shows.
    expect(renderHistogram({ what: '61 requests', counts: { a: 60, b: 1 } }, 10)).toEqual([
      '61 requests',
      '  a │██████████ 60 (98%)',
      '  b │▏ 1 (2%)',
    ]);
  });

  test('plain display: a line per step, failure details with hint, histogram from observed counts, summary', () => {
    const out: string[] = [];
    const display = createPlainDisplay((t) => out.push(t));
    const result = sampleResult();
    const events: RunEvent[] = [
      {
        type: 'lab-start',
        lab: 'service',
        target: 'c1',
        mode: 'check',
        steps: result.steps.map((s) => ({ index: s.index, id: s.id, title: s.title })),
      },
      ...result.steps.map((r): RunEvent => ({ type: 'step-end', result: r })),
      { type: 'lab-end', result },
    ];
    for (const e of events) display.onEvent(e);
    const text = out.join('');
    expect(text).toContain('lab service: check on c1 (3 steps)\n');
    // Each histogram right under its own step, with its title.
    expect(text).toContain(
      'PASS 1 cluster-ip-service: Service answers (1.5 s)\n    60 requests by ClusterIP:8080 over 3 pods, chi² 0.1, p 0.95\n      pod-a │',
    );
    expect(text).toContain(
      `              ${HOSTILE}\n    10 requests by ClusterIP:8080 over 2 pods\n      pod-a │`,
    );
    expect(text).toContain('FAIL 2 session-affinity: check 1 of 1 "session-affinity"');
    expect(text).toContain("    command:  master-node$ kubectl exec c -- sh -c 'wget");
    expect(text).toContain(
      '    expected: each client reaches one pod\n    actual:   client-1: pod-a 5, pod-b 5\n',
    );
    expect(text).toContain('    hint:     Check sessionAffinity.\n              Second line');
    expect(text).toContain('SKIP 3 later: not run: a lab host was unreachable');
    expect(text).toContain('service on c1: 20/40 points, 1/3 steps passed in 4.3 s');
  });
});

/** A stand-in terminal: collects what listr2 draws, without escape sequences. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let raw = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw += String(chunk);
      done();
    },
  });
  // eslint-disable-next-line no-control-regex
  const text = () => raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return {
    stream: Object.assign(stream, { isTTY: true, columns: 200 }) as unknown as NodeJS.WriteStream,
    text,
  };
}

describe('listr2 display', () => {
  test('each step under its task in the TTY tree, a passed step with its histogram; failures and the summary follow', async () => {
    const out: string[] = [];
    const terminal = fakeTerminal();
    const display = createListrDisplay((t) => out.push(t), { terminal: terminal.stream });
    const result = sampleResult();
    display.onEvent({
      type: 'lab-start',
      lab: 'service',
      target: 'c1',
      mode: 'check',
      steps: result.steps.map((s) => ({ index: s.index, id: s.id, title: s.title })),
    });
    for (const r of result.steps) {
      display.onEvent({ type: 'step-start', index: r.index, id: r.id, title: r.title });
      display.onEvent({ type: 'step-end', result: r });
    }
    display.onEvent({ type: 'lab-end', result });
    await display.finish();
    // The tree's last frame: step 1's histogram (title first) right under step 1, before step 2.
    const tree = terminal.text();
    const frame = tree.slice(tree.lastIndexOf('1 cluster-ip-service'));
    expect(frame).toMatch(
      /^1 cluster-ip-service: Service answers\n.*60 requests by ClusterIP:8080 over 3 pods, chi² 0\.1, p 0\.95\n +pod-a │█+ 20 \(33%\)\n +pod-b │█+ 21 \(35%\)\n +pod-c │█+ 19 \(32%\)\n.*2 session-affinity/,
    );
    const text = out.join('');
    expect(text).toContain('lab service: check on c1\n');
    // A passed step's histogram is shown in the tree only; the failed step's sits in its failure block.
    expect(text).not.toContain('60 requests by ClusterIP:8080');
    expect(text).toContain('FAIL 2 session-affinity');
    expect(text).toContain('    10 requests by ClusterIP:8080 over 2 pods\n      pod-a │');
    expect(text).toContain('    hint:     Check sessionAffinity.');
    expect(text).toContain('service on c1: 20/40 points, 1/3 steps passed in 4.3 s');
  });
});
