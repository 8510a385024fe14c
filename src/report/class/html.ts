// report.html: one self-contained file (inline CSS, inline script, inline SVG; a Content-Security-Policy that
// allows no network at all): class statistics, a sortable class table (click a column header), a chart of the
// pass rate per step and of the score distribution, and each student's failures with command, expected,
// actual and hint. Every piece of text from a student, a cluster or a check is escaped.
import { classStats, type ClassStats } from '../../grade/stats.ts';
import type { Gradebook, GradebookRow, StepGrade } from '../../grade/types.ts';
import { language, t } from '../../i18n/index.ts';
import { escapeHtml as e } from './html-escape.ts';
import { distributionChart, passRateChart } from './svg.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th button{all:unset;cursor:pointer;font-weight:600}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td.num{text-align:right}.pass{background:#dafbe1}.fail,.error{background:#ffebe9}.excused,.skip{color:#6e7781}
.status-unreachable,.status-rejected,.status-missing,.status-error,.status-interrupted{background:#fff8c5}
.bar{fill:#2f81f7}.track{fill:#eaeef2}svg text{font-size:12px}.small{font-size:10px}.flags{color:#9a6700}
pre{white-space:pre-wrap;background:#f6f8fa;padding:6px;margin:2px 0}dt{font-weight:600}details{margin:6px 0}`;

// Sorts by the clicked column's data-sort values (numbers numerically, text by locale), toggling the direction.
const SCRIPT = `document.querySelectorAll('table.sortable').forEach(function(t){var hs=t.tHead.rows[0].cells;
Array.prototype.forEach.call(hs,function(h,i){var b=h.querySelector('button');if(!b)return;b.addEventListener('click',function(){
var asc=h.getAttribute('aria-sort')!=='ascending';Array.prototype.forEach.call(hs,function(o){o.removeAttribute('aria-sort')});
h.setAttribute('aria-sort',asc?'ascending':'descending');var rows=Array.prototype.slice.call(t.tBodies[0].rows);
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-sort')||'',y=b.cells[i].getAttribute('data-sort')||'';
var nx=parseFloat(x),ny=parseFloat(y),r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?r:-r});
rows.forEach(function(r){t.tBodies[0].appendChild(r)})})})});`;

const cell = (text: string, sort: string | number, cls = '') =>
  `<td${cls ? ` class="${e(cls)}"` : ''} data-sort="${e(String(sort))}">${text}</td>`;

function studentRow(book: Gradebook, row: GradebookRow): string {
  const g = row.grade;
  const byId = new Map(g?.steps.map((s) => [s.id, s]) ?? []);
  const who = `${e(row.subject.id)}${row.subject.name ? `<br>${e(row.subject.name)}` : ''}`;
  const contact = [row.subject.email, row.subject.lmsId]
    .filter((x): x is string => Boolean(x))
    .map(e)
    .join('<br>');
  const status = g?.status ?? 'pending';
  const percent = g && g.maxPoints > 0 ? Math.round((100 * g.points) / g.maxPoints) : 0;
  return `<tr>${[
    cell(who, row.subject.id),
    cell(contact, row.subject.email ?? row.subject.lmsId ?? ''),
    cell(`${e(status)}${g?.reason ? `<br><small>${e(g.reason)}</small>` : ''}`, status, `status-${status}`),
    ...book.lab.steps.map((s) => {
      const step = byId.get(s.id);
      if (!step) return cell('', -1);
      const shown = step.status === 'excused' ? 'excused' : `${step.points}`;
      return cell(e(shown), step.status === 'excused' ? -1 : step.points, `num ${step.status}`);
    }),
    cell(g ? `${g.points} / ${g.maxPoints}` : '', g?.points ?? -1, 'num'),
    cell(g ? `${percent}%` : '', g ? percent : -1, 'num'),
    cell(row.flags.map(e).join('<br>'), row.flags.join('; '), 'flags'),
  ].join('')}</tr>`;
}

function failureDetails(step: StepGrade): string {
  const f = step.failure;
  const label = t().grade.item;
  const item = (name: string, text: string | undefined) =>
    text ? `<dt>${e(name)}</dt><dd><pre>${e(text)}</pre></dd>` : '';
  return `<li><b>${e(`${step.index} ${step.id}`)}</b> (${step.points}/${step.maxPoints}): ${e(step.message)}<dl>${[
    item(label.command, f?.command ? `${f.host ? `${f.host}$ ` : ''}${f.command}` : undefined),
    item(label.expected, f?.expected),
    item(label.actual, f?.actual),
    item(label.hint, step.hint),
  ].join('')}</dl></li>`;
}

function failuresSection(book: Gradebook): string {
  const parts = book.rows.flatMap((row) => {
    const failed = row.grade?.steps.filter((s) => s.status === 'fail' || s.status === 'error') ?? [];
    if (!row.grade || (failed.length === 0 && !row.grade.reason)) return [];
    const title = `${row.subject.id}${row.subject.name ? ` (${row.subject.name})` : ''}: ${row.grade.points}/${row.grade.maxPoints}`;
    const reason = row.grade.reason ? `<p>${e(row.grade.reason)}</p>` : '';
    return [
      `<details class="student"><summary>${e(title)}</summary>${reason}<ul>${failed.map(failureDetails).join('')}</ul></details>`,
    ];
  });
  return parts.length ? parts.join('\n') : `<p>${e(t().grade.noFailures)}</p>`;
}

function statsList(st: ClassStats): string {
  const num = (x: number | undefined) =>
    x === undefined ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(1);
  const statuses = Object.entries(st.byStatus)
    .map(([k, v]) => `${e(k)} ${v}`)
    .join(', ');
  const g = t().grade;
  return `<ul><li>${g.counts(st.students, st.graded, statuses)}</li><li>${g.meanMedian(num(st.mean), num(st.median), st.maxPoints)}</li>${st.mostFailed
    .slice(0, 3)
    .map((s) => `<li>${e(g.failedMost(`${s.index} ${s.id}`, s.failed, s.topFailure?.message ?? ''))}</li>`)
    .join('')}</ul>`;
}

export function renderReportHtml(book: Gradebook): string {
  const st = classStats(book);
  const g = t().grade;
  const headers = [
    g.column.student,
    g.column.contact,
    g.column.status,
    ...book.lab.steps.map((s) => `${s.index} ${s.id} (${s.points})`),
    g.column.total,
    '%',
    g.column.flags,
  ];
  const title = g.heading(book.lab.title);
  return `<!doctype html>
<html lang="${language()}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head>
<body><h1>${e(title)}</h1><p>${e(g.labLine(book.lab.name, book.lab.maxPoints, book.generatedAt))}</p>
${statsList(st)}
<h2>${e(g.students)}</h2>
<table class="sortable" id="grades"><thead><tr>${headers.map((h) => `<th scope="col"><button type="button">${e(h)}</button></th>`).join('')}</tr></thead>
<tbody>${book.rows.map((r) => studentRow(book, r)).join('\n')}</tbody></table>
<h2>${e(g.passRate)}</h2>${passRateChart(st.steps)}
<h2>${e(g.distribution)}</h2>${distributionChart(st.distribution)}
<h2>${e(g.failures)}</h2>${failuresSection(book)}
<script>${SCRIPT}</script></body></html>
`;
}
