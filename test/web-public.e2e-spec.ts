/**
 * Öffentliches Berichtswesen, the pages: under /oeffentlich a citizen reads, without signing in, the plan's
 * published cycles, a cycle's overview (totals, charts and tables by goal, field and department, the open-data
 * files with their licence), the measure list with search and filters, and a page per measure with its status
 * in every published cycle. Before publishing every page of the cycle answers 404; only the snapshot's public
 * fields appear (never obstacles, next steps, review comments or reports that were not accepted); the pages
 * are cacheable (ETag, 304), may be indexed (robots.txt), print without the filter form, and pass axe in a
 * browser that uses them by keyboard alone.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { expectNoAxeViolations, launchBrowser } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const SCREENSHOT_DIR = 'test/.tmp/screenshots';
const MARKER = 'Zauberwort';
const SUMMARY_P1 = 'Sprachcafés laufen in fünf Stadtteilen; der Treffpunkt Mitte ist neu.';
const SUMMARY_P2 = 'Das Mentoring für Ausbildung ist abgeschlossen.';
const SUMMARY_OLD = 'Im ersten Zeitraum liefen zwei Sprachcafés zur Probe.';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
}

interface PublicJson {
  metadata: { plan: { code: string; name: string }; cycle: { code: string; name: string } };
  totals: { total: number; counts: Record<string, number>; averageProgress: number | null };
  measures: { code: string; title: string; status: string; summary: string }[];
}

describe('public pages of published cycles', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let cycles: Record<string, Cycle>;
  let plan: string;
  let base: string;

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => t.http.post(url).auth(token, { type: 'bearer' }).send(body),
  });

  async function move(code: string, to: string, reason?: string): Promise<void> {
    const cycle = cycles[code];
    const res = await as(admin).post(`/api/reporting-cycles/${cycle.id}/transition`, {
      to,
      version: cycle.version,
      ...(reason ? { reason } : {}),
    });
    if (res.status !== 200) throw new Error(`${code} → ${to}: ${res.status} ${JSON.stringify(res.body)}`);
    cycles[code] = res.body as Cycle;
  }

  async function report(
    token: string,
    measureId: number,
    body: Record<string, unknown>,
    accept: string | null,
  ): Promise<number> {
    const created = (
      await as(token).post(`/api/measures/${measureId}/status-reports`, newReport(body)).expect(201)
    ).body as { id: number };
    if (accept !== null) {
      const res = await as(admin).post(`/api/status-reports/${created.id}/review`, {
        decision: 'accept',
        comment: accept,
      });
      if (res.status !== 200) throw new Error(`review: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return created.id;
  }

  const cycleUrl = (code = '2024-2025') => `/oeffentlich/${plan}/${code}`;
  const pagesOf = (code = '2024-2025') => [
    cycleUrl(code),
    `${cycleUrl(code)}/massnahmen`,
    `${cycleUrl(code)}/massnahmen?q=Sprach`,
    `${cycleUrl(code)}/massnahmen/3.1-P1`,
  ];

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    const asji = await editorOf(t, admin, ids.departments.ASJI, 'soziales');
    const skb = await editorOf(t, admin, ids.departments.SKB, 'senatskanzlei');
    plan = ((await as(admin).get('/api/framework').expect(200)).body as { code: string }).code;
    cycles = Object.fromEntries(
      ((await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[]).map((c) => [c.code, c]),
    );
    const p1 = (
      await as(admin)
        .post(
          '/api/measures',
          newMeasure(ids, {
            code: '3.1-P1',
            plannedStart: '2022-01-01',
            leadDepartmentId: ids.departments.ASJI,
          }),
        )
        .expect(201)
    ).body as { id: number };
    const p2 = (
      await as(admin)
        .post(
          '/api/measures',
          newMeasure(ids, {
            code: '3.6-P2',
            title: 'Mentoring für Ausbildung',
            actionFieldId: ids.fields['3.6'],
            goalIds: [ids.goals['2.4']],
            leadDepartmentId: ids.departments.SKB,
            participatingDepartmentIds: [],
          }),
        )
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post('/api/measures', newMeasure(ids, { code: '3.1-P3', title: 'Lernwerkstatt ohne Meldung' }))
      .expect(201);

    // The first cycle: one accepted report of 3.1-P1, then closed and published.
    await move('2022-2023', 'collecting');
    await report(
      asji,
      p1.id,
      { reportedAt: '2023-06-30', status: 'in_progress', progress: 10, summary: SUMMARY_OLD },
      'in Ordnung',
    );
    await move('2022-2023', 'reviewing');
    await move('2022-2023', 'closed');
    await move('2022-2023', 'published');

    // The second: a returned report with a comment, accepted ones with obstacles and next steps, a late one.
    await move('2024-2025', 'collecting');
    const returned = await report(
      asji,
      p1.id,
      { reportedAt: '2025-03-31', summary: `Entwurf ${MARKER}` },
      null,
    );
    await as(admin)
      .post(`/api/status-reports/${returned}/review`, { decision: 'return', comment: `Bitte ${MARKER}` })
      .expect(200);
    await report(
      asji,
      p1.id,
      {
        reportedAt: '2025-06-30',
        status: 'delayed',
        progress: 35,
        summary: SUMMARY_P1,
        obstacles: `Hindernis ${MARKER}`,
        nextSteps: `Schritt ${MARKER}`,
      },
      `Gut ${MARKER}`,
    );
    await report(
      skb,
      p2.id,
      { reportedAt: '2025-05-31', status: 'completed', progress: 100, summary: SUMMARY_P2 },
      'in Ordnung',
    );
    await move('2024-2025', 'reviewing');
    await move('2024-2025', 'closed');
    await report(asji, p1.id, { status: 'completed', progress: 100, summary: `Fertig ${MARKER}` }, null);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers every page of a closed but unpublished cycle with a public 404 page', async () => {
    for (const url of [
      ...pagesOf(),
      ...pagesOf('1999-2000'),
      '/oeffentlich/anderer-plan/2022-2023',
      '/oeffentlich/anderer-plan',
    ]) {
      const res = await t.http.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Seite nicht gefunden');
      expect(res.text).toContain('href="/oeffentlich"');
      expect(res.text).not.toContain('/anmelden');
      expect(res.text).not.toContain(MARKER);
    }
    // The published first cycle lists, the closed second does not.
    const index = await t.http.get('/oeffentlich').expect(200);
    expect(index.text).toContain(`href="${cycleUrl('2022-2023')}"`);
    expect(index.text).not.toContain(`href="${cycleUrl()}"`);
  });

  describe('once published', () => {
    let json: PublicJson;

    beforeAll(async () => {
      await move('2024-2025', 'published');
      json = (await t.http.get('/api/public/cycles/2024-2025/measures.json').expect(200)).body as PublicJson;
    });

    it('lists the plan and its published cycles with period and publication date', async () => {
      const res = await t.http.get('/oeffentlich').expect(200);
      expect(res.text).toContain('<html lang="de"');
      expect(res.text).toContain(json.metadata.plan.name);
      expect(res.text).toContain(`href="${cycleUrl('2024-2025')}"`);
      expect(res.text).toContain(`href="${cycleUrl('2022-2023')}"`);
      expect(res.text).toContain('01.01.2024 bis 31.12.2025');
      expect(res.text).toMatch(/veröffentlicht am \d\d\.\d\d\.\d{4}/);
      expect(res.text).not.toContain('/abmelden');
      // The plan's own address lists the same cycles.
      const own = await t.http.get(`/oeffentlich/${plan}`).expect(200);
      expect(own.text).toContain(`href="${cycleUrl('2024-2025')}"`);
    });

    it('shows the overview with the totals of the open data, charts, tables, files and licence', async () => {
      const res = await t.http.get(cycleUrl()).expect(200);
      const html = res.text;
      expect(html).toContain(json.metadata.cycle.name);
      expect(html).toMatch(new RegExp(`data-figure="total">${json.totals.total}<`));
      for (const [status, count] of Object.entries(json.totals.counts))
        expect(html).toMatch(new RegExp(`data-figure="${status}">${count}<`));
      for (const heading of ['Stand nach Zielen', 'Stand nach Handlungsfeldern', 'Stand nach Ressorts'])
        expect(html).toContain(heading);
      expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(3);
      expect(html).toContain(`href="/api/public/cycles/2024-2025/measures.csv?plan=${plan}"`);
      expect(html).toContain(`href="/api/public/cycles/2024-2025/measures.json?plan=${plan}"`);
      expect(html).toContain('href="https://www.govdata.de/dl-de/by-2-0"');
      expect(html).toContain('Datenlizenz Deutschland – Namensnennung');
      expect(html).toContain('Umsetzungsbericht als Dokument');
      // No document was generated: no link that would end in 404, and the address itself is the public 404 page.
      expect(html).toContain('liegt noch nicht vor');
      expect(html).not.toContain('umsetzungsbericht.pdf');
      expect(html).not.toContain('umsetzungsbericht.docx');
      for (const format of ['pdf', 'docx']) {
        const missing = await t.http.get(`${cycleUrl()}/umsetzungsbericht.${format}`).expect(404);
        expect(missing.headers['content-type']).toMatch(/^text\/html/);
        expect(missing.text).toContain('Seite nicht gefunden');
        expect(missing.text).toContain('href="/oeffentlich"');
      }
      expect(html).toContain(`<link rel="canonical" href="${cycleUrl()}">`);
      expect(html).not.toContain('Beispieldaten');
      expect(html).not.toMatch(/noindex/);
      expect(res.headers['x-robots-tag']).toBeUndefined();
    });

    it('lists the measures with search, filters, counts and links to each measure', async () => {
      const list = async (query: string): Promise<string> =>
        (await t.http.get(`${cycleUrl()}/massnahmen${query}`).expect(200)).text;
      const codes = (html: string): string[] =>
        [...html.matchAll(/href="\/oeffentlich\/[^"]+\/massnahmen\/([^"?]+)"/g)].map((m) =>
          decodeURIComponent(m[1]),
        );
      const all = await list('');
      expect(all).toContain(`${json.totals.total} Maßnahmen`);
      expect(codes(all)).toEqual(json.measures.map((m) => m.code));
      expect(codes(await list('?q=treffpunkt'))).toEqual(['3.1-P1']);
      expect(codes(await list('?q=3.6-P2'))).toEqual(['3.6-P2']);
      expect(codes(await list('?q=Mentoring'))).toEqual(['3.6-P2']);
      expect(codes(await list('?handlungsfeld=3.1'))).toEqual(['3.1-P1', '3.1-P3']);
      expect(codes(await list('?ziel=2.4'))).toEqual(['3.6-P2']);
      expect(codes(await list('?ressort=SKB'))).toEqual(['3.6-P2']);
      expect(codes(await list('?status=delayed'))).toEqual(['3.1-P1']);
      expect(codes(await list('?status=none&handlungsfeld=3.1'))).toEqual(['3.1-P3']);
      const none = await list('?q=gibt-es-nicht');
      expect(none).toContain('0 Maßnahmen');
      expect(codes(none)).toEqual([]);
      // A filter value that is no code is ignored, not an error.
      expect(codes(await list('?status=kaputt&seite=x'))).toEqual(json.measures.map((m) => m.code));
    });

    it('shows a measure with its public fields and its status in every published cycle', async () => {
      const html = (await t.http.get(`${cycleUrl()}/massnahmen/3.1-P1`).expect(200)).text;
      expect(html).toContain('Sprachcafés in Stadtteilbibliotheken');
      expect(html).toContain('Offene Sprachcafés mit Ehrenamtlichen.');
      expect(html).toContain('3.1 Erwerb der deutschen Sprache');
      expect(html).toContain('verzögert');
      expect(html).toContain('35 %');
      expect(html).toContain(SUMMARY_P1);
      // The history: this cycle and the first one, from their snapshots.
      const history = html.slice(html.indexOf('Verlauf'));
      expect(history).toContain(json.metadata.cycle.name);
      expect(history).toContain('Umsetzungsbericht 2022–2023');
      expect(history).toContain(SUMMARY_OLD);
      expect(history).toContain('in Umsetzung');
      expect(html).toContain(`href="${cycleUrl('2022-2023')}/massnahmen/3.1-P1"`);
      const never = (await t.http.get(`${cycleUrl()}/massnahmen/3.1-P3`).expect(200)).text;
      expect(never).toContain('Lernwerkstatt ohne Meldung');
      expect(never).toContain('keine Meldung');
      const unknown = await t.http.get(`${cycleUrl()}/massnahmen/9.9-XX`).expect(404);
      expect(unknown.text).toContain('href="/oeffentlich"');
      // Deeper or misspelt addresses under /oeffentlich get the same public page, not an API error.
      for (const url of [
        `${cycleUrl()}/massnahmen/3.1-P1/mehr`,
        '/oeffentlich/a/b/c/d/e',
        `${cycleUrl()}/nichts`,
      ]) {
        const deeper = await t.http.get(url).expect(404);
        expect({ url, type: deeper.headers['content-type'] }).toEqual({
          url,
          type: expect.stringMatching(/text\/html/),
        });
        expect(deeper.text).toContain('Seite nicht gefunden');
      }
    });

    it('shows no obstacle, next step, review comment, unaccepted report or budget on any page', async () => {
      const urls = [
        '/oeffentlich',
        ...pagesOf(),
        ...pagesOf('2022-2023'),
        `${cycleUrl()}/massnahmen/3.6-P2`,
        `${cycleUrl()}/massnahmen/3.1-P3`,
        `${cycleUrl()}/massnahmen?status=delayed`,
      ];
      for (const url of urls) {
        const res = await t.http.get(url).expect(200);
        expect({ url, marker: res.text.includes(MARKER) }).toEqual({ url, marker: false });
        expect({ url, budget: /25[.]?000/.test(res.text) }).toEqual({ url, budget: false });
      }
    });

    it('shows the budget as soon as the admin makes it public, and hides it again at once', async () => {
      const url = `${cycleUrl()}/massnahmen/3.1-P1`;
      // Rendered and cached before the setting changes.
      expect((await t.http.get(url).expect(200)).text).not.toContain('25.000');
      const setBudget = async (publicBudget: boolean): Promise<void> => {
        const { settingsVersion } = (await as(admin).get('/api/framework').expect(200)).body as {
          settingsVersion: number;
        };
        await t.http
          .patch('/api/framework/settings')
          .auth(admin, { type: 'bearer' })
          .send({ settingsVersion, publicBudget })
          .expect(200);
      };
      await setBudget(true);
      expect((await t.http.get(url).expect(200)).text).toContain('25.000 €');
      // Off again within the same second: the page must follow.
      await setBudget(false);
      expect((await t.http.get(url).expect(200)).text).not.toContain('25.000');
    });

    it('answers 304 to a matching If-None-Match and lets every visitor cache the page', async () => {
      for (const url of ['/oeffentlich', ...pagesOf()]) {
        const first = await t.http.get(url).expect(200);
        const etag = first.headers.etag;
        expect(etag).toMatch(/^"[^"]+"$/);
        // Kept, but asked again each time: an unpublished cycle must not linger in a browser.
        expect(first.headers['cache-control']).toBe('public, no-cache');
        const again = await t.http.get(url).set('If-None-Match', etag).expect(304);
        expect(again.text ?? '').toBe('');
        await t.http.get(url).set('If-None-Match', '"anders"').expect(200);
        // Compressed for a browser that asks for it, plain otherwise; the same page either way.
        expect(first.headers['content-encoding']).toBe('gzip');
        const plain = await t.http.get(url).set('Accept-Encoding', 'identity').expect(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.text).toBe(first.text);
      }
    });

    it('lets search engines in under /oeffentlich and nowhere else', async () => {
      const res = await t.http.get('/robots.txt').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const lines = res.text.split('\n').map((l) => l.trim());
      expect(lines).toContain('User-agent: *');
      expect(lines).toContain('Allow: /oeffentlich');
      expect(lines).toContain('Disallow: /');
      expect(lines.indexOf('Allow: /oeffentlich')).toBeLessThan(lines.indexOf('Disallow: /'));
      await t.http.get('/barrierefreiheit').expect(200);
    });

    describe('in a browser, as an anonymous visitor', () => {
      let browser: Browser;
      let context: BrowserContext;
      let page: Page;

      beforeAll(async () => {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        browser = await launchBrowser();
        // No bypass: the application's content security policy applies.
        context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1366, height: 900 } });
        page = await context.newPage();
      }, 60_000);
      afterAll(async () => {
        await context?.close();
        await browser?.close();
      });

      it('reads the plan, the overview, the list and a measure, axe-clean, by keyboard', async () => {
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
        });
        await page.goto(`${base}/oeffentlich`);
        await expectNoAxeViolations(page);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/oeffentlich.png`, fullPage: true });
        // The skip link is the first stop of the keyboard.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Zum Inhalt/);

        await page
          .getByRole('link', { name: /2024–2025|2024-2025/ })
          .first()
          .click();
        await page.waitForURL(`${base}${cycleUrl()}`);
        await expectNoAxeViolations(page);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/oeffentlich-zyklus.png`, fullPage: true });

        await page.goto(`${base}${cycleUrl()}/massnahmen`);
        await expectNoAxeViolations(page);
        // The filter form by keyboard alone: focus the search, type, move to the status, choose, submit.
        await page.focus('#q');
        await page.keyboard.type('Sprach');
        await page.keyboard.press('Tab');
        while (!(await page.evaluate(() => document.activeElement?.id === 'f-status')))
          await page.keyboard.press('Tab');
        // A closed select changes its choice by typing the start of an option.
        await page.keyboard.type('verz');
        expect(await page.locator('#f-status').inputValue()).toBe('delayed');
        while (!(await page.evaluate(() => document.activeElement?.getAttribute('type') === 'submit')))
          await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.waitForURL(/status=delayed/);
        expect(page.url()).toContain('q=Sprach');
        expect(await page.getByRole('status').textContent()).toMatch(/1 Maßnahme\b/);
        await expectNoAxeViolations(page);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/oeffentlich-massnahmen.png`, fullPage: true });

        // Printing hides the filter form and shows where the open-data links lead.
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('form.public-filters').isVisible()).toBe(false);
        await page.emulateMedia({ media: 'screen' });
        expect(await page.locator('form.public-filters').isVisible()).toBe(true);

        await page.getByRole('link', { name: /Sprachcafés in Stadtteilbibliotheken/ }).focus();
        await page.keyboard.press('Enter');
        await page.waitForURL(`${base}${cycleUrl()}/massnahmen/3.1-P1`);
        await expectNoAxeViolations(page);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/oeffentlich-massnahme.png`, fullPage: true });

        await page.goto(`${base}${cycleUrl()}`);
        await page.emulateMedia({ media: 'print' });
        const printed = await page
          .locator('a[href*="measures.csv"]')
          .evaluate((a) => getComputedStyle(a, '::after').content);
        expect(printed).toContain('/api/public/cycles/2024-2025/measures.csv');
        await page.screenshot({ path: `${SCREENSHOT_DIR}/oeffentlich-druck.png`, fullPage: true });
        await page.emulateMedia({ media: 'screen' });

        const missing = await page.goto(`${base}/oeffentlich/${plan}/1999-2000`);
        expect(missing?.status()).toBe(404);
        await expectNoAxeViolations(page);
        expect(problems).toEqual([]);
      }, 120_000);
    });

    it('removes the pages at once when the cycle is unpublished, and shows them again when republished', async () => {
      const before = await t.http.get(cycleUrl()).expect(200);
      await move('2024-2025', 'closed', 'Fehler im Sachstand einer Maßnahme');
      for (const url of pagesOf()) {
        const res = await t.http.get(url).set('If-None-Match', before.headers.etag);
        expect({ url, status: res.status }).toEqual({ url, status: 404 });
      }
      const index = await t.http.get('/oeffentlich').expect(200);
      expect(index.text).not.toContain(`href="${cycleUrl()}"`);
      expect(index.text).toContain(`href="${cycleUrl('2022-2023')}"`);
      await move('2024-2025', 'published');
      await t.http.get(cycleUrl()).expect(200);
    });
  });
});

describe('public pages of a cycle with example data', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('marks the overview, the list and each measure as Beispieldaten', async () => {
    const cycles = (await t.http.get('/api/public/cycles').expect(200)).body as { code: string }[];
    const json = (await t.http.get(`/api/public/cycles/${cycles[0].code}/measures.json`).expect(200))
      .body as PublicJson & { metadata: { exampleData: boolean } };
    expect(json.metadata.exampleData).toBe(true);
    const base = `/oeffentlich/${json.metadata.plan.code}/${cycles[0].code}`;
    for (const url of [base, `${base}/massnahmen`, `${base}/massnahmen/${json.measures[0].code}`]) {
      const res = await t.http.get(url).expect(200);
      expect({ url, marked: res.text.includes('Beispieldaten') }).toEqual({ url, marked: true });
    }
  });
});
