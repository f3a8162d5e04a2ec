/**
 * Several plans on the pages, in a real browser (Chromium): with a second plan (the Regiopolregion's, with its
 * own words) the pages carry the plan in the address (/plaene/<code>/…); a page asked for without it goes to
 * the first plan; the header names the plan and switches to the other one by a native form (by keyboard too);
 * the plan's pages show its own measures in its own words, and their links, filters and writes stay under its
 * address; an unknown plan code is the 404 page. axe-core finds no WCAG 2.1 A/AA violation.
 */
import { addPlan } from './factories/plan.factory.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { ActionField } from '../src/framework/action-field.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { newMeasure } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import type { TestApp } from './helpers/test-app.js';

const REGIO = 'regiopolregion-bielefeld';

describe('several plans on the pages', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;
  let context: BrowserContext;
  let page: Page;
  let bremen: { id: number; code: string; name: string };
  let regio: { id: number; measureId: number; measureTitle: string };
  let bremenMeasureTitle: string;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
    // Signed in while the installation has one plan: the start page is "/" as always.
    ({ context, page } = await signInPage(browser, base, 'admin@demo.local'));
    [bremen] = (await t.http.get('/api/frameworks').auth(admin, { type: 'bearer' }).expect(200)).body as {
      id: number;
      code: string;
      name: string;
    }[];
    const bremenList = (
      await t.http.get('/api/measures?pageSize=1').auth(admin, { type: 'bearer' }).expect(200)
    ).body as { items: { code: string; title: string }[] };
    bremenMeasureTitle = bremenList.items[0].title;

    const manager = t.dataSource.manager;
    const plan = await addPlan(manager, {
      code: REGIO,
      name: 'Entwicklungsstrategie Regiopolregion Bielefeld',
      region: 'Regiopolregion Bielefeld',
      adopted: '2024',
      targetGroups: ['Frauen'],
      vocabulary: {
        goal: 'Innovationspfad',
        goals: 'Innovationspfade',
        measure: 'Projekt',
        measures: 'Projekte',
        organisation: 'Partnerkommune',
        organisations: 'Partnerkommunen',
        body: 'Gremium',
        bodies: 'Gremien',
        report: 'Fortschrittsbericht',
        reports: 'Fortschrittsberichte',
      },
    });
    const goal = await manager.save(
      manager.create(Goal, { frameworkId: plan.id, code: '2.1', title: 'Wissensregion', description: '' }),
    );
    const field = await manager.save(
      manager.create(ActionField, {
        frameworkId: plan.id,
        code: '3.1',
        title: 'Mobilität in der Region',
        description: '',
      }),
    );
    const departments = (await t.http.get('/api/departments').auth(admin, { type: 'bearer' }).expect(200))
      .body as { id: number; code: string }[];
    const lead = departments.find((d) => d.code === 'ASJI')!.id;
    const measureTitle = 'Regiopol-Testprojekt Radschnellweg';
    const created = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(
        newMeasure(
          {
            goals: { '2.1': goal.id, '2.2': goal.id },
            fields: { '3.1': field.id },
            departments: { ASJI: lead },
          },
          {
            code: '3.1-01',
            title: measureTitle,
            goalIds: [goal.id],
            participatingDepartmentIds: [],
            targetGroups: ['Frauen'],
          },
        ),
      )
      .expect(201);
    regio = { id: plan.id, measureId: (created.body as { id: number }).id, measureTitle };
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const session = (): string => `${SESSION_COOKIE}=${admin}`;

  it('a page asked for without a plan goes (303) to the same page under the first plan', async () => {
    const res = await t.http.get('/massnahmen?q=x').set('Cookie', session()).expect(303);
    expect(res.headers.location).toBe(`/plaene/${bremen.code}/massnahmen?q=x`);
    // Pages about no plan, public pages and the API keep their addresses.
    await t.http.get('/plaene').set('Cookie', session()).expect(200);
    await t.http.get('/barrierefreiheit').expect(200);
    await t.http.get('/api/health').expect(200);

    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/plaene/${bremen.code}/`);
    expect(await page.locator('.app-brand__plan').textContent()).toContain(bremen.name);
  });

  it('the switcher changes to the Regiopolregion by keyboard, on the same page, and is accessible', async () => {
    await page.goto(`${base}/plaene/${bremen.code}/massnahmen`);
    expect(await page.getByRole('heading', { level: 1, name: 'Maßnahmen' }).isVisible()).toBe(true);
    const select = page.getByLabel('Plan wechseln');
    await expectNoAxeViolations(page);
    // Keyboard only: Tab to the select, choose the other plan with the arrow key, Tab to the button, Enter.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await select.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await select.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await select.inputValue()).toBe(REGIO);
    await page.keyboard.press('Tab');
    expect(
      await page.getByRole('button', { name: 'Wechseln' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/plaene/${REGIO}/massnahmen`);
    expect(await page.locator('.app-brand__plan').textContent()).toContain('Regiopolregion Bielefeld');
    expect(await select.inputValue()).toBe(REGIO);
  });

  it("the plan's Maßnahmen page shows its own measures only, in its words, with its links under its address", async () => {
    expect(await page.getByRole('heading', { level: 1, name: 'Projekte' }).isVisible()).toBe(true);
    expect(
      await page
        .getByRole('navigation', { name: 'Hauptnavigation' })
        .getByRole('link', { name: 'Projekte' })
        .getAttribute('href'),
    ).toBe(`/plaene/${REGIO}/massnahmen`);
    expect(await page.getByLabel('Innovationspfad').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: regio.measureTitle }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: bremenMeasureTitle }).count()).toBe(0);
    await expectNoAxeViolations(page);

    // The filter form stays under the plan's address.
    await page.getByLabel('Suche').fill('Radschnellweg');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await page.waitForURL(new RegExp(`/plaene/${REGIO}/massnahmen\\?.*q=Radschnellweg`));
    expect(await page.getByRole('link', { name: regio.measureTitle }).isVisible()).toBe(true);

    // A link: the measure's page under the plan's address.
    await page.getByRole('link', { name: regio.measureTitle }).click();
    await page.waitForURL(`${base}/plaene/${REGIO}/massnahmen/${regio.measureId}`);
    expect(await page.getByText('Innovationspfade', { exact: true }).isVisible()).toBe(true);
  });

  it('a write (the measure edited) lands back under the plan’s address', async () => {
    await page.getByRole('link', { name: 'Stammdaten bearbeiten' }).click();
    await page.waitForURL(`${base}/plaene/${REGIO}/massnahmen/${regio.measureId}/bearbeiten`);
    await page.getByLabel('Titel', { exact: true }).fill(`${regio.measureTitle} (geändert)`);
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.waitForURL(`${base}/plaene/${REGIO}/massnahmen/${regio.measureId}?meldung=geaendert`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('(geändert)');
    const saved = await t.http
      .get(`/api/measures/${regio.measureId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect((saved.body as { title: string }).title).toBe(`${regio.measureTitle} (geändert)`);
  });

  it("the plan's Übersicht counts its own measures in its words, and is accessible", async () => {
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Übersicht' })
      .click();
    await page.waitForURL(`${base}/plaene/${REGIO}/`);
    expect(await page.getByText('Partnerkommune').first().isVisible()).toBe(true);
    expect(await page.getByText('Innovationspfad').first().isVisible()).toBe(true);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain('Maßnahmen nach');
    expect(main).not.toContain('Ressort');
    expect(main).toContain('Projekte nach Status und Innovationspfaden');
    // Its own measure only, and the figure leads to the plan's list of it.
    const total = page.locator('.dashboard-kpis li').first();
    expect((await total.textContent())?.replace(/\s+/g, ' ')).toMatch(/^ ?1 Projekt gezählt/);
    await total.getByRole('link', { name: '1' }).click();
    await page.waitForURL(new RegExp(`/plaene/${REGIO}/massnahmen\\?lifecycle=counted$`));
    expect(await page.getByRole('link', { name: /Regiopol-Testprojekt/ }).count()).toBe(1);
    await page.goBack();
    await expectNoAxeViolations(page);
  });

  it('the list of plans links each plan’s Übersicht; an unknown plan code is the 404 page', async () => {
    await page.getByRole('link', { name: 'Alle Pläne' }).click();
    await page.waitForURL(`${base}/plaene`);
    expect(await page.getByRole('heading', { level: 1, name: 'Pläne' }).isVisible()).toBe(true);
    expect(await page.getByRole('cell', { name: 'Regiopolregion Bielefeld', exact: true }).isVisible()).toBe(
      true,
    );
    await expectNoAxeViolations(page);
    await page
      .getByRole('link', { name: /Rahmenkonzept/ })
      .first()
      .click();
    await page.waitForURL(`${base}/plaene/${bremen.code}/`);

    const missing = await page.goto(`${base}/plaene/gibt-es-nicht/massnahmen`);
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' }).isVisible()).toBe(
      true,
    );
    expect((await page.goto(`${base}/plaene/gibt-es-nicht`))?.status()).toBe(404);
  });

  it("every page of the navigation answers under the plan's address, its links kept under it", async () => {
    const start = await t.http.get(`/plaene/${REGIO}/`).set('Cookie', session()).expect(200);
    const nav = [...start.text.matchAll(/class="app-nav__link" href="([^"]+)"/g)].map((m) => m[1]);
    expect(nav.length).toBeGreaterThan(8);
    for (const href of nav) {
      expect(href.startsWith(`/plaene/${REGIO}/`)).toBe(true);
      const res = await t.http.get(href).set('Cookie', session());
      expect({ href, status: res.status }).toEqual({ href, status: 200 });
      // Every link of a signed-in page names the plan, except the few addresses that are about no plan.
      const unprefixed = [...res.text.matchAll(/(?:href|action)="(\/[^"]*)"/g)]
        .map((m) => m[1])
        .filter(
          (link) => !/^\/(plaene|static|api|anmelden|abmelden|barrierefreiheit|oeffentlich)\b/.test(link),
        );
      expect({ href, unprefixed }).toEqual({ href, unprefixed: [] });
    }
    const bodies = await t.http.get(`/plaene/${REGIO}/gremien`).set('Cookie', session()).expect(200);
    expect(bodies.text).toContain('<title>Gremien');
  });

  it('the switcher without script: the target is checked, a record of the old plan leads to its list', async () => {
    const to = (query: string) =>
      t.http.get(`/plaene/wechseln?${query}`).set('Cookie', session()).expect(303);
    expect((await to(`plan=${REGIO}&ziel=/massnahmen/17`)).headers.location).toBe(
      `/plaene/${REGIO}/massnahmen`,
    );
    expect((await to(`plan=${REGIO}&ziel=//example.org`)).headers.location).toBe(`/plaene/${REGIO}/`);
    expect((await to(`plan=${REGIO}&ziel=/gremien?bodyId=3`)).headers.location).toBe(
      `/plaene/${REGIO}/gremien`,
    );
    expect((await to('plan=gibt-es-nicht&ziel=/')).headers.location).toBe('/plaene');
  });
});
