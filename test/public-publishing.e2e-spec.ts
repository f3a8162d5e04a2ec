/**
 * Publishing choices of the Öffentliches Berichtswesen: unpublishing a cycle (a transition back to "closed"
 * with a reason, audited) takes its public files away until it is published again; the admin may publish the
 * accepted reports' obstacles and next steps with a cycle; the budget is public only when the plan says so.
 * Review comments and the texts of reports that were not accepted never appear.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { parseFrameworkFile } from '../src/framework/framework-file.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import { createTestApp, TMP_DIR, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';

const MARKER = 'Zauberwort';
const OBSTACLES = 'Es fehlen Räume am Abend; "Treffpunkt Mitte" ist zu klein.';
const NEXT_STEPS = 'Zwei weitere Bibliotheken gewinnen.';
const REASON = 'Falsche Angaben zum Ressort; Korrektur folgt';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
  unpublishReason: string;
  unpublishedAt: string | null;
  publicReportTexts: boolean;
}

interface PublicData {
  metadata: { schemaVersion: string };
  measures: Record<string, unknown>[];
}

/** Splits one CSV line at `;` outside quotes and unquotes the fields. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      current += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

describe('publishing, unpublishing and what a publication shows', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let ids: Ids;
  let cycle: Cycle;
  let measureId: number;

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => t.http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: (url: string, body: object) => t.http.patch(url).auth(token, { type: 'bearer' }).send(body),
  });

  async function move(to: string, extra: object = {}): Promise<void> {
    const res = await as(admin).post(`/api/reporting-cycles/${cycle.id}/transition`, {
      to,
      version: cycle.version,
      ...extra,
    });
    if (res.status !== 200) throw new Error(`${to}: ${res.status} ${JSON.stringify(res.body)}`);
    cycle = res.body as Cycle;
  }

  const jsonUrl = () => `/api/public/cycles/${cycle.code}/measures.json`;
  const csvUrl = () => `/api/public/cycles/${cycle.code}/measures.csv`;

  async function publicJson(): Promise<PublicData> {
    return (await t.http.get(jsonUrl()).expect(200)).body as PublicData;
  }

  /** The CSV as rows of header → value. */
  async function publicCsv(): Promise<{ header: string[]; rows: Record<string, string>[]; text: string }> {
    const res = await t.http.get(csvUrl()).expect(200);
    const text = res.text.replace(/^\uFEFF/, '');
    const lines = text.trimEnd().split('\r\n');
    const header = csvFields(lines[0]);
    const rows = lines
      .slice(1)
      .map((l) => Object.fromEntries(csvFields(l).map((v, i) => [header[i], v])) as Record<string, string>);
    return { header, rows, text };
  }

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    editor = await editorOf(t, admin, ids.departments.ASJI, 'soziales');
    cycle = ((await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[]).find(
      (c) => c.code === '2024-2025',
    )!;
    measureId = (
      (
        await as(admin)
          .post(
            '/api/measures',
            newMeasure(ids, { code: '3.1-V1', leadDepartmentId: ids.departments.ASJI, budget: 12345.5 }),
          )
          .expect(201)
      ).body as { id: number }
    ).id;
    await move('collecting');
    // A returned report: its texts and the comment stay inside.
    const returned = (
      await as(editor)
        .post(
          `/api/measures/${measureId}/status-reports`,
          newReport({
            reportedAt: '2025-03-31',
            obstacles: `Zurück ${MARKER}`,
            nextSteps: `Zurück-Schritt ${MARKER}`,
          }),
        )
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post(`/api/status-reports/${returned.id}/review`, { decision: 'return', comment: `Bitte ${MARKER}` })
      .expect(200);
    const accepted = (
      await as(editor)
        .post(
          `/api/measures/${measureId}/status-reports`,
          newReport({ reportedAt: '2025-06-30', obstacles: OBSTACLES, nextSteps: NEXT_STEPS }),
        )
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post(`/api/status-reports/${accepted.id}/review`, { decision: 'accept', comment: `Gut ${MARKER}` })
      .expect(200);
    await move('reviewing');
    await move('closed');
    // A later report, submitted but never accepted.
    await as(editor)
      .post(
        `/api/measures/${measureId}/status-reports`,
        newReport({ obstacles: `Später ${MARKER}`, nextSteps: `Später-Schritt ${MARKER}` }),
      )
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes without report texts or budget by default (schema 1.1)', async () => {
    await move('published');
    expect(cycle.publicReportTexts).toBe(false);
    const data = await publicJson();
    expect(data.metadata.schemaVersion).toBe('1.1');
    const measure = data.measures.find((m) => m.code === '3.1-V1')!;
    expect(measure).toBeDefined();
    for (const key of ['obstacles', 'nextSteps', 'budget']) expect(measure).not.toHaveProperty(key);
    const csv = await publicCsv();
    expect(csv.header).not.toEqual(expect.arrayContaining(['Hindernisse']));
    expect(csv.header).not.toEqual(expect.arrayContaining(['Nächste Schritte']));
    expect(csv.header).not.toEqual(expect.arrayContaining(['Budget (EUR)']));
    for (const text of [JSON.stringify(data), csv.text]) {
      expect(text).not.toContain(OBSTACLES.slice(0, 20));
      expect(text).not.toContain(NEXT_STEPS);
      expect(text).not.toContain(MARKER);
    }
  });

  it('refuses to unpublish without a reason, with the German field error, and changes nothing', async () => {
    const before = (await as(admin).get(`/api/reporting-cycles/${cycle.id}`).expect(200)).body as Cycle;
    for (const reason of [undefined, '', 'kurz']) {
      const res = await as(admin)
        .post(`/api/reporting-cycles/${cycle.id}/transition`, {
          to: 'closed',
          version: cycle.version,
          ...(reason === undefined ? {} : { reason }),
        })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details).toEqual([
        {
          field: 'reason',
          messages: [
            'Eine Begründung (mindestens 5 Zeichen) ist zum Zurücknehmen der Veröffentlichung nötig',
          ],
        },
      ]);
    }
    expect((await as(admin).get(`/api/reporting-cycles/${cycle.id}`).expect(200)).body).toEqual(before);
    await t.http.get(jsonUrl()).expect(200);
  });

  it('lets only an admin unpublish, at the current version', async () => {
    await as(editor)
      .post(`/api/reporting-cycles/${cycle.id}/transition`, {
        to: 'closed',
        version: cycle.version,
        reason: REASON,
      })
      .expect(403);
    const stale = await as(admin)
      .post(`/api/reporting-cycles/${cycle.id}/transition`, {
        to: 'closed',
        version: cycle.version - 1,
        reason: REASON,
      })
      .expect(409);
    expect(stale.body.code).toBe('CYCLE.STALE_VERSION');
    await t.http.get(jsonUrl()).expect(200);
  });

  describe('after unpublishing with a reason', () => {
    let snapshotBefore: number;

    beforeAll(async () => {
      snapshotBefore = (
        (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200)).body as {
          snapshotId: number;
        }
      ).snapshotId;
      await move('closed', { reason: REASON });
    });

    it('records the reason on the cycle and keeps its snapshot', async () => {
      expect(cycle).toMatchObject({ state: 'closed', unpublishReason: REASON });
      expect(cycle.unpublishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const snapshot = (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200))
        .body as { snapshotId: number };
      expect(snapshot.snapshotId).toBe(snapshotBefore);
    });

    it('answers 404 for every public file of the cycle and lists it no more', async () => {
      await t.http.get(jsonUrl()).expect(404);
      await t.http.get(csvUrl()).expect(404);
      expect((await t.http.get('/api/public/cycles').expect(200)).body).toEqual([]);
    });

    it('writes the reason into the audit trail', async () => {
      const trail = (
        await as(admin)
          .get(`/api/audit?entity=ReportingCycle&entityId=${cycle.id}&action=transition`)
          .expect(200)
      ).body.items as { note: string; changes: Record<string, { from: unknown; to: unknown }> }[];
      const entry = trail.find((e) => e.note === REASON);
      expect(entry).toBeDefined();
      expect(entry!.changes.state).toEqual({ from: 'published', to: 'closed' });
    });

    it('still refuses reports for the period', async () => {
      const res = await as(editor)
        .post(`/api/measures/${measureId}/status-reports`, newReport({ reportedAt: '2025-09-30' }))
        .expect(409);
      expect(res.body.code).toBe('CYCLE.CLOSED');
    });

    it('shows the reason on the cycle page', async () => {
      const session = await signInByForm(t.http, ADMIN_EMAIL, ADMIN_PASSWORD);
      const page = await t.http
        .get('/berichtszyklen')
        .set('Cookie', `${SESSION_COOKIE}=${session}`)
        .expect(200);
      expect(page.text).toContain('Veröffentlichung zurückgenommen');
      expect(page.text).toContain('Falsche Angaben zum Ressort; Korrektur folgt');
    });

    it('publishes again with the accepted report’s obstacles and next steps when marked', async () => {
      await move('published', { publicReportTexts: true });
      expect(cycle).toMatchObject({ state: 'published', publicReportTexts: true });
      const data = await publicJson();
      const measure = data.measures.find((m) => m.code === '3.1-V1')!;
      expect(measure).toMatchObject({ obstacles: OBSTACLES, nextSteps: NEXT_STEPS });
      expect(measure).not.toHaveProperty('budget');
      // Measures without a report in the period carry empty texts.
      for (const other of data.measures.filter((m) => m.summary === ''))
        expect(other).toMatchObject({ obstacles: '', nextSteps: '' });
      const csv = await publicCsv();
      expect(csv.header).toEqual(expect.arrayContaining(['Hindernisse', 'Nächste Schritte']));
      expect(csv.header.slice(-2)).toEqual(['Lizenz', 'Lizenz-URL']);
      const row = csv.rows.find((r) => r.Code === '3.1-V1')!;
      expect(row).toMatchObject({ Hindernisse: OBSTACLES, 'Nächste Schritte': NEXT_STEPS });
      for (const text of [JSON.stringify(data), csv.text]) expect(text).not.toContain(MARKER);
    });

    it('refuses the mark on any other transition', async () => {
      const res = await as(admin)
        .post(`/api/reporting-cycles/${cycle.id}/transition`, {
          to: 'closed',
          version: cycle.version,
          reason: REASON,
          publicReportTexts: true,
        })
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'publicReportTexts', messages: [expect.stringContaining('nur beim Veröffentlichen')] },
      ]);
      await t.http.get(jsonUrl()).expect(200);
    });
  });

  describe('the budget as a plan setting', () => {
    interface FrameworkBody {
      publicBudget: boolean;
      settingsVersion: number;
    }
    let framework: FrameworkBody;

    beforeAll(async () => {
      framework = (await as(admin).get('/api/framework').expect(200)).body as FrameworkBody;
    });

    it('is off by default: no budget in JSON or CSV', async () => {
      expect(framework.publicBudget).toBe(false);
      const data = await publicJson();
      for (const m of data.measures) expect(m).not.toHaveProperty('budget');
      expect((await publicCsv()).header).not.toEqual(expect.arrayContaining(['Budget (EUR)']));
    });

    it('cannot be set by an editor (403) nor at a stale version (409); nothing changes', async () => {
      await as(editor)
        .patch('/api/framework/settings', { settingsVersion: framework.settingsVersion, publicBudget: true })
        .expect(403);
      const stale = await as(admin)
        .patch('/api/framework/settings', {
          settingsVersion: framework.settingsVersion + 5,
          publicBudget: true,
        })
        .expect(409);
      expect(stale.body.code).toBe('FRAMEWORK.SETTINGS_STALE');
      const invalid = await as(admin)
        .patch('/api/framework/settings', { settingsVersion: framework.settingsVersion, publicBudget: 'ja' })
        .expect(400);
      expect(invalid.body.details.map((d: { field: string }) => d.field)).toEqual(['publicBudget']);
      expect((await as(admin).get('/api/framework').expect(200)).body).toMatchObject({ publicBudget: false });
      for (const m of (await publicJson()).measures) expect(m).not.toHaveProperty('budget');
    });

    it('once set by the admin, puts the snapshot’s budget into JSON and CSV, audited', async () => {
      const updated = (
        await as(admin)
          .patch('/api/framework/settings', {
            settingsVersion: framework.settingsVersion,
            publicBudget: true,
          })
          .expect(200)
      ).body as FrameworkBody;
      expect(updated).toMatchObject({ publicBudget: true, settingsVersion: framework.settingsVersion + 1 });
      // A later change of the measure's budget does not reach the published snapshot.
      const live = (await as(admin).get(`/api/measures/${measureId}`).expect(200)).body as {
        version: number;
      };
      await as(admin)
        .patch(`/api/measures/${measureId}`, { version: live.version, budget: 99999 })
        .expect(200);
      const data = await publicJson();
      expect(data.measures.find((m) => m.code === '3.1-V1')).toMatchObject({ budget: 12345.5 });
      const csv = await publicCsv();
      expect(csv.header).toEqual(expect.arrayContaining(['Budget (EUR)']));
      expect(csv.rows.find((r) => r.Code === '3.1-V1')!['Budget (EUR)']).toBe('12345,5');
      const trail = (await as(admin).get('/api/audit?entity=Framework').expect(200)).body.items as {
        changes: Record<string, { from: unknown; to: unknown }>;
      }[];
      expect(trail.some((e) => JSON.stringify(e.changes.publicBudget) === '{"from":false,"to":true}')).toBe(
        true,
      );
    });
  });
});

