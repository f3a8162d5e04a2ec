/**
 * Single sign-on in a real browser (Chromium) against a real OpenID provider started here (npm `oidc-provider`
 * with its own development sign-in, consent and logout pages). The application and the provider run on
 * different sites (localhost and 127.0.0.1), so the browser applies its SameSite rules as it would between the
 * administration's provider and the application, and the application's content security policy is enforced.
 * - an anonymous visitor reaches "Mit Dienstkonto anmelden" by keyboard, signs in on the provider's pages and
 *   lands back in the application as the matching account; "Abmelden" ends the local session and the
 *   provider's session (its logout confirmation), after which protected pages lead to the sign-in page;
 * - an account the application does not know is refused on the sign-in page in German and not signed in.
 * axe-core finds no WCAG 2.1 A/AA violation on the sign-in page; screenshots at 1366 px go to
 * test/.tmp/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser } from './helpers/browser.js';
import { freePort, startProvider, type TestProvider } from './helpers/oidc-provider.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

describe('single sign-on in a browser', () => {
  let idp: TestProvider;
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    // Another site than the provider's 127.0.0.1: cookies of one are third-party to the other.
    base = `http://localhost:${port}`;
    idp = await startProvider(base);
    t = await createTestApp({
      APP_BASE_URL: base,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ALLOW_HTTP: 'true',
    });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchBrowser();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  /**
   * A German browser session at 1366 px that enforces the policy and records what it blocks; the provider's web
   * font (from the internet) is not fetched.
   */
  async function visitor(): Promise<{ context: BrowserContext; page: Page; blocked: string[] }> {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1366, height: 900 } });
    await context.route(/^https:\/\//, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    return { context, page, blocked };
  }

  /** Tabs from the top of the page to the element named `name` (at most 40 steps) and returns its text. */
  async function tabTo(page: Page, name: string): Promise<string> {
    for (let step = 0; step < 40; step++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      if (focused === name) return focused;
    }
    throw new Error(`"${name}" ist mit der Tabulatortaste nicht erreichbar`);
  }

  /** The provider's own sign-in and consent pages, filled in as a person does. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.getByPlaceholder('Enter any login').fill(login);
    await page.getByPlaceholder('and password').fill('egal');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs in by keyboard through the provider and signs out of both', async () => {
    const { context, page, blocked } = await visitor();
    try {
      await page.goto(`${base}/meldungen`);
      await page.waitForURL(`${base}/anmelden?weiter=%2Fmeldungen`);
      expect(await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).count()).toBe(1);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-anmelden.png`, fullPage: true });

      await tabTo(page, 'Mit Dienstkonto anmelden');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.href.startsWith(idp.issuer));
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-anbieter-anmeldung.png`, fullPage: true });
      await signInAtProvider(page, 'soziales@demo.local');

      // Back in the application, signed in, on the page first asked for.
      await page.waitForURL(`${base}/meldungen`);
      expect(await page.locator('.user-label').textContent()).toContain('Ressort Soziales');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-angemeldet.png`, fullPage: true });
      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/`);
      expect(await page.locator('.user-label').textContent()).toContain('Ressort Soziales');

      // "Abmelden": the local session ends, then the provider asks to confirm its own logout.
      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${idp.issuer}/session/end`)).catch(() => undefined);
      expect(blocked).toEqual([]);
      expect(page.url().startsWith(`${idp.issuer}/session/end`)).toBe(true);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-anbieter-abmeldung.png`, fullPage: true });
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(`${base}/anmelden?abgemeldet=1`);
      expect(await page.getByRole('status').first().textContent()).toContain('Sie wurden abgemeldet.');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-abgemeldet.png`, fullPage: true });

      await page.goto(`${base}/meldungen`);
      expect(page.url()).toBe(`${base}/anmelden?weiter=%2Fmeldungen`);
      await page.goto(`${base}/`);
      expect(page.url()).toBe(`${base}/anmelden?weiter=%2F`);
      expect(await page.locator('.user-label').count()).toBe(0);

      // The provider's session is over too: the next sign-in asks for the login again.
      await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
      await page.waitForURL((url) => url.href.startsWith(idp.issuer));
      expect(await page.getByPlaceholder('Enter any login').count()).toBe(1);
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses an account the application does not know, on the sign-in page, in German', async () => {
    const { context, page, blocked } = await visitor();
    try {
      await page.goto(`${base}/anmelden`);
      await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
      await signInAtProvider(page, 'unbekannt@example.org');
      await page.waitForURL((url) => url.href.startsWith(`${base}/anmelden/dienstkonto/rueckruf`));
      const alert = page.getByRole('alert');
      expect(await alert.textContent()).toContain(
        'Für das Dienstkonto unbekannt@example.org gibt es kein Konto',
      );
      expect(await page.locator('.user-label').count()).toBe(0);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/sso-unbekannt.png`, fullPage: true });

      await page.goto(`${base}/meldungen`);
      expect(page.url()).toBe(`${base}/anmelden?weiter=%2Fmeldungen`);
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
