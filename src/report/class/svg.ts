// Two small SVG charts for report.html, drawn as strings (no library, no network): pass rate per step as
// horizontal bars, and the class's score distribution as columns. Every label goes through escapeHtml.
import { escapeHtml } from './html-escape.ts';

export function passRateChart(
  steps: readonly { index: number; id: string; passRate: number; passed: number; graded: number }[],
): string {
  const row = 26;
  const width = 560;
  const labelW = 190;
  const barW = width - labelW - 60;
  const height = steps.length * row + 10;
  const bars = steps
    .map((s, i) => {
      const y = 5 + i * row;
      const w = Math.round(barW * s.passRate);
      return `<g><text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(`${s.index} ${s.id}`)}</text><rect x="${labelW}" y="${y + 3}" width="${barW}" height="18" class="track"/><rect x="${labelW}" y="${y + 3}" width="${w}" height="18" class="bar"><title>${escapeHtml(`${s.passed} of ${s.graded} passed`)}</title></rect><text x="${labelW + barW + 6}" y="${y + 16}">${Math.round(100 * s.passRate)}%</text></g>`;
    })
    .join('');
  return `<svg role="img" aria-label="pass rate per step" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

export function distributionChart(bins: readonly number[]): string {
  const width = 560;
  const height = 180;
  const top = Math.max(1, ...bins);
  const colW = (width - 40) / bins.length;
  const cols = bins
    .map((n, i) => {
      const h = Math.round(((height - 50) * n) / top);
      const x = 30 + i * colW;
      const label = i === bins.length - 1 ? `${i * 10}-100%` : `${i * 10}-${i * 10 + 9}%`;
      return `<g><rect x="${x + 3}" y="${height - 30 - h}" width="${colW - 6}" height="${h}" class="bar"><title>${escapeHtml(`${n} student(s) scored ${label}`)}</title></rect><text x="${x + colW / 2}" y="${height - 32 - h}" text-anchor="middle">${n || ''}</text><text x="${x + colW / 2}" y="${height - 12}" text-anchor="middle" class="small">${label}</text></g>`;
    })
    .join('');
  return `<svg role="img" aria-label="score distribution" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${cols}</svg>`;
}
