/**
 * The coordinating unit's cycle and governance work in a real browser (Chromium): a reporting cycle is created
 * and edited through its form, moved through its states by buttons named for what they do, each after a
 * confirmation that says what follows; a meeting is recorded by keyboard alone, a decision is recorded and
 * applied to a measure after a preview, a decision's state changes with a comment. Every post ends with a
 * German status message, every result is checked through the API, axe-core finds no WCAG 2.1 A/AA violation
 * on any new page, and editors and viewers are refused by the server.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import type { TestApp } from './helpers/test-app.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'test/.tmp/screenshots';

interface CycleBody {
  id: number;
  code: string;
  name: string;
  state: string;
  inputDeadline: string;
  reopenReason: string;
  snapshotId: number | null;
  version: number;
}

describe('reporting cycles and governance in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;
  let ids: Ids;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
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
    const res = await t.http.get(path).auth(admin, { type: 'bearer' }).expect(200);
    return res.body as T;
  }

  async function cycleByCode(code: string): Promise<CycleBody> {
    return (await api<CycleBody[]>('/api/reporting-cycles')).find((c) => c.code === code)!;
  }

  /** Presses Tab until the element with this id has the focus (the form is reachable by keyboard). */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 80; i += 1) {
      if ((await page.evaluate(() => document.activeElement?.id ?? '')) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`#${id} ist mit der Tabulatortaste nicht erreichbar`);
  }

  it('the admin creates a reporting cycle through the form: errors inline with what was typed, then the message and the cycle in the API', async () => {
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/berichtszyklen`);
    await page.getByRole('link', { name: 'Neuer Berichtszyklus' }).click();
    expect(new URL(page.url()).pathname).toBe('/berichtszyklen/neu');
    await expectAccessible(page, 'berichtszyklus-neu');

    await page.getByLabel('Kennung').fill('2028-2029');
    await page.getByLabel('Name').fill('Umsetzungsbericht 2028–2029');
    await page.getByLabel('Beginn des Zeitraums').fill('2029-01-01');
    await page.getByLabel('Ende des Zeitraums').fill('2028-12-31');
    await page.getByLabel('Meldeschluss').fill('2030-01-31');
    await page.getByRole('button', { name: 'Berichtszyklus anlegen' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Ende des Zeitraums: liegt vor dem Beginn/);
    expect(await page.getByLabel('Kennung').inputValue()).toBe('2028-2029');
    expect(await page.getByLabel('Ende des Zeitraums').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await page.getByLabel('Beginn des Zeitraums').fill('2028-01-01');
    await page.getByLabel('Ende des Zeitraums').fill('2029-12-31');
    await page.getByRole('button', { name: 'Berichtszyklus anlegen' }).click();
    expect(new URL(page.url()).pathname).toBe('/berichtszyklen');
    expect(await status(page)).toBe('Berichtszyklus 2028-2029 angelegt');
    await expectAccessible(page, 'berichtszyklen');

    const cycle = await cycleByCode('2028-2029');
    expect(cycle).toMatchObject({
      name: 'Umsetzungsbericht 2028–2029',
      state: 'planned',
      inputDeadline: '2030-01-31',
    });
    await context.close();
  });

  it('the admin edits the cycle (the version guards against a stale form) and moves it through every state after a confirmation', async () => {
    const { context, page } = await signIn('admin@demo.local');
    const before = await cycleByCode('2028-2029');
    await page.goto(`${base}/berichtszyklen`);
    await page.getByRole('link', { name: 'Bearbeiten (2028-2029)' }).click();
    expect(new URL(page.url()).pathname).toBe(`/berichtszyklen/${before.id}/bearbeiten`);
    await expectAccessible(page, 'berichtszyklus-bearbeiten');
    expect(await page.getByLabel('Meldeschluss').inputValue()).toBe('2030-01-31');

    // Someone else changes the cycle in the meantime: the form's version is stale.
    await t.http
      .patch(`/api/reporting-cycles/${before.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: before.version, name: 'Umsetzungsbericht 2028 bis 2029' })
      .expect(200);
    await page.getByLabel('Meldeschluss').fill('2030-02-15');
    await page.getByRole('button', { name: 'Speichern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/inzwischen geändert/);
    expect(await page.getByLabel('Meldeschluss').inputValue()).toBe('2030-02-15');
    await page.goto(`${base}/berichtszyklen/${before.id}/bearbeiten`);
    await page.getByLabel('Meldeschluss').fill('2030-02-15');
    await page.getByRole('button', { name: 'Speichern' }).click();
    expect(await status(page)).toBe('Berichtszyklus 2028-2029 gespeichert');
    expect(await cycleByCode('2028-2029')).toMatchObject({
      inputDeadline: '2030-02-15',
      name: 'Umsetzungsbericht 2028 bis 2029',
      version: before.version + 2,
    });

    // Erfassung starten: a confirmation page says what follows.
    await page.getByRole('link', { name: 'Erfassung starten (2028-2029)' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Erfassung starten/);
    expect(await page.locator('main').textContent()).toMatch(/Ressorts können .*melden/);
    await expectAccessible(page, 'berichtszyklus-uebergang');
    await page.getByRole('button', { name: 'Erfassung starten' }).click();
    expect(await status(page)).toBe('Erfassung für 2028-2029 gestartet');
    expect((await cycleByCode('2028-2029')).state).toBe('collecting');

    await page.getByRole('link', { name: 'Prüfung beginnen (2028-2029)' }).click();
    await page.getByRole('button', { name: 'Prüfung beginnen' }).click();
    expect(await status(page)).toBe('Prüfung für 2028-2029 begonnen');
    expect((await cycleByCode('2028-2029')).state).toBe('reviewing');

    // Closing freezes the snapshot: the page says so and asks for an explicit confirmation.
    await page.getByRole('link', { name: 'Abschließen und Stand einfrieren (2028-2029)' }).click();
    expect(await page.locator('main').textContent()).toMatch(/eingefroren/);
    await expectAccessible(page, 'berichtszyklus-abschliessen');
    await page.getByRole('button', { name: 'Abschließen und Stand einfrieren' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Bitte bestätigen Sie/);
    expect((await cycleByCode('2028-2029')).state).toBe('reviewing');
    await expectAccessible(page);
    await page.getByLabel('Ich habe verstanden').check();
    await page.getByRole('button', { name: 'Abschließen und Stand einfrieren' }).click();
    expect(await status(page)).toMatch(
      /^Berichtszyklus 2028-2029 abgeschlossen, Stand von \d+ Maßnahmen eingefroren$/,
    );
    const closed = await cycleByCode('2028-2029');
    expect(closed.state).toBe('closed');
    expect(closed.snapshotId).not.toBeNull();

    // Reopening needs a reason: refused inline without one, then audited with it.
    await page.getByRole('link', { name: 'Wieder öffnen (2028-2029)' }).click();
    await page.getByRole('button', { name: 'Wieder öffnen' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Begründung/);
    expect(await page.getByLabel('Begründung').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await page.getByLabel('Begründung').fill('Nachmeldung des Ressorts Bildung');
    await page.getByRole('button', { name: 'Wieder öffnen' }).click();
    expect(await status(page)).toBe('Berichtszyklus 2028-2029 wieder geöffnet');
    expect(await cycleByCode('2028-2029')).toMatchObject({
      state: 'reviewing',
      reopenReason: 'Nachmeldung des Ressorts Bildung',
    });
    await context.close();
  });

  it('the admin records a meeting by keyboard alone; the participation fields are refused for other bodies', async () => {
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/gremien`);
    await page.getByRole('link', { name: 'Sitzung erfassen' }).click();
    expect(new URL(page.url()).pathname).toBe('/gremien/sitzungen/neu');
    await expectAccessible(page, 'sitzung-neu');

    await tabTo(page, 'bodyId');
    await page.keyboard.type('Steuerungsrunde');
    await tabTo(page, 'date');
    await page.keyboard.type('2027-03-12');
    await tabTo(page, 'title');
    await page.keyboard.type('Steuerungsrunde Frühjahr');
    await tabTo(page, 'place');
    await page.keyboard.type('Rathaus');
    await tabTo(page, `attendingDepartmentIds-${ids.departments.ASJI}`);
    await page.keyboard.press('Space');
    await tabTo(page, `attendingDepartmentIds-${ids.departments.SKB}`);
    await page.keyboard.press('Space');
    await tabTo(page, 'participantCount');
    await page.keyboard.type('40');
    await tabTo(page, 'submit-meeting');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /Anzahl Teilnehmende: nur bei Beteiligungsformaten möglich/,
    );
    expect(await page.getByLabel('Titel').inputValue()).toBe('Steuerungsrunde Frühjahr');
    expect(await page.getByLabel('Arbeit, Soziales, Jugend und Integration').isChecked()).toBe(true);
    await expectAccessible(page);

    await tabTo(page, 'participantCount');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await tabTo(page, 'submit-meeting');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/gremien\?/);
    expect(await status(page)).toBe('Sitzung am 12.03.2027 erfasst (Steuerungsrunde)');

    const meetings = await api<{
      items: { title: string; date: string; attendingDepartmentIds: number[] }[];
    }>('/api/meetings?year=2027');
    expect(meetings.items.find((m) => m.title === 'Steuerungsrunde Frühjahr')).toMatchObject({
      date: '2027-03-12',
      attendingDepartmentIds: [ids.departments.ASJI, ids.departments.SKB].sort((a, b) => a - b),
    });

    // A participation format with its type, topics and participants.
    await page.goto(`${base}/gremien/sitzungen/neu`);
    await page.getByLabel('Gremium').selectOption({ label: 'Beteiligungsformate' });
    await page.getByLabel('Datum').fill('2027-04-20');
    await page.getByLabel('Titel').fill('Werkstatt Sprache');
    await page.getByLabel('Art des Beteiligungsformats').selectOption({ label: 'themenspezifisch' });
    await page.getByLabel('3.1 Erwerb der deutschen Sprache').check();
    await page.getByLabel('Anzahl Teilnehmende').fill('35');
    await page.getByRole('button', { name: 'Sitzung erfassen' }).click();
    expect(await status(page)).toBe('Sitzung am 20.04.2027 erfasst (Beteiligungsformate)');
    const formats = await api<{ items: Record<string, unknown>[] }>('/api/meetings?year=2027');
    expect(formats.items.find((m) => m.title === 'Werkstatt Sprache')).toMatchObject({
      participationType: 'themenspezifisch',
      topicActionFieldIds: [ids.fields['3.1']],
      participantCount: 35,
    });
    await context.close();
  });

  it('the admin records a decision, applies it to a measure after a preview, and changes its state with a comment', async () => {
    const measure = (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { code: '3.1-95' }))
        .expect(201)
    ).body as { id: number };
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/gremien`);
    await page.getByRole('link', { name: 'Beschluss erfassen', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/gremien/beschluesse/neu');
    await expectAccessible(page, 'beschluss-neu');

    await page.getByRole('button', { name: 'Beschluss erfassen' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Beschlusstext/);
    await page
      .getByLabel('Sitzung', { exact: true })
      .selectOption({ label: '12.03.2027 – Steuerungsrunde: Steuerungsrunde Frühjahr' });
    await page.getByLabel('Art', { exact: true }).selectOption({ label: 'Einstellung' });
    await page.getByLabel('Beschlusstext').fill('Die Sprachcafés werden eingestellt.');
    await page
      .getByLabel('Verantwortliches Ressort')
      .selectOption({ label: 'Arbeit, Soziales, Jugend und Integration' });
    await page.getByLabel('Fällig am').fill('2027-06-30');
    await page.getByLabel('Betroffene Maßnahmen').selectOption({ value: String(measure.id) });
    await page.getByRole('button', { name: 'Beschluss erfassen' }).click();
    expect(await status(page)).toBe('Beschluss der Steuerungsrunde vom 12.03.2027 erfasst');
    const decisions = await api<{
      items: { id: number; text: string; measureIds: number[]; dueDate: string }[];
    }>('/api/decisions?pageSize=200');
    const decision = decisions.items.find((d) => d.text === 'Die Sprachcafés werden eingestellt.')!;
    expect(decision).toMatchObject({ measureIds: [measure.id], dueDate: '2027-06-30' });

    // Applying: the preview shows the change before it is made.
    await page.getByRole('link', { name: `Auf Maßnahme anwenden (Beschluss ${decision.id})` }).click();
    expect(new URL(page.url()).pathname).toBe(`/gremien/beschluesse/${decision.id}/anwenden`);
    await expectAccessible(page, 'beschluss-anwenden');
    await page.getByLabel('Maßnahme', { exact: true }).selectOption({ value: String(measure.id) });
    await page.getByLabel('Was der Beschluss bewirkt').selectOption({ value: 'discontinue' });
    await page.getByRole('button', { name: 'Vorschau' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Vorschau/);
    const preview = (await page.locator('main').textContent()) ?? '';
    expect(preview).toMatch(/3\.1-95/);
    expect(preview).toMatch(/aktiv\s*→\s*eingestellt/);
    await expectAccessible(page, 'beschluss-vorschau');
    expect((await api<{ lifecycle: string }>(`/api/measures/${measure.id}`)).lifecycle).toBe('active');
    await page.getByRole('button', { name: 'Anwenden' }).click();
    expect(await status(page)).toBe('Beschluss auf 3.1-95 angewendet: eingestellt');
    expect(await api(`/api/measures/${measure.id}`)).toMatchObject({
      lifecycle: 'discontinued',
      lifecycleDecisionId: decision.id,
    });

    // The state changes with a comment, kept in the decision's history.
    await page.getByLabel(`Neuer Stand (Beschluss ${decision.id})`).selectOption({ label: 'erledigt' });
    await page.getByLabel(`Kommentar (Beschluss ${decision.id})`).fill('Einstellung umgesetzt');
    await page.getByRole('button', { name: `Stand ändern (Beschluss ${decision.id})` }).click();
    expect(await status(page)).toBe('Stand des Beschlusses der Steuerungsrunde vom 12.03.2027: erledigt');
    const detail = await api<{ state: string; history: { toState: string; comment: string }[] }>(
      `/api/decisions/${decision.id}`,
    );
    expect(detail.state).toBe('done');
    expect(detail.history.at(-1)).toMatchObject({ toState: 'done', comment: 'Einstellung umgesetzt' });

    // Bodies without a cadence read sensibly.
    const cadence =
      (await page.locator('table', { hasText: 'Beteiligungsformate' }).first().textContent()) ?? '';
    expect(cadence).not.toMatch(/mindestens 0/);
    expect(cadence).toMatch(/laufend, kein Soll/);
    await expectAccessible(page, 'gremien');
    await context.close();
  });

  it('the admin extends a measure by a decision (an earlier end is refused on the form) and changes its title', async () => {
    const measure = (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { code: '3.1-96', plannedEnd: '2025-12-31' }))
        .expect(201)
    ).body as { id: number };
    const meetings = await api<{ items: { id: number; title: string }[] }>('/api/meetings?year=2027');
    const decision = (
      await t.http
        .post('/api/decisions')
        .auth(admin, { type: 'bearer' })
        .send({
          meetingId: meetings.items.find((m) => m.title === 'Steuerungsrunde Frühjahr')!.id,
          kind: 'extension',
          text: 'Die Sprachcafés laufen ein Jahr länger.',
          responsibleDepartmentId: ids.departments.ASJI,
          measureIds: [measure.id],
        })
        .expect(201)
    ).body as { id: number };
    const { context, page } = await signIn('admin@demo.local');
    await page.goto(`${base}/gremien/beschluesse/${decision.id}/anwenden`);
    // The decision's kind and its one linked measure are chosen already.
    expect(await page.getByLabel('Was der Beschluss bewirkt').inputValue()).toBe('extend');
    expect(await page.getByLabel('Maßnahme', { exact: true }).inputValue()).toBe(String(measure.id));
    await page.getByLabel('Neues Ende').fill('2025-06-30');
    await page.getByRole('button', { name: 'Vorschau' }).click();
    expect(await page.locator('main').textContent()).toMatch(/31\.12\.2025\s*→\s*30\.06\.2025/);
    await page.getByRole('button', { name: 'Anwenden' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/Neues Ende: muss nach dem bisherigen Ende/);
    expect(await page.getByLabel('Neues Ende').inputValue()).toBe('2025-06-30');
    await expectAccessible(page);
    await page.getByLabel('Neues Ende').fill('2026-12-31');
    await page.getByRole('button', { name: 'Vorschau' }).click();
    await page.getByRole('button', { name: 'Anwenden' }).click();
    expect(await status(page)).toBe('Beschluss auf 3.1-96 angewendet: verlängert bis 31.12.2026');
    expect(await api(`/api/measures/${measure.id}`)).toMatchObject({ plannedEnd: '2026-12-31' });

    await page.goto(`${base}/gremien/beschluesse/${decision.id}/anwenden`);
    await page.getByLabel('Was der Beschluss bewirkt').selectOption({ value: 'change' });
    await page.getByLabel('Neu: Titel').fill('Sprachcafés in allen Stadtteilbibliotheken');
    await page.getByRole('button', { name: 'Vorschau' }).click();
    expect(await page.locator('main').textContent()).toMatch(
      /Sprachcafés in Stadtteilbibliotheken\s*→\s*Sprachcafés in allen Stadtteilbibliotheken/,
    );
    await page.getByRole('button', { name: 'Anwenden' }).click();
    expect(await status(page)).toBe('Beschluss auf 3.1-96 angewendet: Angaben geändert');
    expect(await api(`/api/measures/${measure.id}`)).toMatchObject({
      title: 'Sprachcafés in allen Stadtteilbibliotheken',
    });
    await context.close();
  });

  it('editors and viewers see no admin controls and are refused by the server', async () => {
    const before = await api<{ total: number }>('/api/meetings');
    const cycles = await api<CycleBody[]>('/api/reporting-cycles');
    for (const email of ['soziales@demo.local', 'steuerung@demo.local']) {
      const { context, page } = await signIn(email);
      await page.goto(`${base}/berichtszyklen`);
      expect(await page.getByRole('link', { name: 'Neuer Berichtszyklus' }).count()).toBe(0);
      await page.goto(`${base}/gremien`);
      expect(await page.getByRole('link', { name: 'Sitzung erfassen' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: /Auf Maßnahme anwenden/ }).count()).toBe(0);
      const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
      for (const path of ['/berichtszyklen/neu', '/gremien/sitzungen/neu', '/gremien/beschluesse/neu']) {
        const res = await page.goto(`${base}${path}`);
        expect({ email, path, status: res?.status() }).toEqual({ email, path, status: 403 });
      }
      const posted = await page.request.post(`${base}/gremien/sitzungen`, {
        form: { _csrf: csrf!, bodyId: '1', date: '2027-05-05', title: 'Nicht erlaubt' },
        maxRedirects: 0,
      });
      expect(posted.status()).toBe(403);
      const transition = await page.request.post(`${base}/berichtszyklen/${cycles[0].id}/uebergang`, {
        form: { _csrf: csrf!, to: 'published', version: String(cycles[0].version), confirmed: 'ja' },
        maxRedirects: 0,
      });
      expect(transition.status()).toBe(403);
      await context.close();
    }
    expect((await api<{ total: number }>('/api/meetings')).total).toBe(before.total);
    expect(await api<CycleBody[]>('/api/reporting-cycles')).toEqual(cycles);
  });
});
