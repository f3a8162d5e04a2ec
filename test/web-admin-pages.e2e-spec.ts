/**
 * The coordinating unit's indicator, account, report and audit pages in a real browser: an indicator's values
 * as table and chart, a value entered by keyboard, the workbook import with its preview first; accounts
 * changed, reset (a one-time password shown once), deactivated and reactivated; /meldungen for any
 * department; the audit log in German. Every result is checked through the API, every page with axe-core,
 * and the roles that may not do these things are refused by the server. Also the small faults of issue 16:
 * the 403 page's navigation and label, the table header "Ziel", the template's Anleitung, the report's
 * file name in Berlin time.
 */
import { mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import type { TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

interface IndicatorBody {
  id: number;
  code: string;
  groups: string[];
  values: { year: number; group: string; value: number; note: string }[];
}

describe('admin pages: indicators, accounts, audit log, reports by department', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let adminToken: string;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    adminToken = await t.login('admin@demo.local');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = (email: string, password = 'demo1234'): Promise<{ context: BrowserContext; page: Page }> =>
    signInPage(browser, base, email, { password });
  const expectAccessible = expectNoAxeViolations;

  async function api<T>(path: string): Promise<T> {
    return (await t.http.get(path).auth(adminToken, { type: 'bearer' }).expect(200)).body as T;
  }

  async function indicator(code: string): Promise<IndicatorBody> {
    const list = await api<IndicatorBody[]>('/api/indicators');
    return list.find((i) => i.code === code)!;
  }

  async function status(page: Page): Promise<string> {
    return ((await page.locator('[role="status"]').first().textContent()) ?? '').trim();
  }

  /** The page's CSRF token (from the sign-out form), for a post that the page would not offer. */
  async function csrfOf(page: Page): Promise<string> {
    return (await page.locator('form[action="/abmelden"] input[name="_csrf"]').getAttribute('value')) ?? '';
  }

  it('shows an indicator as table and chart; the admin enters a value by keyboard, after an invalid one', async () => {
    const before = await indicator('B2a');
    const year = Math.max(...before.values.map((v) => v.year)) + 1;
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/indikatoren`);
    await page.getByRole('link', { name: 'B2a' }).click();
    await page.waitForURL(`${base}/indikatoren/${before.id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('B2a Einbürgerungsquote');
    expect(await page.getByRole('img', { name: 'Verlauf: B2a Einbürgerungsquote' }).count()).toBe(1);
    const rows = await page.locator('table tbody tr').count();
    expect(rows).toBe(new Set(before.values.map((v) => v.year)).size);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/indicator.png`, fullPage: true });

    // An invalid value first: refused inline, what was typed stays.
    await page.getByLabel('Jahr', { exact: true }).fill(String(year));
    await page.getByLabel('Wert in %', { exact: true }).fill('viel');
    await page.getByRole('button', { name: 'Wert speichern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Wert: muss eine Zahl sein/);
    expect(await page.getByLabel('Wert in %', { exact: true }).inputValue()).toBe('viel');
    expect(await page.getByLabel('Jahr', { exact: true }).inputValue()).toBe(String(year));
    await expectAccessible(page);

    // By keyboard alone: Jahr, Gruppe, Wert, Anmerkung, then Enter.
    await page.getByLabel('Jahr', { exact: true }).fill('');
    await page.getByLabel('Jahr', { exact: true }).focus();
    await page.keyboard.type(String(year));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3,4');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Statistisches Landesamt');
    await page.keyboard.press('Enter');
    await page.waitForURL(/gespeichert=\d+$/);
    expect(await status(page)).toMatch(new RegExp(`^Wert ${year} für B2a gespeichert`));
    await expectAccessible(page);
    const after = await indicator('B2a');
    expect(after.values.find((v) => v.year === year)).toMatchObject({
      group: 'gesamt',
      value: 3.4,
      note: 'Statistisches Landesamt',
    });
    await context.close();
  });

  it('imports indicator values from a workbook: preview first, nothing written, then "Übernehmen"', async () => {
    const before = await indicator('B2a');
    const year = Math.max(...before.values.map((v) => v.year)) + 1;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Werte');
    sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
    sheet.addRow(['B2a', year, 'gesamt', 3.9, 'Import']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/indikatoren/${before.id}`);
    await page.getByRole('link', { name: 'Indikatorwerte aus einer Arbeitsmappe importieren' }).click();
    await expectAccessible(page);
    await page.getByLabel('Arbeitsmappe (.xlsx)').setInputFiles({
      name: 'werte.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page.getByRole('button', { name: 'Prüfen (Vorschau)' }).click();
    expect(await status(page)).toMatch(/^Vorschau: 1 neue und 0 geänderte Werte/);
    expect(await page.locator('table tbody tr').first().textContent()).toMatch(/B2a.*neu/s);
    expect(page.url()).not.toMatch(/_csrf/);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/indicator-import.png`, fullPage: true });
    expect((await indicator('B2a')).values.some((v) => v.year === year)).toBe(false);

    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await page.waitForURL(/uebernommen=1$/);
    expect(await status(page)).toBe('Indikatorwerte übernommen: 1 Wert(e) gespeichert.');
    expect((await indicator('B2a')).values.find((v) => v.year === year)).toMatchObject({ value: 3.9 });

    await context.close();
  });

  it('refuses value entry and import to other roles on the server, and shows them no form', async () => {
    const target = await indicator('B2a');
    for (const email of ['steuerung@demo.local', 'soziales@demo.local']) {
      const { context, page } = await signIn(email);
      await page.goto(`${base}/indikatoren/${target.id}`);
      expect(await page.locator('main form[method="post"]').count()).toBe(0);
      await expectAccessible(page);
      const post = await context.request.post(`${base}/indikatoren/${target.id}/werte`, {
        form: { _csrf: await csrfOf(page), year: '2090', group: 'gesamt', value: '1' },
        maxRedirects: 0,
      });
      expect(post.status()).toBe(403);
      const importPage = await page.goto(`${base}/indikatoren/import`);
      expect(importPage?.status()).toBe(403);
      await context.close();
    }
    expect((await indicator('B2a')).values.some((v) => v.year === 2090)).toBe(false);
  });

  it('changes role and department, resets the password once, deactivates and reactivates an account', async () => {
    const created = (
      await t.http
        .post('/api/users')
        .auth(adminToken, { type: 'bearer' })
        .send({
          email: 'kollegin@example.org',
          displayName: 'Kollegin Beispiel',
          role: 'viewer',
          password: 'Ein-gutes-Passwort-1',
        })
        .expect(201)
    ).body as { id: number };
    const departments = await api<{ id: number; code: string; name: string }[]>('/api/departments');
    const asji = departments.find((d) => d.code === 'ASJI')!;

    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/konten`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Bearbeiten (kollegin@example.org)' }).click();
    await page.waitForURL(`${base}/konten/${created.id}`);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/account.png`, fullPage: true });

    // An editor without a department: refused inline by the service's rule.
    await page.getByLabel('Rolle', { exact: true }).selectOption('editor');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /Ressort: ist für die Rolle editor ein Pflichtfeld/,
    );
    await expectAccessible(page);

    // By keyboard: the role stays chosen, the department is picked, Enter saves.
    expect(await page.getByLabel('Rolle', { exact: true }).inputValue()).toBe('editor');
    await page.getByLabel('Ressort (nur für Ressort-Konten)').selectOption(String(asji.id));
    await page.getByLabel('Ressort (nur für Ressort-Konten)').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/konten\?rolle=\d+$/);
    expect(await status(page)).toBe(
      `Rolle von Kollegin Beispiel geändert: Ressort (Bearbeitung), ${asji.name}.`,
    );
    let user = await api<{ role: string; departmentId: number; active: boolean; version: number }>(
      `/api/users/${created.id}`,
    );
    expect(user).toMatchObject({ role: 'editor', departmentId: asji.id });

    // A stale form (changed in the meantime through the API) is refused, not silently overwritten.
    await page.goto(`${base}/konten/${created.id}`);
    await t.http
      .patch(`/api/users/${created.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ version: user.version, displayName: 'Kollegin B.' })
      .expect(200);
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/inzwischen geändert/);
    expect((await api<{ displayName: string }>(`/api/users/${created.id}`)).displayName).toBe('Kollegin B.');

    // The one-time password: shown once on the answer, never in the address; it signs in.
    await page.getByRole('button', { name: 'Einmalpasswort erzeugen' }).click();
    expect(await status(page)).toBe('Einmalpasswort für Kollegin B. (kollegin@example.org) erzeugt.');
    const password = ((await page.locator('#otp').textContent()) ?? '').trim();
    expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(page.url()).not.toContain(password);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/account-password.png`, fullPage: true });
    await t.http
      .post('/api/auth/login')
      .send({ email: 'kollegin@example.org', password: 'Ein-gutes-Passwort-1' })
      .expect(401);
    await t.http.post('/api/auth/login').send({ email: 'kollegin@example.org', password }).expect(200);

    // Deactivate, then reactivate.
    await page.goto(`${base}/konten/${created.id}`);
    await page.getByRole('button', { name: 'Konto deaktivieren' }).click();
    expect(await status(page)).toBe('Konto von Kollegin B. deaktiviert; alle Anmeldungen sind beendet.');
    expect((await api<{ active: boolean }>(`/api/users/${created.id}`)).active).toBe(false);
    await page.getByRole('button', { name: 'Reaktivieren (kollegin@example.org)' }).click();
    expect(await status(page)).toBe('Konto von Kollegin B. wieder aktiviert.');
    user = await api(`/api/users/${created.id}`);
    expect(user.active).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it('refuses account changes to non-admins on the server', async () => {
    const victim = (
      await api<{ items: { id: number; email: string; version: number }[] }>('/api/users')
    ).items.find((u) => u.email === 'bildung@demo.local')!;
    const { context, page } = await signIn('soziales@demo.local');
    const _csrf = await csrfOf(page);
    for (const [path, form] of [
      [`/konten/${victim.id}`, { version: String(victim.version), role: 'admin' }],
      [`/konten/${victim.id}/passwort`, {}],
      [`/konten/${victim.id}/reaktivieren`, { version: String(victim.version) }],
    ] as const) {
      const res = await context.request.post(`${base}${path}`, { form: { _csrf, ...form }, maxRedirects: 0 });
      expect({ path, status: res.status() }).toEqual({ path, status: 403 });
    }
    expect((await api<{ role: string; version: number }>(`/api/users/${victim.id}`)).version).toBe(
      victim.version,
    );
    await context.close();
  });

  it('shows the audit log in German: entity, action and "Feld: alt → neu", with German filters', async () => {
    const account = (
      await t.http
        .post('/api/users')
        .auth(adminToken, { type: 'bearer' })
        .send({
          email: 'protokoll@example.org',
          displayName: 'Protokoll Beispiel',
          role: 'viewer',
          password: 'Ein-gutes-Passwort-2',
        })
        .expect(201)
    ).body as { id: number; version: number };
    const departments = await api<{ id: number; code: string; name: string }[]>('/api/departments');
    await t.http
      .patch(`/api/users/${account.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ version: account.version, role: 'editor', departmentId: departments[0].id })
      .expect(200);
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/protokoll`);
    const entityOptions = await page.getByLabel('Bereich').locator('option').allTextContents();
    expect(entityOptions).toEqual(
      expect.arrayContaining(['Konto', 'Maßnahme', 'Sachstandsmeldung', 'Indikatorwert']),
    );
    expect(entityOptions).not.toContain('User');
    const actionOptions = await page.getByLabel('Aktion').locator('option').allTextContents();
    expect(actionOptions).toEqual(expect.arrayContaining(['angelegt', 'geändert', 'angemeldet']));
    await page.getByLabel('Bereich').selectOption({ label: 'Konto' });
    await page.getByLabel('Aktion').selectOption({ label: 'geändert' });
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('entity')),
      page.getByRole('button', { name: 'Filtern' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('entity')).toBe('User');
    const text = (await page.locator('table tbody').textContent()) ?? '';
    expect(text).toMatch(/Konto/);
    expect(text).toMatch(/Rolle: Lesezugriff → Ressort \(Bearbeitung\)/);
    expect(text).toContain(`Ressort: – → ${departments[0].name}`);
    expect(text).not.toMatch(/"role"|departmentId/);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/audit.png`, fullPage: false });
    await context.close();
  });

  it('lets the admin open /meldungen for any department, and no viewer', async () => {
    const { context, page } = await signIn('admin@demo.local');
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Meldungen' })
      .click();
    await page.getByLabel('Ressort', { exact: true }).selectOption({ label: 'Kinder und Bildung' });
    await page.getByLabel('Ressort', { exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/departmentId=\d+/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Meldungen – Kinder und Bildung',
    );
    expect(await page.locator('main form[method="post"]').count()).toBe(0);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reports-by-department.png`, fullPage: false });
    await context.close();

    const viewer = await signIn('steuerung@demo.local');
    expect((await viewer.page.goto(`${base}/meldungen`))?.status()).toBe(403);
    await viewer.context.close();
  });

  it('the 403 page has the navigation and a clean user label; the labels have no nested parentheses', async () => {
    const viewer = await signIn('steuerung@demo.local');
    const refused = await viewer.page.goto(`${base}/konten`);
    expect(refused?.status()).toBe(403);
    expect(await viewer.page.getByRole('heading', { level: 1 }).textContent()).toBe('Kein Zugriff');
    const nav = await viewer.page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link')
      .allTextContents();
    expect(nav).toEqual(['Übersicht', 'Maßnahmen', 'Berichtszyklen', 'Gremien', 'Indikatoren']);
    const label = ((await viewer.page.locator('.user-label').textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    expect(label).toBe('Angemeldet: Steuerungsrunde (Demo) – Lesezugriff');
    expect(await viewer.page.getByRole('button', { name: 'Abmelden' }).count()).toBe(1);
    await expectAccessible(viewer.page);
    await viewer.context.close();

    const editor = await signIn('soziales@demo.local');
    const editorLabel = ((await editor.page.locator('.user-label').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(editorLabel.trim()).toBe(
      'Angemeldet: Ressort Soziales (Demo) – Bearbeitung, Arbeit, Soziales, Jugend und Integration',
    );
    expect(editorLabel).not.toMatch(/\)\s*\)|\(\s*\)/);
    await editor.context.close();
  });

  it('the dashboard tables name their first column in the singular ("Ziel", not "Zielen")', async () => {
    const { context, page } = await signIn('steuerung@demo.local');
    const headers = await page.locator('table thead tr th:first-child').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Ziel', 'Handlungsfeld', 'Ressort']));
    expect(headers).not.toContain('Zielen');
    await context.close();
  });

  it('the template Anleitung points to the Meldungen page for the upload', async () => {
    const cycles = await api<{ id: number; state: string }[]>('/api/reporting-cycles');
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    const departments = await api<{ id: number; code: string }[]>('/api/departments');
    const res = await t.http
      .get(`/api/reporting-cycles/${cycle.id}/templates/${departments.find((d) => d.code === 'ASJI')!.id}`)
      .auth(adminToken, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const workbook = await readWorkbook(res.body as Buffer);
    const text: string[] = [];
    workbook.getWorksheet('Anleitung')!.eachRow((row) => text.push(row.values?.toString() ?? ''));
    const all = text.join('\n');
    expect(all).toMatch(/„Meldungen“/);
    expect(all).not.toMatch(/Berichtszyklus → Vorlage hochladen/);
  });

  it("the report's file name carries the time in Berlin, as the page shows it", async () => {
    const cycles = await api<{ id: number; state: string }[]>('/api/reporting-cycles');
    const cycle = cycles.find((c) => c.state === 'collecting')!;
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report`)
      .auth(adminToken, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const [latest] = await api<{ fileName: string; generatedAt: string }[]>('/api/reports');
    const stamp = /-(\d{8})-(\d{6})\.xlsx$/.exec(latest.fileName);
    expect(stamp).not.toBeNull();
    const berlin = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(latest.generatedAt))
      .replace(/[-: ]/g, '');
    // Hours and minutes as in Berlin (the record's time may lie a second after the file's).
    const fileMinutes = `${stamp![1]}${stamp![2].slice(0, 4)}`;
    const pageMinutes = new Date(new Date(latest.generatedAt).getTime() - 60_000);
    const before = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(pageMinutes)
      .replace(/[-: ]/g, '');
    expect([berlin, before]).toContain(fileMinutes);
  });
});
