// lab grade in Korean: headings and the summary in the grader's language; CSV and JSON unchanged.
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../../src/i18n/index.ts';
import { renderGradesCsv } from '../../../src/report/class/csv.ts';
import { renderReportHtml } from '../../../src/report/class/html.ts';
import { renderGradesJson } from '../../../src/report/class/json.ts';
import { renderSummaryMarkdown } from '../../../src/report/class/markdown.ts';
import { book, grade, unreachable } from '../grade/fixtures.ts';

afterEach(() => setLanguage('en'));

const CLASS = () =>
  book([
    grade({ id: 'kim', name: '김민준' }, ['pass', 'fail', 'pass']),
    unreachable({ id: 'lee', name: '이서연' }, 'connection refused'),
  ]);

function render(lang: 'en' | 'ko') {
  setLanguage(lang);
  const b = CLASS();
  return {
    csv: renderGradesCsv(b),
    json: renderGradesJson(b),
    html: renderReportHtml(b),
    md: renderSummaryMarkdown(b),
  };
}

describe('lab grade outputs in Korean', () => {
  test('report.html and summary.md headings are Korean; the page says lang="ko"', () => {
    const { html, md } = render('ko');
    expect(html).toContain('<html lang="ko">');
    for (const heading of ['학생', '단계별 통과율', '점수 분포', '실패 내역'])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('<dt>기대 결과</dt>');
    expect(html).toContain('평균 ');
    expect(md).toMatch(/^# Service &#60;lab&#62;: 반 성적$/m);
    expect(md).toContain('## 단계별 통과율');
    expect(md).toContain('| 단계 | 점수 | 통과 | 통과율 |');
    expect(md).toContain('## 확인이 필요한 학생');
  });

  test('in English they stay as they were', () => {
    const { html, md } = render('en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h2>Pass rate per step</h2>');
    expect(md).toContain('| step | points | passed | pass rate |');
  });

  test('grades.csv and grades.json are the same in both languages', () => {
    const [ko, en] = [render('ko'), render('en')];
    const strip = (text: string) =>
      text.replace(/"generatedAt": "[^"]*"/g, '').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '');
    expect(strip(ko.csv)).toBe(strip(en.csv));
    expect(strip(ko.json)).toBe(strip(en.json));
    expect(ko.csv.split('\n')[0]).toContain('id,name,email,lms_id,class,1 deployment (10)');
  });
});
