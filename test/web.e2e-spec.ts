/**
 * The web application in a real browser (Chromium): every demo role signs in and sees what it should, an
 * editor reports through the form (first an invalid progress, then a valid one), the admin returns the report
 * and the editor sees the comment, a viewer has no edit controls, the report downloads as a workbook, the
 * status form works by keyboard alone, and axe-core finds no WCAG 2.1 A/AA violation on any page visited.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import type { TestApp } from './helpers/test-app.js';
import { readWorkbook } from './helpers/workbooks.js';

/** Screenshots go to an ignored folder; `npm run screenshots` writes the README's pictures to docs/screenshots. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

describe('web application in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const checked = new Map<string, number>();

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  // 1280 px: the README's picture keeps its width.
  const signIn = (email: string): Promise<{ context: BrowserContext; page: Page }> =>
    signInPage(browser, base, email, { width: 1280 });

  /** Fails with the list of violations, so that a report says what to fix. */
  async function expectAccessible(page: Page): Promise<void> {
    checked.set(new URL(page.url()).pathname, 0);
    await expectNoAxeViolations(page);
  }

  it('refuses pages without sign-in and shows a clear sign-in error', async () => {
    const context = await browser.newContext({ locale: 'de-DE', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/massnahmen`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    await expectAccessible(page);
    await page.getByLabel('E-Mail-Adresse').fill('admin@demo.local');
    await page.getByLabel('Passwort').fill('falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/E-Mail-Adresse oder Passwort ist falsch/);
    await expectAccessible(page);
    await page.goto(`${base}/barrierefreiheit`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Erklärung zur Barrierefreiheit',
    );
    await expectAccessible(page);
    await context.close();
  });

  it('the viewer sees the dashboard with charts and tables, and no edit controls anywhere', async () => {
    const { context, page } = await signIn('steuerung@demo.local');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Übersicht zur Umsetzung');
    const nav = await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link')
      .allTextContents();
    expect(nav).toEqual(['Übersicht', 'Maßnahmen', 'Berichtszyklen', 'Gremien', 'Indikatoren']);
    // The chart's bars are links to the measures they count: a group of links, named by its title.
    expect(
      await page.getByRole('group', { name: 'Maßnahmen nach Status und Handlungsfeldern' }).count(),
    ).toBe(1);
    expect(
      await page.locator('table caption', { hasText: 'Maßnahmen nach Status und Ressorts' }).count(),
    ).toBe(1);
    await expectAccessible(page);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/dashboard.png`, fullPage: false });

    // Filters stay in the address, so that a view can be shared.
    await page
      .getByLabel('Handlungsfeld', { exact: true })
      .selectOption({ label: '3.1 Erwerb der deutschen Sprache' });
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('actionFieldId')),
      page.getByRole('button', { name: 'Anzeigen' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('actionFieldId')).toBeTruthy();
    expect(await page.locator('.kpis li').first().textContent()).toMatch(/^\s*4\s+Maßnahmen/);

    for (const path of ['/massnahmen', '/massnahmen/1', '/berichtszyklen', '/gremien', '/indikatoren']) {
      await page.goto(`${base}${path}`);
      expect({ path, forms: await page.locator('main form[method="post"]').count() }).toEqual({
        path,
        forms: 0,
      });
      expect(await page.getByRole('link', { name: 'Sachstand melden' }).count()).toBe(0);
      await expectAccessible(page);
    }
    const forbidden = await page.goto(`${base}/pruefung`);
    expect(forbidden?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kein Zugriff');
    await expectAccessible(page);
    const missing = await page.goto(`${base}/massnahmen/99999`);
    expect(missing?.status()).toBe(404);
    await context.close();
  });

  it('an editor reports through the form: the invalid progress first, then the saved report; the admin returns it; the editor sees the comment', async () => {
    const editor = await signIn('soziales@demo.local');
    const page = editor.page;
    await page.getByRole('link', { name: 'Meldungen', exact: true }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(
      /^Meldungen – Arbeit, Soziales, Jugend und Integration/,
    );
    await expectAccessible(page);
    await page.locator('#h-owed + ul a').first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sachstand melden');
    await expectAccessible(page);
    const measureUrl = await page.locator('main p a').first().getAttribute('href');

    await page.getByLabel('Status').selectOption({ label: 'in Umsetzung' });
    await page.getByLabel('Fortschritt in Prozent').fill('150');
    await page.getByLabel('Sachstand').fill('Die Kurse sind an drei Standorten gestartet.');
    await page.getByRole('button', { name: 'Meldung abgeben' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /Fortschritt: darf nicht größer als 100 sein/,
    );
    expect(await page.locator('#progress-error').textContent()).toBe('darf nicht größer als 100 sein');
    expect(await page.getByLabel('Fortschritt in Prozent').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Sachstand').inputValue()).toBe(
      'Die Kurse sind an drei Standorten gestartet.',
    );
    await expectAccessible(page);

    await page.getByLabel('Fortschritt in Prozent').fill('45');
    await page.getByRole('button', { name: 'Meldung abgeben' }).click();
    expect(page.url()).toBe(`${base}${measureUrl}?gemeldet=1`);
    const timeline = page.locator('.timeline li').first();
    expect(await timeline.textContent()).toMatch(/in Umsetzung · 45 % · eingereicht/);
    await expectAccessible(page);

    const admin = await signIn('admin@demo.local');
    await admin.page.goto(`${base}/pruefung`);
    await expectAccessible(admin.page);
    const section = admin.page.locator('section', {
      hasText: 'Die Kurse sind an drei Standorten gestartet.',
    });
    await section
      .getByLabel('Kommentar (Pflicht bei Rückgabe)')
      .fill('Bitte die Teilnehmendenzahlen ergänzen.');
    await section.getByRole('button', { name: 'Zurückgeben' }).click();
    expect(new URL(admin.page.url()).pathname).toBe('/pruefung');
    expect(await admin.page.getByRole('status').textContent()).toMatch(/^Meldung zu \S+ zurückgegeben$/);
    expect(
      await admin.page
        .locator('section', { hasText: 'Die Kurse sind an drei Standorten gestartet.' })
        .count(),
    ).toBe(0);

    await page.goto(`${base}${measureUrl}`);
    expect(await page.locator('.timeline li').first().textContent()).toMatch(
      /zurückgegeben[\s\S]*Bitte die Teilnehmendenzahlen ergänzen\./,
    );
    await page.goto(`${base}/meldungen`);
    expect(await page.locator('#h-owed + ul').textContent()).toMatch(
      /zurückgegeben, Korrektur fehlt: „Bitte die Teilnehmendenzahlen ergänzen\.“/,
    );
    await editor.context.close();
    await admin.context.close();
  });

  it('the status form can be completed by keyboard alone', async () => {
    const { context, page } = await signIn('bildung@demo.local');
    await page.goto(`${base}/meldungen`);
    const link = await page.locator('main table a[href$="/meldung"]').first().getAttribute('href');
    await page.goto(`${base}${link}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    // From the main content, tab to the status field and fill everything with the keyboard.
    let guard = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'status' && guard++ < 20)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('status');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('70');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Alle Vorkurse sind mit Lehrkräften besetzt.');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Meldung abgeben');
    await page.keyboard.press('Enter');
    await page.waitForURL(/gemeldet=1$/);
    expect(await page.locator('.timeline li').first().textContent()).toMatch(/70 %/);
    await context.close();
  });

  it('the admin sees every area, generates the report and downloads it as a workbook', async () => {
    const { context, page } = await signIn('admin@demo.local');
    const nav = await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link')
      .allTextContents();
    expect(nav).toEqual([
      'Übersicht',
      'Maßnahmen',
      'Meldungen',
      'Prüfung',
      'Berichtszyklen',
      'Gremien',
      'Indikatoren',
      'Rahmenkonzept',
      'Konten',
      'Protokoll',
      'Benachrichtigungen',
      'Aufträge',
    ]);
    // The README's second picture: the form a coordinating unit creates a measure with.
    await page.goto(`${base}/massnahmen/neu`);
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/measure-form.png`, fullPage: true });
    for (const path of ['/konten', '/protokoll', '/berichtszyklen', '/gremien', '/konto/passwort']) {
      await page.goto(`${base}${path}`);
      await expectAccessible(page);
    }
    // The password form with its errors, still accessible; nothing is changed.
    await page.getByLabel('Bisheriges Passwort').fill('falsch');
    await page.getByLabel('Neues Passwort', { exact: true }).fill('kurz');
    await page.getByLabel('Neues Passwort wiederholen').fill('anders');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Bitte korrigieren Sie 2 Angabe\(n\)/);
    await expectAccessible(page);
    await page.goto(`${base}/berichtszyklen`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Bericht erzeugen 2022-2023' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Umsetzungsbericht-2022-2023-\d{8}-\d{6}\.xlsx$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const workbook = await readWorkbook(readFileSync(path));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Übersicht',
      'Ziele',
      'Handlungsfelder',
      'Ressorts',
      'Maßnahmen',
      'Indikatoren',
      'Gremien',
      'Beschlüsse',
      'Änderungen',
    ]);
    await page.goto(`${base}/berichtszyklen`);
    expect(await page.locator('table').nth(1).textContent()).toMatch(/Umsetzungsbericht-2022-2023-/);

    // Creating an account with errors keeps the input and names every problem.
    await page.goto(`${base}/konten`);
    await page.getByLabel('E-Mail-Adresse').fill('neu@example.org');
    await page.getByLabel('Name').fill('Neue Kollegin');
    await page.getByLabel('Rolle').selectOption('editor');
    await page.getByLabel('Erstes Passwort').fill('kurz');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /Ressort: ist für die Rolle editor ein Pflichtfeld[\s\S]*Passwort: muss mindestens 10 Zeichen/,
    );
    expect(await page.getByLabel('E-Mail-Adresse').inputValue()).toBe('neu@example.org');
    await expectAccessible(page);
    await context.close();
  });

  it('signs out, and the old session no longer opens pages', async () => {
    const { context, page } = await signIn('steuerung@demo.local');
    await page.getByRole('button', { name: 'Abmelden' }).click();
    expect(await page.getByRole('status').first().textContent()).toMatch(/abgemeldet/);
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
    await context.close();
    expect(checked.size).toBeGreaterThanOrEqual(12);
  });
});
