/**
 * The framework's page (/rahmenkonzept) in a real browser: the coordinating unit collects the changes of one
 * revision (Fortschreibung) by keyboard and form — rename a field, add a field, split a field, change a body's
 * cadence and members —, removes one again, sees in a preview every measure, account and body they touch
 * (nothing written yet), applies them together, and finds one revision with all of them in the history and the
 * API, with a German status message; an invalid change is refused beside its field and stores nothing;
 * axe-core finds no WCAG 2.1 A/AA violation; editors are refused by the server.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import { databaseFingerprint, type TestApp } from './helpers/test-app.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

interface RevisionBody {
  id: number;
  effectiveDate: string;
  versionAfter: string;
  changes: { kind: string; code?: string }[];
}
interface BodyBody {
  code: string;
  minMeetingsPerYear: number;
  maxMeetingsPerYear: number | null;
  members: { departmentCode: string; function: string; from?: string | null; to?: string | null }[];
}

describe('the framework page with revisions in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const session = await signInPage(browser, base, email);
    session.page.setDefaultTimeout(10_000);
    return session;
  }

  async function expectAccessible(page: Page, screenshot: string): Promise<void> {
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/${screenshot}.png`, fullPage: true });
  }

  /** Presses Tab until the control with this accessible name has the focus (the page's real tab order). */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el ? (el.labels?.[0]?.textContent ?? el.textContent ?? '').trim() : '';
      });
      if (focused === name) return;
    }
    throw new Error(`"${name}" is not reached by Tab`);
  }

  const listed = (page: Page) =>
    page.getByRole('list', { name: /Gesammelte Änderungen/ }).getByRole('listitem');
  const status = async (page: Page) => ((await page.getByRole('status').textContent()) ?? '').trim();

  it('collects several changes, previews them together and applies them as one revision', async () => {
    const { context, page } = await signIn('admin@demo.local');
    try {
      await page.goto(`${base}/rahmenkonzept`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Rahmenkonzept');
      expect(await page.getByText('Das Rahmenkonzept wurde noch nicht fortgeschrieben.').count()).toBe(1);
      expect(await page.getByText('Noch keine Änderung hinzugefügt.').count()).toBe(1);
      await expectAccessible(page, 'rahmenkonzept');

      // Vorschau without any change: refused, named beside the kind of change.
      await page.getByRole('button', { name: 'Vorschau' }).click();
      await expect(page.title()).resolves.toMatch(/^Fehler: /);
      expect(await page.locator('#kind-error').textContent()).toContain('mindestens eine Änderung');
      await expectNoAxeViolations(page);

      // The first change by keyboard alone: German date, reason, version label, rename of 3.3.
      await page.getByLabel('Gültig ab').focus();
      await page.keyboard.type('01.07.2026');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Senatsbeschluss vom 24.06.2026');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Fortschreibung 2026');
      await tabTo(page, 'Art der Änderung');
      const kinds = await page.getByLabel('Art der Änderung').locator('option').allTextContents();
      for (let i = 0; i < kinds.indexOf('Handlungsfeld umbenannt/neu beschrieben'); i++)
        await page.keyboard.press('ArrowDown');
      expect(await page.getByLabel('Art der Änderung').inputValue()).toBe('update_field');
      await tabTo(page, 'Code');
      await page.keyboard.type('3.3');
      await tabTo(page, 'Titel');
      await page.keyboard.type('Stärkung der Quartiere und Nachbarschaften');
      await tabTo(page, 'Änderung hinzufügen');
      await page.keyboard.press('Enter');
      await page.waitForLoadState();
      expect(await status(page)).toMatch(/^Änderung 1 hinzugefügt: Handlungsfeld umbenannt/);
      await expect(listed(page).count()).resolves.toBe(1);
      // What was typed for the revision stays; the fields of the change are empty for the next one.
      expect(await page.getByLabel('Gültig ab').inputValue()).toBe('01.07.2026');
      expect(await page.getByLabel('Code', { exact: true }).inputValue()).toBe('');

      // Add 3.14, a change to remove again, and a split of 3.11 (every measure assigned).
      await page.getByLabel('Art der Änderung').selectOption('add_field');
      await page.getByLabel('Code', { exact: true }).fill('3.14');
      await page.getByLabel('Titel', { exact: true }).fill('Digitale Teilhabe');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      expect(await status(page)).toMatch(/^Änderung 2 hinzugefügt/);
      await page.getByLabel('Art der Änderung').selectOption('update_goal');
      await page.getByLabel('Code', { exact: true }).fill('2.1');
      await page.getByLabel('Beschreibung', { exact: true }).fill('Versehentlich hinzugefügt');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      await page.getByLabel('Art der Änderung').selectOption('split_field');
      await page.getByLabel('Code', { exact: true }).fill('3.11');
      await page.getByLabel('Neue Einträge').fill('3.15 Kultur und Religion\n3.16 Sport');
      await page
        .getByLabel('Zuordnung der Maßnahmen')
        .fill('3.11-01 → 3.15\n3.11-02 → 3.15\n3.11-03 → 3.16 → 3.16-01\n3.11-04 → 3.16 → 3.16-02');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      await expect(listed(page).count()).resolves.toBe(4);
      await page
        .getByRole('button', { name: /^Entfernen \(Änderung 3: Ziel umbenannt\/neu beschrieben 2\.1 / })
        .click();
      expect(await status(page)).toBe('Änderung 3 entfernt.');
      await expect(listed(page).count()).resolves.toBe(3);
      expect(await page.getByRole('list', { name: /Gesammelte Änderungen/ }).textContent()).not.toContain(
        '2.1',
      );

      // A body: choose the kind, then the body; its name, cadence and members are filled in to be changed.
      await page.getByLabel('Art der Änderung').selectOption('update_body');
      await page.getByRole('button', { name: 'Felder für diese Art anzeigen' }).click();
      await page.getByLabel('Gremium', { exact: true }).selectOption('begleitgruppe');
      await page.getByRole('button', { name: 'Felder für diese Art anzeigen' }).click();
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(
        'Ressortübergreifende Begleitgruppe',
      );
      expect(await page.getByLabel('Sitzungen je Jahr, mindestens').inputValue()).toBe('3');
      await expectAccessible(page, 'rahmenkonzept-gremium');

      // An invalid cadence is refused beside its field; nothing is stored, the list stays as it was.
      const before = await databaseFingerprint(t.dataSource);
      await page.getByLabel('Sitzungen je Jahr, mindestens').fill('viele');
      await page.getByLabel('Mitglieder').fill('ASJI Referatsleitung Integrationspolitik\nZGF Referentin');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      await expect(page.title()).resolves.toMatch(/^Fehler: /);
      expect(await page.locator('[id="meetingsPerYear.min-error"]').textContent()).toContain('ganze Zahl');
      expect(await page.getByLabel('Sitzungen je Jahr, mindestens').inputValue()).toBe('viele');
      expect(await page.getByLabel('Mitglieder').inputValue()).toContain('ZGF Referentin');
      await expect(listed(page).count()).resolves.toBe(3);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
      await expectAccessible(page, 'rahmenkonzept-fehler');

      // A change the service refuses (an unknown department as member) is named; nothing is added.
      await page.getByLabel('Sitzungen je Jahr, mindestens').fill('2');
      await page.getByLabel('Sitzungen je Jahr, höchstens').fill('4');
      await page.getByLabel('Mitglieder').fill('XYZ Referatsleitung');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      expect(await page.getByRole('alert').textContent()).toContain(
        'Änderung 4: Mitglied: unbekanntes Ressort "XYZ"',
      );
      await expect(listed(page).count()).resolves.toBe(3);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);

      await page.getByLabel('Mitglieder').fill('ASJI Referatsleitung Integrationspolitik\nZGF Referentin');
      await page.getByRole('button', { name: 'Änderung hinzufügen' }).click();
      expect(await status(page)).toMatch(/^Änderung 4 hinzugefügt: Gremium geändert begleitgruppe/);
      await expect(listed(page).count()).resolves.toBe(4);
      await expectAccessible(page, 'rahmenkonzept-gesammelt');

      // The preview lists every change and what it touches; nothing is written yet.
      await page.getByRole('button', { name: 'Vorschau' }).click();
      await page.getByRole('heading', { name: 'Vorschau der Fortschreibung' }).waitFor();
      const preview = (await page.locator('main').textContent()) ?? '';
      expect(preview).toContain('Stärkung der Quartiere und Nachbarschaften');
      expect(preview).toContain('3.14');
      expect(preview).toContain('geteilt in 3.15');
      expect(preview).toContain('begleitgruppe: Turnus 3–4 → 2–4; Mitglieder geändert');
      expect(preview).toContain('01.07.2026');
      const moved = page.getByRole('table', { name: /Maßnahmen: bisher und neu/ }).locator('tbody tr');
      await expect(moved.count()).resolves.toBe(4);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
      await expectAccessible(page, 'rahmenkonzept-vorschau');

      await page.getByRole('button', { name: 'Fortschreibung übernehmen' }).click();
      await page.waitForURL(/\/rahmenkonzept\?erfolg=fortschreibung/);
      expect(await status(page)).toMatch(/^Fortschreibung Nr\. \d+ mit 4 Änderungen übernommen\.$/);
      const history = (await page.getByRole('table', { name: /Fortschreibungen/ }).textContent()) ?? '';
      expect(history).toContain('2021.1 → Fortschreibung 2026');
      expect(history).toContain('Gremium begleitgruppe');
      expect(await page.getByText('Noch keine Änderung hinzugefügt.').count()).toBe(1);
      await expectAccessible(page, 'rahmenkonzept-uebernommen');

      // Through the API: one revision with all four changes; the body's new cadence and members.
      const revisions = (await t.http.get('/api/framework/revisions').set('Authorization', `Bearer ${admin}`))
        .body as RevisionBody[];
      expect(revisions).toHaveLength(1);
      expect(revisions[0]).toMatchObject({
        effectiveDate: '2026-07-01',
        versionAfter: 'Fortschreibung 2026',
      });
      expect(revisions[0].changes.map((c) => `${c.kind} ${c.code}`)).toEqual([
        'update_field 3.3',
        'add_field 3.14',
        'split_field 3.11',
        'update_body begleitgruppe',
      ]);
      const bodies = (await t.http.get('/api/governance/bodies').set('Authorization', `Bearer ${admin}`))
        .body as BodyBody[];
      const group = bodies.find((b) => b.code === 'begleitgruppe')!;
      expect(group).toMatchObject({ minMeetingsPerYear: 2, maxMeetingsPerYear: 4 });
      expect(group.members.filter((m) => !m.to)).toEqual([
        { departmentCode: 'ASJI', function: 'Referatsleitung Integrationspolitik', from: '2026-07-01' },
        { departmentCode: 'ZGF', function: 'Referentin', from: '2026-07-01' },
      ]);
      const fields = (await t.http.get('/api/action-fields').set('Authorization', `Bearer ${admin}`))
        .body as {
        code: string;
        title: string;
      }[];
      const titles = new Map((Array.isArray(fields) ? fields : []).map((f) => [f.code, f.title]));
      expect(titles.get('3.3')).toBe('Stärkung der Quartiere und Nachbarschaften');
      expect(titles.get('3.14')).toBe('Digitale Teilhabe');
      expect(titles.has('3.16')).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('refuses the page and its posts to an editor, and stores nothing', async () => {
    const { context, page } = await signIn('soziales@demo.local');
    try {
      const response = await page.goto(`${base}/rahmenkonzept`);
      expect(response?.status()).toBe(403);
      const _csrf =
        (await page.locator('form[action="/abmelden"] input[name="_csrf"]').getAttribute('value')) ?? '';
      expect(_csrf).not.toBe('');
      const before = await databaseFingerprint(t.dataSource);
      const change = JSON.stringify([{ kind: 'update_goal', code: '2.1', description: 'Nicht erlaubt' }]);
      const form = {
        _csrf,
        effectiveDate: '01.08.2026',
        reason: 'Nicht erlaubt',
        versionLabel: 'Nicht erlaubt',
        changes: change,
      };
      for (const path of [
        '/rahmenkonzept/aenderungen',
        '/rahmenkonzept/vorschau',
        '/rahmenkonzept/fortschreibung',
      ]) {
        const posted = await context.request.post(`${base}${path}`, { form, maxRedirects: 0 });
        expect({ path, status: posted.status() }).toEqual({ path, status: 403 });
      }
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    } finally {
      await context.close();
    }
  });
});
