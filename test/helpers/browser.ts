/**
 * A real browser for the page tests, driven by playwright-core. Which Chromium: CHROMIUM_PATH when set, else
 * Debian's /usr/bin/chromium, else the Chromium that the npm package @sparticuz/chromium ships inside itself
 * (a development dependency: it needs no download and runs on a plain Debian machine). When none starts, the
 * tests fail with the command that installs one (they never skip silently).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { expect } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './test-app.js';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL_HINT =
  'Installieren mit: apt-get update && apt-get install -y chromium (oder CHROMIUM_PATH setzen)';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The browser the tests use, and where it came from (for the failure message). */
export async function chromiumExecutable(): Promise<{ path: string; source: string }> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured))
      throw new Error(`Chromium fehlt unter CHROMIUM_PATH=${configured}. ${INSTALL_HINT}`);
    return { path: configured, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: 'Debian' };
  try {
    const packaged = (await import('@sparticuz/chromium')).default;
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
  } catch (error) {
    throw new Error(
      `Kein Chromium gefunden: weder CHROMIUM_PATH noch ${DEBIAN_CHROMIUM}, und das npm-Paket @sparticuz/chromium ` +
        `ließ sich nicht entpacken (${error instanceof Error ? error.message : String(error)}). ${INSTALL_HINT}`,
      { cause: error },
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  const { path, source } = await chromiumExecutable();
  try {
    return await chromium.launch({ executablePath: path, args: ARGS });
  } catch (error) {
    throw new Error(
      `Chromium (${source}, ${path}) startet nicht: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ${INSTALL_HINT}`,
      { cause: error },
    );
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core with the WCAG 2.1 A/AA rules on the current page and returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the browser's debugging interface, not added as a script tag: the pages' content security
  // policy forbids inline script, and a test that enforces it must still be able to run axe.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
}

/** The application listening on a free port, and a browser to visit it: the set-up of every page suite. */
export async function startWebApp(): Promise<{ t: TestApp; base: string; browser: Browser }> {
  const t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { t, base, browser: await launchBrowser() };
}

/** A German browser session (1366 px wide unless said), signed in through the sign-in form. */
export async function signInPage(
  browser: Browser,
  base: string,
  email: string,
  options: { password?: string; width?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'de-DE',
    viewport: { width: options.width ?? 1366, height: 900 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(options.password ?? 'demo1234');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  // The start page; with several plans, the start page under the first plan's address.
  await page.waitForURL((url) => url.href === `${base}/` || /^\/plaene\/[^/]+\/$/.test(url.pathname));
  return { context, page };
}

/** Fails with the list of violations (WCAG 2.1 A/AA), so that a report says what to fix. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect({ url: page.url(), violations }).toEqual({ url: page.url(), violations: [] });
}
