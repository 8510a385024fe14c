// report.html in a real browser: Debian's headless Chromium (driven by playwright-core, no browser download)
// renders the class table and both SVG charts, with no network request at all, and clicking a column header
// sorts the table (then reverses it). A screenshot is kept for a look. Needs `apt-get install chromium`
// (.ci/run installs it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderReportHtml } from '../../../src/report/class/html.ts';
import { book, grade, unreachable } from '../../unit/grade/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'labkit-report-html-'));
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install Debian's Chromium first (sudo apt-get install chromium); .ci/run does`,
    );
  // A fresh profile per run (playwright takes it as userDataDir, not as a --user-data-dir flag).
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(join(dir, 'profile'), { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  test('renders the table and charts offline; a header click sorts the rows', async () => {
    const html = renderReportHtml(
      book([
        grade({ id: 'bo', name: '<img src=x onerror=alert(1)> 김' }, ['pass', 'fail', 'fail']),
        grade({ id: 'al', name: 'Alice' }, ['pass', 'pass', 'pass']),
        unreachable({ id: 'cy' }, 'connect ECONNREFUSED 192.168.57.80:22'),
      ]),
    );
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => (errors.push(`dialog: ${d.message()}`), void d.dismiss()));
    await page.goto(pathToFileURL(file).href);
    const ids = () =>
      page.$$eval('#grades tbody tr', (rows) => rows.map((r) => r.cells[0]?.getAttribute('data-sort')));
    expect(await ids()).toEqual(['bo', 'al', 'cy']);
    expect(await page.locator('svg[aria-label="pass rate per step"] rect.bar').count()).toBe(3);
    expect(await page.locator('svg[aria-label="score distribution"] rect.bar').count()).toBe(10);
    expect(await page.locator('#grades tbody tr').first().textContent()).toContain(
      '<img src=x onerror=alert(1)> 김',
    );
    const total = page.locator('#grades thead th', { hasText: 'total' }).locator('button');
    await total.click();
    expect(await ids()).toEqual(['cy', 'bo', 'al']);
    expect(await page.locator('#grades thead th', { hasText: 'total' }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await total.click();
    expect(await ids()).toEqual(['al', 'bo', 'cy']);
    await page.locator('#grades thead th', { hasText: 'student' }).locator('button').click();
    expect(await ids()).toEqual(['al', 'bo', 'cy']);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    process.stdout.write(`report.html screenshot: ${join(dir, 'report.png')}\n`);
  }, 60_000);
});
