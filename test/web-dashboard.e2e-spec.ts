/**
 * The dashboard the Steuerungsrunde reads, in a browser at 1366 px: tables across the full width with no text
 * cut, chart labels wrapped rather than shortened, every figure and bar a link to the measure list that shows
 * exactly as many measures (the completeness counts too, to the cycle's due measures in that reporting state),
 * the editor's own department first, the previous closed cycle beside the current
 * figures with a sentence on what each counts, and example data that reaches today.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import type { AddressInfo } from 'node:net';
import { expectNoAxeViolations, launchBrowser, signInPage } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { todayInBremen } from '../src/common/dates.js';
import { ExampleDataService } from '../src/setup/example-data.service.js';

const SCREENSHOT_DIR = 'test/.tmp/screenshots';

interface DashboardJson {
  totals: { total: number };
  byDepartment: { code: string; total: number }[];
  currentCycle: { id: number; code: string; totals: { due: number; reported: number } } | null;
  previousCycle: {
    id: number;
    code: string;
    stateLabel: string;
    totals: { total: number };
    completeness: { due: number; reported: number; completeness: number };
  } | null;
}

describe('the dashboard in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;

  beforeAll(async () => {
    // The demo as it loads today (the other suites fix its day).
    t = await createTestApp({ EXAMPLE_DATA_DATE: todayInBremen() });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
    admin = await t.login('admin@demo.local');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = async <T>(path: string): Promise<T> =>
    (await t.http.get(path).auth(admin, { type: 'bearer' }).expect(200)).body as T;

  /** The count the measure list says it shows ("12 Maßnahme(n)"). */
  async function listCount(page: Page, href: string): Promise<number> {
    const response = await page.context().request.get(`${base}${href}`);
    expect(response.status()).toBe(200);
    const match = /(\d+) Maßnahme\(n\)/.exec(await response.text());
    return Number(match?.[1]);
  }

  it('the demo reaches today: the running cycle has reports, and the one before it is closed', async () => {
    const today = todayInBremen();
    const cycles =
      await api<{ code: string; state: string; periodStart: string; periodEnd: string }[]>(
        '/api/reporting-cycles',
      );
    const running = cycles.find((c) => c.periodStart <= today && today <= c.periodEnd)!;
    expect(running.state).toBe('collecting');
    const before = cycles.filter((c) => c.periodEnd < running.periodStart).at(-1)!;
    expect(['closed', 'published']).toContain(before.state);
    const d = await api<DashboardJson>('/api/dashboard');
    expect(d.currentCycle?.code).toBe(running.code);
    expect(d.currentCycle!.totals.reported).toBeGreaterThan(0);
    expect(d.previousCycle).toMatchObject({ code: before.code });
    expect(d.previousCycle!.totals.total).toBeGreaterThan(0);
    expect(d.previousCycle!.completeness.reported).toBeGreaterThan(0);
  });

  it('at 1366 px the tables use the full width, no cell text is cut, and chart labels wrap', async () => {
    const { context, page } = await signInPage(browser, base, 'steuerung@demo.local', { width: 1366 });
    for (const summary of await page.locator('details summary').all()) await summary.click();
    const cut = await page.evaluate(() => {
      const problems: string[] = [];
      for (const region of document.querySelectorAll('main [role="region"]')) {
        if (region.scrollWidth > region.clientWidth + 1)
          problems.push(`scrolls: ${region.getAttribute('aria-label')}`);
      }
      for (const cell of document.querySelectorAll('main th, main td')) {
        const style = getComputedStyle(cell);
        if (cell.scrollWidth > cell.clientWidth + 1 || style.textOverflow === 'ellipsis')
          problems.push(`cut: ${cell.textContent}`);
      }
      return problems;
    });
    expect(cut).toEqual([]);
    // The completeness table shows all its seven columns, as wide as its section.
    const widths = await page.evaluate(() => {
      const table = document.querySelector('#h-completeness')!.closest('section')!.querySelector('table')!;
      return {
        table: table.getBoundingClientRect().width,
        section: table.closest('section')!.getBoundingClientRect().width,
        columns: table.querySelectorAll('thead th').length,
      };
    });
    expect(widths.columns).toBe(7);
    expect(widths.table).toBeGreaterThan(widths.section * 0.85);
    // Chart labels: the whole "code title", on several lines when long, never shortened with "…".
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart .chart-label')].map((text) => ({
        lines: [...text.querySelectorAll('tspan')].map((s) => s.textContent ?? ''),
        width: (text as SVGGraphicsElement).getBBox().width,
      })),
    );
    expect(labels.some((l) => l.lines.join(' ') === '2.1 Teilhabe und Repräsentanz fördern')).toBe(true);
    expect(labels.filter((l) => l.lines.join(' ').includes('…'))).toEqual([]);
    expect(labels.filter((l) => l.lines.length > 1).length).toBeGreaterThan(3);
    expect(labels.filter((l) => l.width > 230)).toEqual([]);
    await expectNoAxeViolations(page);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/dashboard-1366.png`, fullPage: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/dashboard-1366-top.png` });
    await page
      .locator('.dashboard-completeness')
      .screenshot({ path: `${SCREENSHOT_DIR}/dashboard-1366-completeness.png` });
    await page
      .locator('#chart-fields-h')
      .locator('xpath=..')
      .screenshot({ path: `${SCREENSHOT_DIR}/dashboard-1366-fields.png` });
    await context.close();
  });

  it('every figure and bar leads to the measure list, which shows exactly that many measures', async () => {
    const { context, page } = await signInPage(browser, base, 'steuerung@demo.local');
    const check = async (): Promise<number> => {
      // Links and bars read from the same document in one step.
      const { links, bars } = await page.evaluate(() => ({
        links: [...document.querySelectorAll<HTMLAnchorElement>('main .kpis a, main table a')]
          .filter((a) => a.getAttribute('href')!.startsWith('/massnahmen?'))
          .map((a) => ({ href: a.getAttribute('href')!, shown: Number(a.textContent.trim()) })),
        bars: [...document.querySelectorAll('svg.chart a')].map((a) => ({
          href: a.getAttribute('href')!,
          label: a.getAttribute('aria-label')!,
        })),
      }));
      // The bars lead where the table's numbers lead.
      const tableHrefs = new Set(links.map((l) => l.href));
      expect(bars.filter((b) => !tableHrefs.has(b.href))).toEqual([]);
      const found = [];
      for (const link of links)
        found.push({ href: link.href, shown: link.shown, listed: await listCount(page, link.href) });
      expect(found.filter((f) => f.shown !== f.listed)).toEqual([]);
      return links.length;
    };
    expect(await check()).toBeGreaterThan(60);
    // The completeness counts (fällig, gemeldet, angenommen, zurückgegeben, fehlt) are among them: per department,
    // in total and for the closed cycle beside it, each leading to the cycle's due measures in that state.
    const completeness = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLAnchorElement>('.dashboard-completeness table a')].map((a) =>
        a.getAttribute('href'),
      ),
    );
    const d = await api<DashboardJson>('/api/dashboard');
    const dues = new Set(completeness.map((href) => new URLSearchParams(href!.split('?')[1]).get('due')));
    expect([...dues]).toEqual(expect.arrayContaining(['all', 'reported', 'accepted', 'missing']));
    expect(completeness.every((href) => /^\/massnahmen\?cycleId=\d+&due=/.test(href!))).toBe(true);
    expect(
      completeness.filter((href) => href!.includes(`cycleId=${d.currentCycle!.id}&`)).length,
    ).toBeGreaterThan(20);
    expect(
      completeness.filter((href) => href!.includes(`cycleId=${d.previousCycle!.id}&`)).length,
    ).toBeGreaterThan(0);
    // With filters set, the links carry them.
    await page.getByLabel('Zielgruppe').selectOption('Frauen');
    await page.getByLabel('Ebene').selectOption('land');
    // The click returns once the filtered page is on its way, not when it is there: wait for its address, or the
    // table is read from the old page and the bars from the new one.
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('targetGroup') === 'Frauen'),
      page.getByRole('button', { name: 'Anzeigen' }).click(),
    ]);
    expect(await check()).toBeGreaterThan(3);
    // Followed in the browser: the first bar of the fields chart, by keyboard.
    await page.goto(`${base}/`);
    const bar = page.locator('#chart-fields-h').locator('xpath=..').locator('svg a').first();
    const label = (await bar.getAttribute('aria-label'))!;
    await bar.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/massnahmen\?/);
    const shown = Number(/: [^:]* (\d+) – Maßnahmen anzeigen$/.exec(label)![1]);
    expect(await page.getByRole('status').first().textContent()).toMatch(new RegExp(`^${shown} Maßnahme`));
    expect(await page.locator('main tbody tr').count()).toBe(Math.min(shown, 25));
    await expectNoAxeViolations(page);
    // A missing-report count, followed: the list names the cycle and the state, and its filter shows them.
    await page.goto(`${base}/`);
    const missing = page.locator('.dashboard-completeness tbody a[href*="due=missing"]').first();
    const missingLabel = (await missing.getAttribute('aria-label'))!;
    const missingShown = Number(await missing.textContent());
    await missing.click();
    await page.waitForURL(/due=missing/);
    const cycleCode = d.currentCycle!.code;
    expect(await page.getByRole('status').first().textContent()).toBe(
      `${missingShown} Maßnahme(n), fällig im Berichtszyklus ${cycleCode} – Meldung fehlt.`,
    );
    expect(missingLabel).toMatch(new RegExp(`, Meldung fehlt: ${missingShown} Maßnahmen anzeigen$`));
    expect(await page.getByLabel('Fällig im Berichtszyklus').locator('option:checked').textContent()).toMatch(
      new RegExp(`^${cycleCode} `),
    );
    expect(await page.getByLabel('Meldestand im Zyklus').inputValue()).toBe('missing');
    expect(await page.locator('main tbody tr').count()).toBe(missingShown);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/massnahmen-faellig-fehlt.png`, fullPage: true });
    await context.close();
  });

  it('an editor sees their department first and can switch to all; the reader sees all', async () => {
    const all = await api<DashboardJson>('/api/dashboard');
    const asji = all.byDepartment.find((d) => d.code === 'ASJI')!;
    const editor = await signInPage(browser, base, 'soziales@demo.local');
    const page = editor.page;
    const scope = page.getByRole('navigation', { name: 'Ansicht' });
    expect(await scope.locator('[aria-current="page"]').textContent()).toMatch(/^Mein Ressort/);
    expect(await page.locator('.kpis li').first().textContent()).toMatch(
      new RegExp(`^\\s*${asji.total}\\s+Maßnahmen`),
    );
    expect(await page.locator('#chart-departments-h + svg .chart-label').count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/dashboard-mein-ressort.png` });
    await scope.getByRole('link', { name: 'Alle Ressorts' }).click();
    expect(await scope.locator('[aria-current="page"]').textContent()).toBe('Alle Ressorts');
    expect(await page.locator('.kpis li').first().textContent()).toMatch(
      new RegExp(`^\\s*${all.totals.total}\\s+Maßnahmen`),
    );
    await editor.context.close();
    const reader = await signInPage(browser, base, 'steuerung@demo.local');
    expect(await reader.page.getByRole('navigation', { name: 'Ansicht' }).count()).toBe(0);
    expect(await reader.page.locator('.kpis li').first().textContent()).toMatch(
      new RegExp(`^\\s*${all.totals.total}\\s+Maßnahmen`),
    );
    await reader.context.close();
  });

  it('shows the previous closed cycle beside the current figures and says what each figure counts', async () => {
    const d = await api<DashboardJson>('/api/dashboard');
    const { context, page } = await signInPage(browser, base, 'steuerung@demo.local');
    const kpis = (await page.locator('.kpis').textContent())!.replace(/\s+/g, ' ');
    const prev = d.previousCycle!;
    expect(kpis).toContain(`Berichtszyklus ${prev.code}: ${prev.totals.total}`);
    expect(kpis).toContain(
      `abgeschlossener Zyklus ${prev.code}: ${prev.completeness.completeness.toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`,
    );
    expect(kpis).toContain(
      'Anteil der fälligen Maßnahmen, zu denen in diesem Zyklus eine Meldung eingegangen ist',
    );
    expect(kpis).toContain('gezählt: aktive und eingestellte Maßnahmen');
    const completeness = (await page.locator('.dashboard-completeness').textContent())!.replace(/\s+/g, ' ');
    expect(completeness).toContain(`Zum Vergleich: abgeschlossener Zyklus ${prev.code}`);
    await context.close();
  });
});

