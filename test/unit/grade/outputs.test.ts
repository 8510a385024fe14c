import { describe, expect, test } from 'vitest';
import { csvCell, renderGradesCsv } from '../../../src/report/class/csv.ts';
import { escapeHtml, jsonForScript } from '../../../src/report/class/html-escape.ts';
import { renderReportHtml } from '../../../src/report/class/html.ts';
import { renderGradesJunit } from '../../../src/report/class/junit.ts';
import { mdCell, renderSummaryMarkdown } from '../../../src/report/class/markdown.ts';
import { book, grade, unreachable } from './fixtures.ts';

const HOSTILE = `=cmd|' /C calc'!A0 "quoted", <script>alert(1)</script>\n& 'x' | \`y\` $(rm -rf ~) 김철수`;

describe('CSV', () => {
  const cases: [string, string | number | undefined, string][] = [
    ['plain text stays', 'alice', 'alice'],
    ['a comma is quoted', 'Kim, Alice', '"Kim, Alice"'],
    ['quotes are doubled', 'say "hi"', '"say ""hi"""'],
    ['a newline is quoted', 'a\nb', '"a\nb"'],
    ['= starts a formula: neutralised', '=1+2', "'=1+2"],
    ['+ neutralised', '+1', "'+1"],
    ['- neutralised', '-2+3', "'-2+3"],
    ['@ neutralised', '@SUM(A1)', "'@SUM(A1)"],
    ['tab neutralised and kept', '\t=1', "'\t=1"],
    ['a formula with a comma is neutralised and quoted', '=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['numbers are numbers (no quote for negatives)', -3, '-3'],
    ['undefined is empty', undefined, ''],
    ['leading space is quoted', ' x', '" x"'],
    ['unicode stays', '김철수', '김철수'],
  ];
  for (const [title, input, want] of cases) test(title, () => expect(csvCell(input)).toBe(want));

  test('a row per student: id, name, email, a column per step, total, max, status; BOM and CRLF', () => {
    const csv = renderGradesCsv(
      book([
        grade({ id: 'a', name: HOSTILE, email: 'a@example.edu', lmsId: '=evil' }, ['pass', 'fail', 'pass']),
        unreachable({ id: 'b' }, 'ssh: connect, refused'),
      ]),
    );
    expect(
      csv.startsWith(
        '\uFEFFid,name,email,lms_id,class,1 deployment (10),2 service (20),3 affinity (10),total,max,status,source,flags,reason\r\n',
      ),
    ).toBe(true);
    const rows = csv.slice(1).split('\r\n');
    expect(rows[1]).toBe(
      `a,"'${HOSTILE.replaceAll('"', '""')}",a@example.edu,'=evil,,10,0,10,20,40,graded,ssh,,`,
    );
    expect(rows[2]).toBe('b,,,,,0,0,0,0,40,unreachable,ssh,,"ssh: connect, refused"');
  });
});

describe('HTML', () => {
  test('escapeHtml and script JSON', () => {
    expect(escapeHtml(`<a href="x">'&'</a>\u0000`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\uFFFD',
    );
    expect(jsonForScript({ n: '</script><!--' })).toBe('{"n":"\\u003c/script\\u003e\\u003c!--"}');
  });

  test('report.html escapes every student string, names no external resource, and lists failures', () => {
    const html = renderReportHtml(book([grade({ id: 'a', name: HOSTILE }, ['pass', 'fail', 'pass'])]));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('<dt>command</dt><dd><pre>master-node$ kubectl get svc x</pre></dd>');
    expect(html).toContain('<dt>hint</dt><dd><pre>apply it</pre></dd>');
    expect(html).toContain('<svg role="img" aria-label="pass rate per step"');
    expect(html).toContain('Service &lt;lab&gt;: class grades');
  });
});

describe('JUnit and Markdown', () => {
  test('junit.xml: a suite per student, a case per step, hostile names escaped; unreachable is an error', () => {
    const xml = renderGradesJunit(
      book([
        grade({ id: 'a', name: HOSTILE }, ['pass', 'fail', 'skip']),
        unreachable({ id: 'b' }, 'no <route>'),
      ]),
    );
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml).toContain('<failure message="service failed" type="CheckFailed">');
    expect(xml).toContain('<error message="no &lt;route&gt;" type="unreachable">');
  });

  test('summary.md cells cannot break the table', () => {
    expect(mdCell('a|b\n<i>`c`</i>')).toBe('a&#124;b &#60;i&#62;&#96;c&#96;&#60;/i&#62;');
    const md = renderSummaryMarkdown(
      book([grade({ id: 'a', name: 'x|y' }, ['pass', 'fail', 'pass']), unreachable({ id: 'b' }, 'down|up')]),
    );
    expect(md).toContain('- mean 10 / 40, median 10 / 40');
    expect(md).toContain('| 2 service | 20 | 0/1 | 0% |');
    expect(md).toContain('| b | unreachable | down&#124;up |');
  });
});
