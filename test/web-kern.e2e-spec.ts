/**
 * Every page in the KERN UX-Standard (@kern-ux/native), served by the application itself under the strict
 * content security policy: the package's stylesheet and fonts load from /static/kern/, no request fails, no
 * policy is violated, axe-core finds no WCAG 2.1 A/AA violation, and the charts keep their contrast against
 * the page (text 4.5:1, graphical objects 3:1). A screenshot of each page at 1366 px goes to
 * test/.tmp/screenshots/kern-*.png. The browser here enforces the policy (no bypass, unlike the other suites).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, startWebApp } from './helpers/browser.js';
import type { TestApp } from './helpers/test-app.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

/** Classes of the hand-made stylesheet that KERN replaced; a converted page uses none of them. */
const LEGACY_CLASSES = [
  'error-summary',
  'field-error',
  'form-row',
  'notice',
  'success',
  'button',
  'table-wrap',
];

interface Problems {
  csp: string[];
  failed: string[];
  console: string[];
}

interface ContrastCheck {
  what: string;
  ratio: number;
  minimum: number;
}

describe('KERN UX-Standard on every page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  const problems: Problems = { csp: [], failed: [], console: [] };

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    // No bypassCSP: the policy of the application applies as in a real browser.
    context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1366, height: 900 } });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => {
        seen.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 404/.test(message.text()))
        problems.console.push(message.text());
      if (/Content Security Policy/i.test(message.text())) problems.csp.push(message.text());
    });
    page.on('requestfailed', (request) =>
      problems.failed.push(`${request.url()} ${request.failure()?.errorText}`),
    );
    page.on('response', (response) => {
      const request = response.request();
      if (response.status() >= 400 && !request.isNavigationRequest())
        problems.failed.push(`${response.status()} ${response.url()}`);
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  /** Loads a page and checks what every page must satisfy; returns nothing, fails with the page's problems. */
  async function checkPage(name: string, path: string, expectedStatus = 200): Promise<void> {
    problems.csp.length = 0;
    problems.failed.length = 0;
    problems.console.length = 0;
    const response = await page.goto(`${base}${path}`);
    expect({ path, status: response?.status() }).toEqual({ path, status: expectedStatus });
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
    const state = await page.evaluate((legacy) => {
      const button = document.querySelector('.kern-btn');
      const style = button ? getComputedStyle(button) : null;
      return {
        cspViolations: (window as unknown as { cspViolations: string[] }).cspViolations,
        kernButton: style ? { display: style.display, radius: style.borderTopLeftRadius } : null,
        bodyFont: getComputedStyle(document.body).fontFamily,
        firaLoaded: [...document.fonts].some((f) => f.family.includes('Fira Sans') && f.status === 'loaded'),
        stylesheets: [...document.styleSheets].map((s) => new URL(s.href ?? '', location.href).pathname),
        legacy: legacy.filter((c) => document.querySelector(`main .${c}`) !== null),
      };
    }, LEGACY_CLASSES);
    expect({ path, ...problems, cspViolations: state.cspViolations }).toEqual({
      path,
      csp: [],
      failed: [],
      console: [],
      cspViolations: [],
    });
    // The package's stylesheet is applied, before the application's own (a page may add its own after them),
    // and its font is in use.
    expect(state.stylesheets.slice(0, 3)).toEqual([
      '/static/kern/fonts/fira-sans.css',
      '/static/kern/kern.min.css',
      '/static/app.css',
    ]);
    expect(state.kernButton).toEqual({ display: 'inline-flex', radius: '4px' });
    expect(state.bodyFont).toMatch(/Fira Sans/);
    expect(state.firaLoaded).toBe(true);
    expect({ path, legacy: state.legacy }).toEqual({ path, legacy: [] });
    expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/kern-${name}.png`, fullPage: true });
  }

  /** Signs in as the coordinating unit through the form on the current page (the sign-in page). */
  async function signIn(): Promise<void> {
    await page.getByLabel('E-Mail-Adresse').fill('admin@demo.local');
    await page.getByLabel('Passwort').fill('demo1234');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${base}/`);
    // Let the page finish loading: a navigation away before its fonts arrived would abort their requests.
    await page.waitForLoadState('networkidle');
  }

  /** The first link on the current page whose address matches, as a path. */
  async function firstLink(pattern: RegExp): Promise<string> {
    const hrefs = await page
      .locator('main a[href]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const href = hrefs.find((h) => h !== null && pattern.test(h));
    if (!href) throw new Error(`Kein Link wie ${pattern} auf ${page.url()}`);
    return href;
  }

  it('serves the stylesheet and fonts of the package from the application, under the policy', async () => {
    const css = await t.http.get('/static/kern/kern.min.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.headers['content-security-policy']).toMatch(/font-src 'self'/);
    expect(css.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    const fonts = await t.http.get('/static/kern/fonts/fira-sans.css').expect(200);
    const first = /url\("\.\/([^"]+\.woff2)"\)/.exec(fonts.text)?.[1];
    expect(first).toBeDefined();
    await t.http
      .get(`/static/kern/fonts/${first}`)
      .expect(200)
      .expect('content-type', /font\/woff2/);
  });

  it('shows the sign-in page in KERN, then every page of the coordinating unit', async () => {
    await checkPage('anmelden', '/anmelden');
    await signIn();

    await checkPage('uebersicht', '/');
    await checkPage('massnahmen', '/massnahmen');
    const measure = await firstLink(/^\/massnahmen\/\d+$/);
    await checkPage('massnahme', measure);
    await checkPage('massnahme-bearbeiten', `${measure}/bearbeiten`);
    await checkPage('meldung', `${measure}/meldung`);
    await checkPage('massnahme-neu', '/massnahmen/neu');
    await checkPage('meldungen', '/meldungen');
    await checkPage('pruefung', '/pruefung');
    await checkPage('berichtszyklen', '/berichtszyklen');
    const transition = await firstLink(/^\/berichtszyklen\/\d+\/uebergang\?nach=/);
    const edit = await firstLink(/^\/berichtszyklen\/\d+\/bearbeiten$/);
    await checkPage('berichtszyklus-bearbeiten', edit);
    await checkPage('berichtszyklus-uebergang', transition);
    await checkPage('berichtszyklus-neu', '/berichtszyklen/neu');
    await checkPage('gremien', '/gremien');
    const apply = await firstLink(/^\/gremien\/beschluesse\/\d+\/anwenden$/);
    await checkPage('beschluss-anwenden', apply);
    await checkPage('sitzung-neu', '/gremien/sitzungen/neu');
    await checkPage('beschluss-neu', '/gremien/beschluesse/neu');
    await checkPage('indikatoren', '/indikatoren');
    const indicator = await firstLink(/^\/indikatoren\/\d+$/);
    await checkPage('indikator', indicator);
    await checkPage('indikatoren-import', '/indikatoren/import');
    await checkPage('konten', '/konten');
    await checkPage('konto', await firstLink(/^\/konten\/\d+$/));
    await checkPage('protokoll', '/protokoll');
    await checkPage('passwort', '/konto/passwort');
    await checkPage('benachrichtigungen', '/benachrichtigungen');
    await checkPage('auftraege', '/auftraege');
    await checkPage('konto-benachrichtigungen', '/konto/benachrichtigungen');
    await checkPage('rahmenkonzept', '/rahmenkonzept');
    await checkPage('barrierefreiheit', '/barrierefreiheit');
    // The public measure list of the published demo cycle (the public pages' own suite checks the others).
    const published = (await t.http.get('/api/public/cycles').expect(200)).body as { code: string }[];
    const publicPlan = (
      (await t.http.get(`/api/public/cycles/${published[0].code}/measures.json`).expect(200)).body as {
        metadata: { plan: { code: string } };
      }
    ).metadata.plan.code;
    await checkPage('oeffentlich-massnahmen', `/oeffentlich/${publicPlan}/${published[0].code}/massnahmen`);
    await checkPage('nicht-gefunden', '/massnahmen/999999', 404);

    // A refused form shows KERN's error state: the summary as a danger alert, the field marked.
    await page.goto(`${base}/gremien/sitzungen/neu`);
    await page.getByRole('button', { name: 'Sitzung erfassen' }).click();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.kern-alert--danger[role="alert"]').count()).toBe(1);
    expect(
      await page
        .locator(
          '.kern-form-input--error .kern-form-input__input--error, .kern-form-input--error .kern-form-input__select--error',
        )
        .count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('.kern-error').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/kern-sitzung-fehler.png`, fullPage: true });

    // The message after a post is a KERN success alert whose status region names what happened.
    await page.goto(`${base}${edit}`);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.waitForURL(/\/berichtszyklen\?/);
    const status = page.getByRole('status');
    expect(await status.textContent()).toMatch(/gespeichert/);
    expect(await page.locator('.kern-alert--success [role="status"]').count()).toBe(1);
  }, 300_000);

  /** WCAG contrast of the charts' text and graphical objects against what they stand on. */
  async function chartContrast(): Promise<ContrastCheck[]> {
    return page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const rgba = (colour: string): [number, number, number, number] => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000';
        ctx.fillStyle = colour;
        ctx.fillRect(0, 0, 1, 1);
        const d = ctx.getImageData(0, 0, 1, 1).data;
        return [d[0], d[1], d[2], d[3]];
      };
      const luminance = ([r, g, b]: number[]): number => {
        const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      const ratio = (a: string, b: string): number => {
        const [la, lb] = [luminance(rgba(a)), luminance(rgba(b))];
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
      };
      const background = (element: Element): string => {
        for (let e: Element | null = element; e; e = e.parentElement) {
          const colour = getComputedStyle(e).backgroundColor;
          if (rgba(colour)[3] > 0) return colour;
        }
        return getComputedStyle(document.documentElement).backgroundColor || '#fff';
      };
      /** The base colour of a pattern fill (its first rect), or the fill itself. */
      const fillOf = (element: Element): string => {
        const fill = element.getAttribute('fill') ?? getComputedStyle(element).fill;
        const ref = /url\(["']?#([^"')]+)["']?\)/.exec(fill);
        if (!ref) return getComputedStyle(element).fill;
        return document.getElementById(ref[1])?.querySelector('rect')?.getAttribute('fill') ?? '#fff';
      };
      const checks: { what: string; ratio: number; minimum: number }[] = [];
      for (const svg of document.querySelectorAll('svg.chart, ul.legend svg')) {
        const bg = background(svg.parentElement!);
        const name = svg.closest('section')?.querySelector('h2')?.textContent ?? 'Legende';
        for (const text of svg.querySelectorAll('text')) {
          const onBar = text.classList.contains('chart-count') ? text.previousElementSibling : null;
          const behind = onBar ? fillOf(onBar) : bg;
          checks.push({
            what: `${name}: Text „${text.textContent}“`,
            ratio: ratio(getComputedStyle(text).fill, behind),
            minimum: 4.5,
          });
        }
        for (const shape of svg.querySelectorAll('rect, circle, polygon, polyline, line')) {
          if (shape.closest('pattern, defs')) continue;
          const style = getComputedStyle(shape);
          // Grid lines are a reading aid, not information: the values stand in the table and the description.
          if (
            shape.tagName === 'line' &&
            !shape.getAttribute('stroke-dasharray') &&
            shape.getAttribute('stroke') === '#d0d0d0'
          )
            continue;
          const stroke =
            style.stroke !== 'none' && parseFloat(style.strokeWidth) > 0 ? ratio(style.stroke, bg) : 0;
          const fill =
            style.fill !== 'none' && shape.tagName !== 'polyline' && shape.tagName !== 'line'
              ? ratio(fillOf(shape), bg)
              : 0;
          checks.push({ what: `${name}: ${shape.tagName}`, ratio: Math.max(stroke, fill), minimum: 3 });
        }
      }
      return checks.map((c) => ({ ...c, ratio: Math.round(c.ratio * 100) / 100 }));
    });
  }

  it('keeps the charts readable on the KERN page: text 4.5:1, bars, lines and markers 3:1', async () => {
    const checks: ContrastCheck[] = [];
    await page.goto(`${base}/`);
    if (new URL(page.url()).pathname === '/anmelden') await signIn();
    checks.push(...(await chartContrast()));
    await page.goto(`${base}/indikatoren`);
    await page.goto(`${base}${await firstLink(/^\/indikatoren\/\d+$/)}`);
    checks.push(...(await chartContrast()));
    expect(checks.some((c) => /rect/.test(c.what) && c.minimum === 3)).toBe(true);
    expect(checks.some((c) => /polyline/.test(c.what))).toBe(true);
    expect(checks.filter((c) => c.ratio < c.minimum)).toEqual([]);
  });
});
