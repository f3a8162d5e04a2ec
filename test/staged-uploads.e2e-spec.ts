/**
 * A checked workbook is kept in the database between the preview and "Übernehmen", so that behind a load
 * balancer the preview may come from one instance and "Übernehmen" go to another, and a restart in between
 * loses nothing: the admin never has to choose the file again. The rules stay: only the account that uploaded
 * it, only for the page it was checked on, 30 minutes, at most 20 per account, taken once, even when two
 * "Übernehmen" of one preview arrive at two instances at the same moment.
 */
import { rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { Framework } from '../src/framework/framework.entity.js';
import { StagedUploads } from '../src/web/staged-uploads.js';
import {
  createTestApp,
  databaseFingerprint,
  dropPostgresDatabase,
  ON_POSTGRES,
  type TestApp,
  testDatabasePath,
} from './helpers/test-app.js';
import { addPlan } from './factories/plan.factory.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const PLAN_KIND = 'measure-plan';
const GONE = /Die geprüfte Datei liegt nicht mehr vor/;

describe('uploads kept between the preview and "Übernehmen"', () => {
  const database = testDatabasePath('staged-uploads');
  const start = (): Promise<TestApp> => createTestApp({ DATABASE_PATH: database, KEEP_DATABASE: '1' });
  /** Two instances on one database, as two servers behind a load balancer. */
  let a: TestApp;
  let b: TestApp;
  let adminId: number;

  beforeAll(async () => {
    a = await start();
    b = await start();
    adminId = await accountId(a, 'admin@demo.local', 'demo1234');
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (ON_POSTGRES) await dropPostgresDatabase(database);
    else for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
  });

  async function accountId(t: TestApp, email: string, password: string): Promise<number> {
    const res = await t.http.post('/api/auth/login').send({ email, password }).expect(200);
    return (res.body as { user: { id: number } }).user.id;
  }

  /** The Maßnahmenplan as downloaded, with one new measure under `code` (a copy of the last row). */
  async function planWithNewMeasure(t: TestApp, code: string, title: string): Promise<Buffer> {
    const token = await t.login('admin@demo.local');
    const downloaded = await t.http
      .get('/api/measure-plan')
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const workbook = await readWorkbook(downloaded.body as Buffer);
    const sheet = workbook.getWorksheet('Maßnahmen')!;
    const last = sheet.getRow(sheet.rowCount);
    const copy = sheet.getRow(sheet.rowCount + 1);
    (last.values as unknown[]).forEach((value, index) => {
      if (index > 0) copy.getCell(index).value = value as ExcelJS.CellValue;
    });
    copy.getCell(1).value = code;
    copy.getCell(2).value = title;
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  interface Browser {
    cookie: string;
  }

  async function signIn(t: TestApp, email: string, password = 'demo1234'): Promise<Browser> {
    return { cookie: `${SESSION_COOKIE}=${await signInByForm(t.http, email, password)}` };
  }

  /** The form token of a page, as its forms carry it. */
  async function csrfOf(t: TestApp, browser: Browser, path: string): Promise<string> {
    const page = await t.http.get(path).set('Cookie', browser.cookie).expect(200);
    return /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  }

  /** Step 1 on the Maßnahmen page: "Datei prüfen"; returns the fields of the "Übernehmen" form it shows. */
  async function preview(t: TestApp, browser: Browser, file: Buffer): Promise<Record<string, string>> {
    const csrf = await csrfOf(t, browser, '/massnahmen');
    const checked = await t.http
      .post('/massnahmen/massnahmenplan')
      .set('Cookie', browser.cookie)
      .field('_csrf', csrf)
      .attach('file', file, 'plan.xlsx');
    expect(checked.status).toBe(200);
    expect(checked.text).toMatch(/Prüfung ohne Fehler \(plan\.xlsx\): 1 neu, 0 geändert/);
    const form =
      /<form method="post" action="\/massnahmen\/massnahmenplan\/uebernehmen"[\s\S]*?<\/form>/.exec(
        checked.text,
      )![0];
    const field = (name: string): string => new RegExp(`name="${name}" value="([^"]+)"`).exec(form)![1];
    return { _csrf: field('_csrf'), token: field('token') };
  }

  /** Step 2: "Übernehmen", the form of step 1 posted as the browser posts it. */
  function apply(t: TestApp, browser: Browser, form: Record<string, string>): Promise<Response> {
    return t.http
      .post('/massnahmen/massnahmenplan/uebernehmen')
      .set('Cookie', browser.cookie)
      .type('form')
      .send(form)
      .then((res) => res);
  }

  async function measuresWithCode(t: TestApp, code: string): Promise<{ code: string; title: string }[]> {
    const res = await t.http
      .get(`/api/measures?q=${encodeURIComponent(code)}`)
      .auth(await t.login('admin@demo.local'), { type: 'bearer' })
      .expect(200);
    return (res.body as { items: { code: string; title: string }[] }).items.filter((m) => m.code === code);
  }

  async function expectApplied(t: TestApp, browser: Browser, res: Response): Promise<void> {
    expect({ status: res.status, location: res.headers.location }).toEqual({
      status: 303,
      location: '/massnahmen?plan=uebernommen&neu=1&geaendert=0',
    });
    const page = await t.http.get(res.headers.location).set('Cookie', browser.cookie).expect(200);
    expect(page.text).toMatch(/Maßnahmenplan übernommen: 1 neu/);
  }

  it('a preview shown by one instance is applied through another instance on the same database', async () => {
    const admin = await signIn(a, 'admin@demo.local');
    const form = await preview(a, admin, await planWithNewMeasure(a, '3.12-71', 'Über zwei Instanzen'));
    expect(await measuresWithCode(a, '3.12-71')).toEqual([]);

    await expectApplied(b, admin, await apply(b, admin, form));
    expect(await measuresWithCode(a, '3.12-71')).toEqual([
      expect.objectContaining({ title: 'Über zwei Instanzen' }),
    ]);
    // Taken once: a second "Übernehmen", on either instance, is explained, nothing is written twice.
    for (const t of [a, b]) {
      const again = await apply(t, admin, form);
      expect(again.status).toBe(409);
      expect(again.text).toMatch(GONE);
    }
    expect(await measuresWithCode(b, '3.12-71')).toHaveLength(1);
  });

  it('a preview survives a restart of the application: "Übernehmen" afterwards needs no new upload', async () => {
    const admin = await signIn(a, 'admin@demo.local');
    const form = await preview(a, admin, await planWithNewMeasure(a, '3.12-72', 'Nach dem Neustart'));
    await a.close();
    a = await start();
    await expectApplied(a, admin, await apply(a, admin, form));
    expect(await measuresWithCode(a, '3.12-72')).toEqual([
      expect.objectContaining({ title: 'Nach dem Neustart' }),
    ]);
  });

  it('two "Übernehmen" of one preview at the same moment, one on each instance: written once', async () => {
    const admin = await signIn(a, 'admin@demo.local');
    const form = await preview(a, admin, await planWithNewMeasure(a, '3.12-73', 'Gleichzeitig übernommen'));
    const answers = await Promise.all([apply(a, admin, form), apply(b, admin, form)]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(answers.find((r) => r.status === 409)!.text).toMatch(GONE);
    expect(await measuresWithCode(a, '3.12-73')).toHaveLength(1);

    // Many takes of one key at once, on both instances: exactly one gets the bytes.
    const bytes = Buffer.from('eine geprüfte Arbeitsmappe');
    const key = await a.app.get(StagedUploads).put(adminId, PLAN_KIND, bytes);
    const taken = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).app.get(StagedUploads).take(adminId, PLAN_KIND, key),
      ),
    );
    expect(taken.filter((x) => x !== null)).toEqual([bytes]);
  });

  it("another account's key gives nothing, and leaves the file to the account that uploaded it", async () => {
    const adminToken = await a.login('admin@demo.local');
    await a.http
      .post('/api/users')
      .auth(adminToken, { type: 'bearer' })
      .send({
        email: 'zweite-admin@example.org',
        displayName: 'Zweite Administratorin',
        role: 'admin',
        password: 'Ein-gutes-Passwort-2',
      })
      .expect(201);
    const admin = await signIn(a, 'admin@demo.local');
    const other = await signIn(b, 'zweite-admin@example.org', 'Ein-gutes-Passwort-2');
    const form = await preview(a, admin, await planWithNewMeasure(a, '3.12-74', 'Nur für die Hochladende'));

    const refused = await apply(b, other, { ...form, _csrf: await csrfOf(b, other, '/massnahmen') });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(GONE);
    expect(await measuresWithCode(a, '3.12-74')).toEqual([]);

    // Nor is a file checked for the Maßnahmenplan taken by the indicator import.
    const wrongPage = await b.http
      .post('/indikatoren/import/uebernehmen')
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: await csrfOf(b, admin, '/indikatoren/import'), token: form.token });
    expect(wrongPage.status).toBe(409);

    await expectApplied(b, admin, await apply(b, admin, form));
    expect(await measuresWithCode(a, '3.12-74')).toHaveLength(1);
  });

  it('a file kept for more than 30 minutes is gone, and is removed from the database by the next take or put', async () => {
    const admin = await signIn(a, 'admin@demo.local');
    const file = await planWithNewMeasure(a, '3.12-75', 'Zu spät übernommen');
    // Kept 31 minutes ago, as the preview would have kept it.
    const key = await a.app.get(StagedUploads).put(adminId, PLAN_KIND, file, Date.now() - 31 * 60 * 1000);

    const late = await apply(b, admin, { _csrf: await csrfOf(b, admin, '/massnahmen'), token: key });
    expect(late.status).toBe(409);
    expect(late.text).toMatch(GONE);
    expect(await measuresWithCode(a, '3.12-75')).toEqual([]);

    const stillThere = async (): Promise<number> =>
      Number(
        (
          await a.dataSource.query<{ n: unknown }[]>(
            `SELECT COUNT(*) AS "n" FROM "staged_uploads" WHERE "key" = '${key}'`,
          )
        )[0].n,
      );
    // The refused take removed it (it holds uploaded content), as would the next put.
    expect(await stillThere()).toBe(0);
    const expired = await a.app.get(StagedUploads).put(adminId, PLAN_KIND, file, Date.now() - 31 * 60 * 1000);
    const next = await b.app.get(StagedUploads).put(adminId, PLAN_KIND, Buffer.from('neu'));
    expect(
      Number(
        (
          await a.dataSource.query<{ n: unknown }[]>(
            `SELECT COUNT(*) AS "n" FROM "staged_uploads" WHERE "key" = '${expired}'`,
          )
        )[0].n,
      ),
    ).toBe(0);
    expect(String(await a.app.get(StagedUploads).take(adminId, PLAN_KIND, next))).toBe('neu');
  });

  it("at most 20 files per account: its own oldest goes, another account's file stays", async () => {
    const otherId = await accountId(a, 'zweite-admin@example.org', 'Ein-gutes-Passwort-2');
    const staged = a.app.get(StagedUploads);
    const others = await staged.put(otherId, PLAN_KIND, Buffer.from('von der anderen'));
    const own: string[] = [];
    // One millisecond apart, so that their order is clear.
    const now = Date.now();
    for (let i = 0; i < 21; i++)
      own.push(await staged.put(adminId, PLAN_KIND, Buffer.from(`Datei ${i}`), now + i));

    const elsewhere = b.app.get(StagedUploads);
    expect(await elsewhere.take(adminId, PLAN_KIND, own[0])).toBeNull();
    expect(String(await elsewhere.take(adminId, PLAN_KIND, own[1]))).toBe('Datei 1');
    expect(String(await elsewhere.take(adminId, PLAN_KIND, own[20]))).toBe('Datei 20');
    expect(String(await elsewhere.take(otherId, PLAN_KIND, others))).toBe('von der anderen');
  });

  it('a file checked for one plan is not applied to another plan', async () => {
    const manager = a.dataSource.manager;
    const [{ code: bremen }] = await manager.find(Framework, { order: { id: 'ASC' }, take: 1 });
    const admin = await signIn(a, 'admin@demo.local');
    const file = await planWithNewMeasure(a, '9.9-97', 'Für den ersten Plan geprüft');
    await addPlan(manager, {
      code: 'zweiter-plan',
      name: 'Zweiter Plan',
      region: 'Region',
    });
    const base = `/plaene/${bremen}`;
    const csrf = await csrfOf(a, admin, `${base}/massnahmen`);
    const checked = await a.http
      .post(`${base}/massnahmen/massnahmenplan`)
      .set('Cookie', admin.cookie)
      .field('_csrf', csrf)
      .attach('file', file, 'plan.xlsx')
      .expect(200);
    const token = /name="token" value="([^"]+)"/.exec(checked.text)![1];
    const before = await databaseFingerprint(a.dataSource);
    const elsewhere = await a.http
      .post('/plaene/zweiter-plan/massnahmen/massnahmenplan/uebernehmen')
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: csrf, token });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.text).toContain('Die geprüfte Datei liegt nicht mehr vor');
    expect(await databaseFingerprint(a.dataSource)).toBe(before);
    // Under its own plan it is applied.
    await a.http
      .post(`${base}/massnahmen/massnahmenplan/uebernehmen`)
      .set('Cookie', admin.cookie)
      .type('form')
      .send({ _csrf: csrf, token })
      .expect(303);
  });
});