describe('example data written in the past', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves forward by whole years to the day it is loaded, and the cycles follow their dates', async () => {
    // Written on 2026-07-15, loaded on 2027-09-01: one year later.
    await t.app.get(ExampleDataService).load('data/examples/bremen-beispieldaten.json', '2027-09-01');
    const get = async <T>(path: string): Promise<T> =>
      (await t.http.get(path).auth(admin, { type: 'bearer' }).expect(200)).body as T;
    const measures = await get<{ items: { id: number; code: string }[] }>('/api/measures?pageSize=200');
    const first = measures.items.find((m) => m.code === '3.1-01')!;
    const reports = await get<{ items: { reportedAt: string }[] } | { reportedAt: string }[]>(
      `/api/measures/${first.id}/status-reports`,
    );
    const dates = (Array.isArray(reports) ? reports : reports.items).map((r) => r.reportedAt).sort();
    expect(dates[0]).toBe('2023-06-30');
    expect(dates.at(-1)).toBe('2027-06-30');
    const cycles = await get<{ code: string; state: string }[]>('/api/reporting-cycles');
    expect(Object.fromEntries(cycles.map((c) => [c.code, c.state]))).toEqual({
      '2022-2023': 'published',
      '2024-2025': 'published',
      '2026-2027': 'collecting',
    });
  });
});
