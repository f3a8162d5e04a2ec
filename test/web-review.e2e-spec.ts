/**
 * Status entry and review in a real browser (Chromium):
 * - an editor reports by keyboard alone on a form that starts from the measure's last accepted report and
 *   shows it; the date is typed the German way (a day that does not exist is refused, the input kept);
 * - the admin's review queue shows each report beside the measure's current status, links to the measure,
 *   filters by department and field, and accepts several selected reports at once, all or nothing (a refusal
 *   names which report and why, and nothing is accepted); the page ends on a status message;
 * - the admin creates a new measure from a decision: the measure form opens prefilled, and the measure is
 *   recorded with the decision as its reason and linked to it.
 * Every result is checked through the API, axe-core finds no WCAG 2.1 A/AA violation, roles that may not
 * review or create are refused by the server, and screenshots at 1366 px go to test/.tmp/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { todayInBremen } from '../src/common/dates.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import { databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

interface ReportJson {
  id: number;
  measureId: number;
  status: string;
  progress: number;
  summary: string;
  reportedAt: string;
  reviewState: string;
}

describe('status entry and review in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;
  let editor: string;
  let ids: Ids;
  let sequence = 0;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
    editor = await t.login('soziales@demo.local');
    ids = await frameworkIds(t, admin);
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

  async function expectAccessible(page: Page, screenshot?: string): Promise<void> {
    await expectNoAxeViolations(page);
    if (screenshot) await page.screenshot({ path: `${SCREENSHOT_DIR}/${screenshot}.png`, fullPage: true });
  }

  async function status(page: Page): Promise<string> {
    return ((await page.getByRole('status').textContent()) ?? '').trim();
  }

  async function api<T>(path: string): Promise<T> {
    return (await t.http.get(path).auth(admin, { type: 'bearer' }).expect(200)).body as T;
  }

  /** A measure of the lead editor's department in field 3.13, created by the admin. */
  async function measure(title: string): Promise<{ id: number; code: string; title: string }> {
    sequence += 1;
    return (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(
          newMeasure(ids, {
            code: `3.13-W${String(sequence).padStart(2, '0')}`,
            title,
            actionFieldId: ids.fields['3.13'],
            leadDepartmentId: ids.departments.ASJI,
            participatingDepartmentIds: [],
            plannedStart: '2025-01-01',
            plannedEnd: null,
          }),
        )
        .expect(201)
    ).body as { id: number; code: string; title: string };
  }

  async function report(
    measureId: number,
    body: Record<string, unknown>,
    token: string,
  ): Promise<ReportJson> {
    return (
      await t.http
        .post(`/api/measures/${measureId}/status-reports`)
        .auth(token, { type: 'bearer' })
        .send(newReport(body))
        .expect(201)
    ).body as ReportJson;
  }

  /** Presses Tab until the element with this id has the focus. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Mit der Tabulatortaste nicht erreicht: #${id}`);
  }

  const german = (iso: string): string => iso.split('-').reverse().join('.');

  it('the report form starts from the last accepted report, by keyboard, with a German date', async () => {
    const m = await measure('Antidiskriminierungsberatung in den Quartieren');
    await report(m.id, { status: 'in_progress', progress: 40, reportedAt: '2026-03-12' }, admin);
    const { context, page } = await signIn('soziales@demo.local');
    await page.goto(`${base}/massnahmen/${m.id}/meldung`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sachstand melden');
    expect((await page.locator('#last-accepted').textContent())?.replace(/\s+/g, ' ')).toContain(
      'Letzte geprüfte Meldung: in Umsetzung, 40 %, Stand 12.03.2026.',
    );
    expect(await page.getByLabel('Status').inputValue()).toBe('in_progress');
    expect(await page.getByLabel('Fortschritt in Prozent').inputValue()).toBe('40');
    await expectAccessible(page, 'report-form');

    // By keyboard alone: skip link, then the fields in order; status and progress are kept as prefilled
    // except the progress, which moves on.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    await tabTo(page, 'progress');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('55');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Die Beratung ist in zwei weiteren Quartieren gestartet.');
    await tabTo(page, 'reportedAt');
    await page.keyboard.type('31.02.2026'); // no such day
    await page.keyboard.press('Enter');
    await page.waitForSelector('#fehler');
    expect(await page.locator('#reportedAt-error').textContent()).toContain('31.02.2026');
    expect(await page.getByLabel('Stichtag').inputValue()).toBe('31.02.2026');
    expect(await page.getByLabel('Fortschritt in Prozent').inputValue()).toBe('55');
    await expectAccessible(page);

    const today = todayInBremen();
    await page.getByLabel('Stichtag').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(german(today));
    await page.keyboard.press('Enter');
    await page.waitForURL(/gemeldet=1$/);
    expect(await status(page)).toBe(`Meldung zu ${m.code} eingereicht – wartet auf Prüfung`);

    const reports = await api<ReportJson[]>(`/api/measures/${m.id}/status-reports`);
    expect(reports[0]).toMatchObject({
      status: 'in_progress',
      progress: 55,
      summary: 'Die Beratung ist in zwei weiteren Quartieren gestartet.',
      reportedAt: today,
      reviewState: 'submitted',
    });
    await context.close();
  });

  it('the review queue: previous beside new status, filters, several accepted at once, all or nothing', async () => {
    const a = await measure('Beschwerdestelle Diskriminierung');
    const b = await measure('Fortbildung Antirassismus');
    const c = await measure('Monitoring Diskriminierungsfälle');
    await report(a.id, { status: 'planned', progress: 0, reportedAt: '2026-02-01' }, admin);
    const ra = await report(a.id, { status: 'in_progress', progress: 40 }, editor);
    const rb = await report(b.id, { status: 'delayed', progress: 10 }, editor);
    const rc = await report(c.id, { status: 'ongoing', progress: 60 }, editor);

    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/pruefung`);
    await page.getByLabel('Ressort').selectOption({ label: 'Arbeit, Soziales, Jugend und Integration' });
    await page.getByLabel('Handlungsfeld').selectOption({ label: '3.13 Bekämpfung von Diskriminierung' });
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('actionFieldId')),
      page.getByRole('button', { name: 'Filtern' }).click(),
    ]);
    const address = new URL(page.url());
    expect(address.searchParams.get('departmentId')).toBe(String(ids.departments.ASJI));
    expect(address.searchParams.get('actionFieldId')).toBe(String(ids.fields['3.13']));
    const codes = await page.locator('main section h2 a').allTextContents();
    expect(codes.every((text) => text.startsWith('3.13-'))).toBe(true);
    for (const m of [a, b, c]) expect(codes.some((text) => text.startsWith(m.code))).toBe(true);

    const sectionOf = (code: string) => page.locator('main section', { hasText: code });
    expect((await sectionOf(a.code).locator('.review-change').textContent())?.replace(/\s+/g, ' ')).toBe(
      'bisher: geplant, 0 % (Stand 01.02.2026) → neu: in Umsetzung, 40 %',
    );
    expect((await sectionOf(b.code).locator('.review-change').textContent())?.replace(/\s+/g, ' ')).toBe(
      'bisher: keine geprüfte Meldung → neu: verzögert, 10 %',
    );
    expect(
      await sectionOf(a.code)
        .getByRole('link', { name: `${a.code} ${a.title}` })
        .getAttribute('href'),
    ).toBe(`/massnahmen/${a.id}`);
    await expectAccessible(page, 'review-queue');

    // All or nothing: b is returned elsewhere in the meantime; a and b selected, neither is accepted.
    await page.getByLabel(`Auswählen: Meldung zu ${a.code}`).check();
    await page.getByLabel(`Auswählen: Meldung zu ${b.code}`).check();
    await t.http
      .post(`/api/status-reports/${rb.id}/review`)
      .auth(admin, { type: 'bearer' })
      .send({ decision: 'return', comment: 'Bitte die Verzögerung begründen.' })
      .expect(200);
    await page.getByRole('button', { name: 'Ausgewählte annehmen' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toMatch(/Keine der 2 ausgewählten Meldungen wurde angenommen/);
    expect(await alert.textContent()).toContain(`Meldung ${rb.id} zu ${b.code}`);
    expect(await alert.textContent()).toContain('bereits geprüft (zurückgegeben)');
    expect(await page.getByLabel(`Auswählen: Meldung zu ${a.code}`).isChecked()).toBe(true);
    expect((await api<ReportJson>(`/api/status-reports/${ra.id}`)).reviewState).toBe('submitted');
    await expectAccessible(page, 'review-refused');

    // By keyboard: untick b (gone from the queue now), tick c, then "Ausgewählte annehmen".
    expect(await page.getByLabel(`Auswählen: Meldung zu ${b.code}`).count()).toBe(0);
    await page.getByLabel(`Auswählen: Meldung zu ${c.code}`).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Ausgewählte annehmen' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/erfolg=angenommen/);
    expect(await status(page)).toBe('2 Meldungen angenommen');
    expect(new URL(page.url()).searchParams.get('actionFieldId')).toBe(String(ids.fields['3.13']));
    expect(await sectionOf(a.code).count()).toBe(0);
    await expectAccessible(page, 'review-accepted');
    expect(await api(`/api/measures/${a.id}`)).toMatchObject({ status: 'in_progress', progress: 40 });
    expect(await api(`/api/measures/${c.id}`)).toMatchObject({ status: 'ongoing', progress: 60 });
    expect((await api<ReportJson>(`/api/status-reports/${rc.id}`)).reviewState).toBe('accepted');
    await context.close();
  });

  it('refuses the review to editors and viewers on the server, and changes nothing', async () => {
    const m = await measure('Kampagne gegen Diskriminierung');
    const r = await report(m.id, { status: 'in_progress', progress: 20 }, editor);
    for (const email of ['soziales@demo.local', 'steuerung@demo.local']) {
      const http = request(t.app.getHttpServer());
      const session = await signInByForm(http, email);
      const _csrf = csrfToken(t.app.get(AuthService).csrfSecret, session);
      const before = await databaseFingerprint(t.dataSource);
      const cookie = `${SESSION_COOKIE}=${session}`;
      expect((await http.get('/pruefung').set('Cookie', cookie)).status).toBe(403);
      for (const [path, body] of [
        ['/pruefung/auswahl', { ids: String(r.id), _csrf }],
        [`/pruefung/${r.id}`, { decision: 'accept', _csrf }],
      ] as const) {
        const res = await http.post(path).set('Cookie', cookie).type('form').send(body);
        expect({ email, path, status: res.status }).toEqual({ email, path, status: 403 });
      }
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    }
    expect((await api<ReportJson>(`/api/status-reports/${r.id}`)).reviewState).toBe('submitted');
  });

  it('the admin creates a new measure from a decision, prefilled and recorded with the decision', async () => {
    const bodies = await api<{ id: number; code: string }[]>('/api/governance/bodies');
    const meeting = (
      await t.http
        .post('/api/meetings')
        .auth(admin, { type: 'bearer' })
        .send({
          bodyId: bodies.find((x) => x.code === 'steuerungsrunde')!.id,
          date: '2026-06-10',
          title: 'Sitzung der Steuerungsrunde',
        })
        .expect(201)
    ).body as { id: number };
    const text =
      'Ein Mentoringprogramm für Vorstände migrantischer Vereine wird aufgebaut. Das Sozialressort legt bis Jahresende ein Konzept vor.';
    const decision = (
      await t.http
        .post('/api/decisions')
        .auth(admin, { type: 'bearer' })
        .send({
          meetingId: meeting.id,
          kind: 'new_measure',
          text,
          responsibleDepartmentId: ids.departments.ASJI,
          dueDate: '2026-12-31',
        })
        .expect(201)
    ).body as { id: number };

    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/gremien`);
    expect(
      await page
        .getByRole('link', { name: `Neue Maßnahme aus diesem Beschluss (Beschluss ${decision.id})` })
        .count(),
    ).toBe(1);
    await page.goto(`${base}/gremien/beschluesse/${decision.id}/anwenden`);
    await page.getByRole('link', { name: 'Neue Maßnahme aus diesem Beschluss' }).click();
    expect(new URL(page.url()).pathname).toBe('/massnahmen/neu');
    expect(await page.getByLabel('Titel').inputValue()).toBe(
      'Ein Mentoringprogramm für Vorstände migrantischer Vereine wird aufgebaut.',
    );
    expect(await page.getByLabel('Beschreibung').inputValue()).toBe(text);
    expect(await page.locator('#aus-beschluss').textContent()).toContain('Steuerungsrunde vom 10.06.2026');
    await expectAccessible(page, 'measure-from-decision');

    await page.getByLabel('Code').fill('3.9-B1');
    await page
      .getByLabel('Handlungsfeld')
      .selectOption({ label: '3.9 Unterstützung migrantischer Selbstorganisation' });
    await page.getByLabel('2.4 Integration gemeinsam und verbindlich gestalten').check();
    await page.getByLabel('Ebene').selectOption({ label: 'Land Bremen' });
    await page.getByRole('button', { name: 'Maßnahme anlegen' }).click();
    await page.waitForURL(/meldung=angelegt$/);
    expect(await status(page)).toBe('Maßnahme 3.9-B1 angelegt');
    const measureId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await api(`/api/measures/${measureId}`)).toMatchObject({
      code: '3.9-B1',
      title: 'Ein Mentoringprogramm für Vorstände migrantischer Vereine wird aufgebaut.',
      description: text,
      leadDepartmentId: ids.departments.ASJI,
    });
    const changes = await api<{ kind: string; decisionId: number | null }[]>(
      `/api/measures/${measureId}/changes`,
    );
    expect(changes).toEqual([expect.objectContaining({ kind: 'new', decisionId: decision.id })]);
    expect((await api<{ measureIds: number[] }>(`/api/decisions/${decision.id}`)).measureIds).toContain(
      measureId,
    );
    await context.close();

    // Editors may neither open nor post the form (server-side), with or without a decision.
    const http = request(t.app.getHttpServer());
    const session = await signInByForm(http, 'soziales@demo.local');
    const cookie = `${SESSION_COOKIE}=${session}`;
    expect((await http.get(`/massnahmen/neu?beschluss=${decision.id}`).set('Cookie', cookie)).status).toBe(
      403,
    );
    const before = await databaseFingerprint(t.dataSource);
    const res = await http
      .post('/massnahmen/neu')
      .set('Cookie', cookie)
      .type('form')
      .send({
        _csrf: csrfToken(t.app.get(AuthService).csrfSecret, session),
        decisionId: String(decision.id),
        code: '3.9-B2',
        title: 'Eigene Maßnahme',
        level: 'land',
      });
    expect(res.status).toBe(403);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });
});
