/**
 * The measure catalogue in a real browser (Chromium): the admin creates a measure by keyboard alone, edits
 * one under optimistic locking (a stale version keeps the input and says so), ends, merges and reactivates
 * measures with their reasons, downloads the Maßnahmenplan and uploads it in two steps (preview, then
 * "Übernehmen" without choosing the file again). Editors see only their fields and are refused the admin's
 * pages by the server. Every result is checked through the API; axe-core finds no WCAG 2.1 A/AA violation.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import { databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

interface MeasureJson {
  id: number;
  code: string;
  title: string;
  description: string;
  actionFieldId: number;
  goalIds: number[];
  leadDepartmentId: number;
  participatingDepartmentIds: number[];
  level: string;
  targetGroups: string[];
  plannedStart: string | null;
  plannedEnd: string | null;
  budget: number | null;
  lifecycle: string;
  mergedIntoId: number | null;
  version: number;
}

describe('measure catalogue pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let ids: Ids;
  let adminToken: string;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    adminToken = await t.login('admin@demo.local');
    ids = await frameworkIds(t, adminToken);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = (email: string): Promise<{ context: BrowserContext; page: Page }> =>
    signInPage(browser, base, email);
  const expectAccessible = expectNoAxeViolations;

  async function apiMeasure(id: number): Promise<MeasureJson> {
    return (await t.http.get(`/api/measures/${id}`).auth(adminToken, { type: 'bearer' }).expect(200))
      .body as MeasureJson;
  }

  async function createByApi(overrides: Record<string, unknown> = {}): Promise<MeasureJson> {
    return (
      await t.http
        .post('/api/measures')
        .auth(adminToken, { type: 'bearer' })
        .send(newMeasure(ids, overrides))
        .expect(201)
    ).body as MeasureJson;
  }

  /** Moves the focus with Tab only, until the element with this id has it. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Mit der Tabulatortaste nicht erreicht: #${id}`);
  }

  it('the admin creates a measure by keyboard alone; German dates and amounts are accepted', async () => {
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/massnahmen`);
    await page.getByRole('link', { name: 'Neue Maßnahme' }).click();
    expect(new URL(page.url()).pathname).toBe('/massnahmen/neu');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Neue Maßnahme');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/measure-form.png`, fullPage: true });

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    await tabTo(page, 'code');
    await page.keyboard.type('3.13-51');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Beratungsstelle gegen Diskriminierung am Arbeitsplatz');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Anlaufstelle für Beschäftigte.');
    await tabTo(page, 'actionFieldId');
    await page.keyboard.type('3.13');
    await tabTo(page, 'goalIds'); // 2.1
    await page.keyboard.press('Space');
    await tabTo(page, 'goalIds-4'); // 2.4
    await page.keyboard.press('Space');
    await tabTo(page, 'leadDepartmentId');
    await page.keyboard.type('Justiz');
    await tabTo(page, 'participatingDepartmentIds-11'); // ZGF
    await page.keyboard.press('Space');
    await tabTo(page, 'level');
    await page.keyboard.type('Land');
    await tabTo(page, 'targetGroups'); // Frauen
    await page.keyboard.press('Space');
    await tabTo(page, 'plannedStart');
    await page.keyboard.type('31.02.2026'); // no such day: refused, the input kept
    await page.keyboard.press('Tab');
    await page.keyboard.type('31.12.2027');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12.500,50');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Maßnahme anlegen');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();

    expect(await page.getByRole('alert').textContent()).toMatch(
      /Geplanter Beginn: ist kein gültiges Datum: den 31\.02\.2026 gibt es nicht/,
    );
    expect(await page.getByLabel('Geplanter Beginn').inputValue()).toBe('31.02.2026');
    expect(await page.getByLabel('Geplanter Beginn').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Titel').inputValue()).toBe(
      'Beratungsstelle gegen Diskriminierung am Arbeitsplatz',
    );
    expect(await page.getByLabel('2.4', { exact: false }).isChecked()).toBe(true);
    await expectAccessible(page);

    await page.getByLabel('Geplanter Beginn').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('01.03.2026');
    await tabTo(page, 'budget');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/massnahmen\/\d+\?meldung=angelegt$/);
    expect(await page.getByRole('status').first().textContent()).toBe('Maßnahme 3.13-51 angelegt');
    await expectAccessible(page);

    const id = Number(/\/massnahmen\/(\d+)/.exec(page.url())![1]);
    const saved = await apiMeasure(id);
    expect(saved).toMatchObject({
      code: '3.13-51',
      title: 'Beratungsstelle gegen Diskriminierung am Arbeitsplatz',
      description: 'Anlaufstelle für Beschäftigte.',
      actionFieldId: ids.fields['3.13'],
      leadDepartmentId: ids.departments.JUV,
      participatingDepartmentIds: [ids.departments.ZGF],
      level: 'land',
      targetGroups: ['Frauen'],
      plannedStart: '2026-03-01',
      plannedEnd: '2027-12-31',
      budget: 12500.5,
      lifecycle: 'active',
    });
    expect([...saved.goalIds].sort((a, b) => a - b)).toEqual(
      [ids.goals['2.1'], ids.goals['2.4']].sort((a, b) => a - b),
    );

    // A duplicate code is named at its field, the input kept.
    await page.goto(`${base}/massnahmen/neu`);
    await page.getByLabel('Code').fill('3.13-51');
    await page.getByLabel('Titel').fill('Noch eine Beratungsstelle');
    await page.getByLabel('Handlungsfeld').selectOption({ label: '3.13 Bekämpfung von Diskriminierung' });
    await page.getByLabel('2.1', { exact: false }).check();
    await page.getByLabel('Federführendes Ressort').selectOption({ label: 'Finanzen' });
    await page.getByLabel('Ebene').selectOption('bremen');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Maßnahme anlegen' }).click();
    expect((await refused).status()).toBe(409);
    expect(await page.locator('#code-error').textContent()).toMatch(/Code 3\.13-51 gibt es bereits/);
    expect(await page.getByLabel('Titel').inputValue()).toBe('Noch eine Beratungsstelle');
    await context.close();
  });

  it('editing under optimistic locking: a stale version shows a German conflict message and keeps the input', async () => {
    const measure = await createByApi();
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/massnahmen/${measure.id}`);
    await page.getByRole('link', { name: 'Stammdaten bearbeiten' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      `Maßnahme ${measure.code} bearbeiten`,
    );
    expect(await page.getByLabel('Geplanter Beginn').inputValue()).toBe('01.01.2024');
    expect(await page.getByLabel('Budget in Euro').inputValue()).toBe('25000');
    await expectAccessible(page);

    // Someone else saves meanwhile.
    await t.http
      .patch(`/api/measures/${measure.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ version: measure.version, description: 'Inzwischen anders beschrieben.' })
      .expect(200);

    await page.getByLabel('Titel').fill('Sprachcafés in allen Stadtteilbibliotheken');
    await page.getByLabel('Geplantes Ende').fill('');
    const stale = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    expect((await stale).status()).toBe(409);
    expect(await page.getByRole('alert').textContent()).toMatch(
      /Die Maßnahme wurde inzwischen geändert[\s\S]*Ihre Eingaben sind unten erhalten/,
    );
    expect(await page.getByLabel('Titel').inputValue()).toBe('Sprachcafés in allen Stadtteilbibliotheken');
    expect((await apiMeasure(measure.id)).title).toBe('Sprachcafés in Stadtteilbibliotheken');
    await expectAccessible(page);

    // Saving again is a deliberate choice: now it is stored, the emptied end date cleared.
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.waitForURL(`${base}/massnahmen/${measure.id}?meldung=geaendert`);
    expect(await page.getByRole('status').first().textContent()).toBe(`Maßnahme ${measure.code} gespeichert`);
    expect(await apiMeasure(measure.id)).toMatchObject({
      title: 'Sprachcafés in allen Stadtteilbibliotheken',
      plannedEnd: null,
      version: measure.version + 2,
    });
    await context.close();
  });

  it('the admin ends, reactivates and merges measures, each with its reason', async () => {
    const measure = await createByApi();
    const target = await createByApi({ title: 'Sprachförderung gebündelt' });
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/massnahmen/${measure.id}`);
    const end = page.getByRole('form', { name: 'Maßnahme einstellen' });
    expect(await end.textContent()).toMatch(/keine Sachstandsmeldungen mehr an/);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/measure-lifecycle.png`, fullPage: true });

    await end.getByLabel('Begründung').fill('kurz');
    await end.getByRole('button', { name: 'Maßnahme einstellen' }).click();
    const refusedForm = page.getByRole('form', { name: 'Maßnahme einstellen' });
    expect(await refusedForm.getByRole('alert').textContent()).toMatch(
      /Begründung: muss mindestens 5 Zeichen lang sein/,
    );
    expect(await refusedForm.getByLabel('Begründung').inputValue()).toBe('kurz');
    expect((await apiMeasure(measure.id)).lifecycle).toBe('active');
    await expectAccessible(page);

    await refusedForm.getByLabel('Begründung').fill('Beschluss der Steuerungsrunde: Förderung beendet.');
    await refusedForm.getByRole('button', { name: 'Maßnahme einstellen' }).click();
    await page.waitForURL(`${base}/massnahmen/${measure.id}?meldung=eingestellt`);
    expect(await page.getByRole('status').first().textContent()).toBe(`Maßnahme ${measure.code} eingestellt`);
    expect((await apiMeasure(measure.id)).lifecycle).toBe('discontinued');
    await expectAccessible(page);

    const again = page.getByRole('form', { name: 'Maßnahme reaktivieren' });
    await again.getByLabel('Begründung').fill('Neue Förderung bewilligt.');
    await again.getByRole('button', { name: 'Maßnahme reaktivieren' }).click();
    await page.waitForURL(/meldung=reaktiviert$/);
    expect(await page.getByRole('status').first().textContent()).toBe(`Maßnahme ${measure.code} reaktiviert`);
    expect((await apiMeasure(measure.id)).lifecycle).toBe('active');

    const merge = page.getByRole('form', { name: 'Maßnahme zusammenführen' });
    await merge
      .getByLabel('Aufgehen in (aktive Maßnahme)')
      .selectOption({ label: `${target.code} Sprachförderung gebündelt` });
    await merge.getByLabel('Begründung').fill('Mit der Sprachförderung zusammengelegt.');
    await merge.getByRole('button', { name: 'Zusammenführen' }).click();
    await page.waitForURL(/meldung=zusammengefuehrt$/);
    expect(await page.getByRole('status').first().textContent()).toBe(
      `Maßnahme ${measure.code} zusammengeführt`,
    );
    expect(await apiMeasure(measure.id)).toMatchObject({ lifecycle: 'merged', mergedIntoId: target.id });
    expect(await page.getByRole('link', { name: `${target.code} Sprachförderung gebündelt` }).count()).toBe(
      1,
    );
    await expectAccessible(page);
    await context.close();
  });

  it('the Maßnahmenplan downloads, and uploads in two steps without choosing the file again', async () => {
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/massnahmen`);
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Maßnahmenplan herunterladen (Excel)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Massnahmenplan.xlsx');
    const workbook = await readWorkbook(readFileSync(await download.path()));
    const sheet = workbook.getWorksheet('Maßnahmen')!;
    // One measure renamed, one new (a copy of the last row under a new code).
    const first = sheet.getRow(2);
    const renamedCode = String(first.getCell(1).value);
    first.getCell(2).value = 'Umbenannt über den Maßnahmenplan';
    const last = sheet.getRow(sheet.rowCount);
    const copy = sheet.getRow(sheet.rowCount + 1);
    (last.values as unknown[]).forEach((value, index) => {
      if (index > 0) copy.getCell(index).value = value as ExcelJS.CellValue;
    });
    copy.getCell(1).value = '3.12-77';
    copy.getCell(2).value = 'Neu aus dem Maßnahmenplan';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const upload = page.locator('form[enctype="multipart/form-data"]');
    expect(await upload.getAttribute('action')).toBe('/massnahmen/massnahmenplan'); // no token in the address
    expect(await upload.locator('input[type="hidden"][name="_csrf"]').count()).toBe(1);
    const before = await databaseFingerprint(t.dataSource);
    await page.getByLabel('Arbeitsmappe (.xlsx)').setInputFiles({
      name: 'plan.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Maßnahmenplan prüfen');
    expect(await page.getByRole('status').first().textContent()).toMatch(
      /1 neu, 1 geändert, \d+ unverändert/,
    );
    const preview = page.locator('table', { hasText: 'Vorschau der Änderungen' });
    expect(await preview.locator('tr', { hasText: renamedCode }).first().textContent()).toMatch(
      /geändert\s*Titel/,
    );
    expect(await preview.locator('tr', { hasText: '3.12-77' }).textContent()).toMatch(/neu/);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/plan-import.png`, fullPage: true });

    const apply = page.locator('form[action="/massnahmen/massnahmenplan/uebernehmen"]');
    expect(await apply.locator('input[type="file"]').count()).toBe(0);
    const kept = {
      _csrf: (await apply.locator('input[name="_csrf"]').getAttribute('value'))!,
      token: (await apply.locator('input[name="token"]').getAttribute('value'))!,
    };
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await page.waitForURL(/\/massnahmen\?plan=uebernommen/);
    expect(await page.getByRole('status').first().textContent()).toBe(
      'Maßnahmenplan übernommen: 1 neu, 1 geändert',
    );
    await expectAccessible(page);
    const found = (
      await t.http.get('/api/measures?q=3.12-77').auth(adminToken, { type: 'bearer' }).expect(200)
    ).body as { items: MeasureJson[] };
    expect(found.items.map((m) => m.title)).toEqual(['Neu aus dem Maßnahmenplan']);
    const renamed = (
      await t.http
        .get(`/api/measures?q=${encodeURIComponent(renamedCode)}`)
        .auth(adminToken, { type: 'bearer' })
    ).body as { items: MeasureJson[] };
    expect(renamed.items.find((m) => m.code === renamedCode)?.title).toBe('Umbenannt über den Maßnahmenplan');

    // The kept file is taken once: a second "Übernehmen" is explained, nothing is written twice.
    const afterApply = await databaseFingerprint(t.dataSource);
    const second = await page.request.post(`${base}/massnahmen/massnahmenplan/uebernehmen`, {
      form: kept,
      maxRedirects: 0,
    });
    expect(second.status()).toBe(409);
    expect(await second.text()).toMatch(/Bitte laden Sie sie erneut hoch/);
    expect(await databaseFingerprint(t.dataSource)).toBe(afterApply);

    // A faulty file: every error listed, nothing written.
    await page.goto(`${base}/massnahmen`);
    copy.getCell(4).value = '9.9';
    await page.getByLabel('Arbeitsmappe (.xlsx)').setInputFiles({
      name: 'plan.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Unbekanntes Handlungsfeld „9\.9“/);
    await expectAccessible(page);
    await context.close();
  });

  it('an editor edits only the non-structural fields of its own measures and is refused the admin pages by the server', async () => {
    const measure = await createByApi(); // led by ASJI
    const other = await createByApi({
      leadDepartmentId: ids.departments.SKB,
      participatingDepartmentIds: [],
    });
    const { context, page } = await signIn('soziales@demo.local');

    await page.goto(`${base}/massnahmen`);
    expect(await page.getByRole('link', { name: 'Neue Maßnahme' }).count()).toBe(0);
    expect(await page.locator('form[enctype="multipart/form-data"]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Maßnahmenplan herunterladen (Excel)' }).count()).toBe(1);
    for (const path of ['/massnahmen/neu', `/massnahmen/${other.id}/bearbeiten`]) {
      const res = await page.goto(`${base}${path}`);
      expect({ path, status: res?.status() }).toEqual({ path, status: 403 });
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kein Zugriff');
    }
    await page.goto(`${base}/massnahmen/${measure.id}`);
    expect(await page.getByRole('form', { name: 'Maßnahme einstellen' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Stammdaten bearbeiten' }).click();
    const names = await page
      .locator('main form[method="post"] [name]')
      .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('name')))]);
    expect(names.sort()).toEqual(
      [
        '_csrf',
        'version',
        'description',
        'participatingDepartmentIds',
        'targetGroups',
        'plannedStart',
        'plannedEnd',
        'budget',
      ].sort(),
    );
    expect(await page.locator('dl.facts').textContent()).toMatch(/Sprachcafés in Stadtteilbibliotheken/);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/measure-edit-editor.png`, fullPage: true });

    await page.getByLabel('Beschreibung').fill('Jetzt auch samstags.');
    await page.getByLabel('Geplantes Ende').fill('30.6.2027');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.waitForURL(/meldung=geaendert$/);
    expect(await apiMeasure(measure.id)).toMatchObject({
      description: 'Jetzt auch samstags.',
      plannedEnd: '2027-06-30',
      title: measure.title,
    });
    await context.close();

    // Posts that the page would not offer: refused by the server, nothing written.
    const session = await signInByForm(request(t.app.getHttpServer()), 'soziales@demo.local');
    const _csrf = csrfToken(t.app.get(AuthService).csrfSecret, session);
    const current = await apiMeasure(measure.id);
    const posts: [string, Record<string, string>][] = [
      ['/massnahmen/neu', { code: '3.1-E1', title: 'Eigene Maßnahme', level: 'land' }],
      [`/massnahmen/${measure.id}/bearbeiten`, { version: String(current.version), title: 'Neuer Titel' }],
      [
        `/massnahmen/${measure.id}/lebenszyklus`,
        { version: String(current.version), lifecycle: 'discontinued', reason: 'Nicht mehr nötig.' },
      ],
      ['/massnahmen/massnahmenplan/uebernehmen', { token: 'x' }],
    ];
    for (const [path, body] of posts) {
      const before = await databaseFingerprint(t.dataSource);
      const res = await request(t.app.getHttpServer())
        .post(path)
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .type('form')
        .send({ ...body, _csrf });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    }
    const upload = await request(t.app.getHttpServer())
      .post('/massnahmen/massnahmenplan')
      .set('Cookie', `${SESSION_COOKIE}=${session}`)
      .field('_csrf', _csrf)
      .attach(
        'file',
        (
          await t.http
            .get('/api/measure-plan')
            .auth(adminToken, { type: 'bearer' })
            .buffer(true)
            .parse(binaryParser)
        ).body as Buffer,
        'plan.xlsx',
      );
    expect(upload.status).toBe(403);
  });
});