describe('publicBudget in the framework file', () => {
  const shipped = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as {
    framework: Record<string, unknown>;
  };

  it('is optional and must be true or false', () => {
    expect(parseFrameworkFile(shipped, 'a.json').framework.publicBudget).toBeUndefined();
    const on = { ...shipped, framework: { ...shipped.framework, publicBudget: true } };
    expect(parseFrameworkFile(on, 'b.json').framework.publicBudget).toBe(true);
    const wrong = { ...shipped, framework: { ...shipped.framework, publicBudget: 'ja' } };
    expect(() => parseFrameworkFile(wrong, 'c.json')).toThrow(/framework\.publicBudget/);
  });
});

describe('publicBudget from the framework file at the first start', () => {
  let t: TestApp;

  beforeAll(async () => {
    const shipped = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as {
      framework: Record<string, unknown>;
    };
    mkdirSync(TMP_DIR, { recursive: true });
    const file = join(TMP_DIR, `framework-public-budget-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ ...shipped, framework: { ...shipped.framework, publicBudget: true } }),
    );
    t = await createTestApp({ ...PRODUCTION_SETTINGS, FRAMEWORK_FILE: file });
    rmSync(file);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes the setting from the file', async () => {
    const admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const framework = (await t.http.get('/api/framework').auth(admin, { type: 'bearer' }).expect(200)).body;
    expect(framework).toMatchObject({ publicBudget: true });
  });
});

describe('publishing and unpublishing in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;
  let cycle: Cycle;

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200))
      .body as Cycle[];
    cycle = cycles.find((c) => c.state === 'published') ?? cycles.find((c) => c.state === 'closed')!;
    if (cycle.state === 'closed')
      cycle = (
        await t.http
          .post(`/api/reporting-cycles/${cycle.id}/transition`)
          .auth(admin, { type: 'bearer' })
          .send({ to: 'published', version: cycle.version })
          .expect(200)
      ).body as Cycle;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * Presses Tab until a control (link, button, field) whose name is `name` has the focus (reached by keyboard);
   * a field is named by its label. `exact`: the whole name, else a part of it.
   */
  async function tabTo(page: Page, name: string, exact = false): Promise<void> {
    for (let i = 0; i < 150; i += 1) {
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || !['A', 'BUTTON', 'INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return '';
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return (label ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
      });
      if (exact ? focused === name : focused.includes(name)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`„${name}“ ist mit der Tabulatortaste nicht erreichbar`);
  }

  const status = async (page: Page) => ((await page.getByRole('status').textContent()) ?? '').trim();

  it('the admin unpublishes with a reason and publishes again with the report texts, by keyboard', async () => {
    const { context, page } = await signInPage(browser, base, 'admin@demo.local');
    page.setDefaultTimeout(10_000);
    await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200);

    await page.goto(`${base}/berichtszyklen`);
    await tabTo(page, `Veröffentlichung zurücknehmen (${cycle.code})`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/uebergang\?nach=closed/);
    await expectNoAxeViolations(page);
    // Without a reason: the German field error, nothing changed.
    await tabTo(page, 'Veröffentlichung zurücknehmen', true);
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain(
      'Eine Begründung (mindestens 5 Zeichen) ist zum Zurücknehmen der Veröffentlichung nötig',
    );
    await expectNoAxeViolations(page);
    await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200);
    await tabTo(page, 'Begründung', true);
    await page.keyboard.type('Zahlen des Ressorts werden korrigiert');
    await tabTo(page, 'Veröffentlichung zurücknehmen', true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/erfolg=zurueckgenommen/);
    expect(await status(page)).toBe(
      `Veröffentlichung von ${cycle.code} zurückgenommen; die öffentlichen Seiten und Dateien sind entfernt`,
    );
    expect(await page.locator('main').textContent()).toContain('Zahlen des Ressorts werden korrigiert');
    await expectNoAxeViolations(page);
    await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(404);

    await tabTo(page, `Veröffentlichen (${cycle.code})`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/uebergang\?nach=published/);
    await expectNoAxeViolations(page);
    await tabTo(page, 'Hindernisse und nächste Schritte der angenommenen Meldungen veröffentlichen');
    await page.keyboard.press('Space');
    await tabTo(page, 'Ich habe verstanden');
    await page.keyboard.press('Space');
    await tabTo(page, 'Veröffentlichen', true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/erfolg=veroeffentlicht/);
    expect(await status(page)).toBe(
      `Berichtszyklus ${cycle.code} veröffentlicht, mit Hindernissen und nächsten Schritten der angenommenen Meldungen`,
    );
    const data = (await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200))
      .body as PublicData;
    expect(data.measures.some((m) => typeof m.obstacles === 'string' && m.obstacles !== '')).toBe(true);
    await context.close();
  });

  it('the admin makes the budget public on the framework page', async () => {
    const { context, page } = await signInPage(browser, base, 'admin@demo.local');
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/rahmenkonzept`);
    await tabTo(page, 'Budget der Maßnahmen veröffentlichen');
    await page.keyboard.press('Space');
    await tabTo(page, 'Einstellung speichern', true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/erfolg=einstellungen/);
    expect(await status(page)).toBe('Einstellung gespeichert: das Budget der Maßnahmen ist öffentlich.');
    expect(await page.getByLabel('Budget der Maßnahmen veröffentlichen').isChecked()).toBe(true);
    await expectNoAxeViolations(page);
    const data = (await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200))
      .body as PublicData;
    expect(data.measures.every((m) => 'budget' in m)).toBe(true);
    await context.close();
  });
});
