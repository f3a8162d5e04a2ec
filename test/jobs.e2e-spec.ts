/**
 * Long work as jobs in the database: a report asked for with `Prefer: respond-async` is built by the instance
 * that takes the job up, its progress and result readable under /api/jobs/:id and on the job's page; a large
 * plan upload is written as a job from the pages; a job left behind by an instance that died (running, its
 * lease run out) is taken up again, and given up after JOB_MAX_ATTEMPTS; a job whose owner lost the right
 * fails with a German reason and writes nothing; someone else's job answers 404. In a real browser the job
 * page follows a running job to its end without being reloaded (its status region is announced), axe-clean.
 */
import type { AddressInfo } from 'node:net';
import type ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { PlanImportService } from '../src/excel/plan-import.service.js';
import { Job } from '../src/jobs/job.entity.js';
import { JobLostError, JobsService } from '../src/jobs/jobs.service.js';
import type { JobView } from '../src/jobs/jobs.service.js';
import { expectNoAxeViolations, launchBrowser } from './helpers/browser.js';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { signInByForm } from './helpers/web-sign-in.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('jobs: long work that one instance takes up', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let cycleId: number;
  let base: string;
  let browser: Browser;

  const api = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
  });

  /** Reads the job until it has ended (the runner polls every 100 ms here). */
  async function settled(id: number, token = admin): Promise<JobView> {
    for (let i = 0; i < 600; i++) {
      const res = await api(token).get(`/api/jobs/${id}`).expect(200);
      const job = res.body as JobView;
      if (job.state === 'done' || job.state === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Auftrag ${id} endete nicht`);
  }

  /** The Maßnahmenplan as it is now, as the workbook its download gives. */
  async function planWorkbook(): Promise<ExcelJS.Workbook> {
    const plan = await t.http
      .get('/api/measure-plan')
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    return readWorkbook(plan.body as Buffer);
  }

  /** A job row as an instance that died leaves it: running, held by a holder that no longer renews. */
  async function orphan(values: Partial<Job>): Promise<number> {
    const admins = await t.dataSource.query<{ id: number }[]>(
      `SELECT "id" FROM "users" WHERE "email" = 'admin@demo.local'`,
    );
    const inserted = await t.dataSource
      .createQueryBuilder()
      .insert()
      .into(Job)
      .values({
        kind: 'report',
        state: 'running',
        payload: JSON.stringify({ cycleId, format: 'xlsx' }),
        holder: 'instanz-die-nicht-mehr-laeuft',
        leaseUntil: String(Date.now() - 1_000),
        attempts: 1,
        createdById: admins[0].id,
        ...values,
      })
      .callListeners(false)
      .execute();
    return Number((inserted.identifiers[0] as { id: number }).id);
  }

  beforeAll(async () => {
    t = await createTestApp({
      JOB_REPORT_MIN_MEASURES: '0',
      JOB_IMPORT_MIN_BYTES: '0',
      JOB_POLL_MS: '100',
      JOB_LEASE_MS: '3000',
      JOB_MAX_ATTEMPTS: '2',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    admin = await t.login('admin@demo.local');
    editor = await t.login('soziales@demo.local');
    const cycles = (await api(admin).get('/api/reporting-cycles')).body as { id: number; code: string }[];
    cycleId = cycles.find((c) => c.code === '2022-2023')!.id;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('Prefer: respond-async queues the report: 202 with the job, then the job builds it and names the report', async () => {
    const queued = await t.http
      .post(`/api/reporting-cycles/${cycleId}/report?format=xlsx`)
      .auth(admin, { type: 'bearer' })
      .set('Prefer', 'respond-async, wait=0')
      .expect(202);
    const job = queued.body as JobView;
    expect(queued.headers.location).toBe(`/api/jobs/${job.id}`);
    expect(queued.headers['preference-applied']).toBe('respond-async');
    expect(job).toMatchObject({ kind: 'report', payload: { cycleId, format: 'xlsx' } });
    expect(['queued', 'running', 'done']).toContain(job.state);

    const done = await settled(job.id);
    expect(done).toMatchObject({ state: 'done', attempts: 1, error: null });
    expect(done.progressTotal).toBeGreaterThan(0);
    const reportId = Number(done.result!.reportId);
    const file = await t.http
      .get(`/api/reports/${reportId}/download`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(file.headers['content-type']).toContain(XLSX_TYPE);
    const workbook = await readWorkbook(file.body as Buffer);
    // As many measure rows as the job counted.
    expect(workbook.getWorksheet('Maßnahmen')!.actualRowCount - 1).toBe(done.progressTotal);

    // Without the preference the same route answers with the file, as always.
    await t.http
      .post(`/api/reporting-cycles/${cycleId}/report`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200)
      .expect('Content-Type', new RegExp(XLSX_TYPE));
  });

  it("someone else's job answers 404; the list holds one's own jobs, the coordinating unit's everyone's", async () => {
    const queued = await t.http
      .post(`/api/reporting-cycles/${cycleId}/report?format=docx`)
      .auth(admin, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(202);
    const id = (queued.body as JobView).id;
    await settled(id);
    const refused = await api(editor).get(`/api/jobs/${id}`).expect(404);
    expect(refused.body).toMatchObject({ code: 'JOB.NOT_FOUND' });
    expect(
      ((await api(editor).get('/api/jobs').expect(200)).body as JobView[]).map((j) => j.id),
    ).not.toContain(id);
    expect(((await api(admin).get('/api/jobs').expect(200)).body as JobView[]).map((j) => j.id)).toContain(
      id,
    );
    await t.http.get(`/api/jobs/${id}`).expect(401);
    // An editor may not queue a report at all.
    await t.http
      .post(`/api/reporting-cycles/${cycleId}/report`)
      .auth(editor, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(403);
    await t.http
      .post(`/api/reporting-cycles/999999/report`)
      .auth(admin, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(404);
  });

  it('a job left running by an instance that died is taken up again once its lease has run out', async () => {
    const id = await orphan({});
    const done = await settled(id);
    expect(done).toMatchObject({ state: 'done', attempts: 2, error: null });
    expect(done.result).toMatchObject({ format: 'xlsx' });
    await t.http
      .get(`/api/reports/${Number(done.result!.reportId)}/download`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
  });

  it('a job whose instance died JOB_MAX_ATTEMPTS times is given up with a German reason', async () => {
    const id = await orphan({ attempts: 2 });
    const failed = await settled(id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/antwortete nicht mehr \(2 Versuche\)/);
    expect(failed.result).toBeNull();
  });

  it('a job whose owner is no longer an admin fails with the reason and writes nothing', async () => {
    const editors = await t.dataSource.query<{ id: number }[]>(
      `SELECT "id" FROM "users" WHERE "email" = 'soziales@demo.local'`,
    );
    const count = async (): Promise<number> =>
      Number(
        (
          await t.dataSource.query<{ n: number | string }[]>(
            `SELECT COUNT(*) AS "n" FROM "implementation_reports"`,
          )
        )[0].n,
      );
    const before = await count();
    // Queued for an account that is not (any more) an admin: the job checks the rights again when it runs.
    const id = await orphan({
      state: 'queued',
      holder: null,
      leaseUntil: '0',
      attempts: 0,
      createdById: editors[0].id,
    });
    const failed = await settled(id, admin);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/Umsetzungsberichte erzeugt nur die Koordinierungsstelle/);
    expect(await count()).toBe(before);
  });

  it('a plan with faulty rows sent with Prefer: respond-async fails as a job listing every error, and writes nothing', async () => {
    const workbook = await planWorkbook();
    const sheet = workbook.getWorksheet('Maßnahmen')!;
    // A valid change first, then two rows with unknown fields.
    sheet.getRow(2).getCell(2).value = 'Wäre umbenannt, wenn alles stimmte';
    sheet.getRow(3).getCell(4).value = '9.9';
    sheet.getRow(5).getCell(4).value = '8.8';
    const measures = (): Promise<unknown[]> =>
      t.dataSource.query(`SELECT "id", "code", "title", "version" FROM "measures" ORDER BY "id"`);
    const before = await measures();
    const queued = await t.http
      .post('/api/measure-plan/imports')
      .auth(admin, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .attach('file', Buffer.from(await workbook.xlsx.writeBuffer()), 'falsch.xlsx')
      .expect(202);
    const failed = await settled((queued.body as JobView).id);
    expect(failed.state).toBe('failed');
    expect(failed.payload).toMatchObject({ fileName: 'falsch.xlsx' });
    const details = failed.errorDetails as { row: number; message: string }[];
    expect(details.map((d) => d.row)).toEqual([3, 5]);
    expect(details.map((d) => d.message).join(' ')).toMatch(/9\.9[\s\S]*8\.8/);
    // Not even the valid row before them was written.
    expect(await measures()).toEqual(before);
  });

  it('the work of a job whose lease was taken over is rolled back, not committed a second time', async () => {
    const jobs = t.app.get(JobsService);
    const workbook = await planWorkbook();
    workbook.getWorksheet('Maßnahmen')!.getRow(2).getCell(2).value = 'Von einer Instanz ohne Auftrag';
    // Held by another instance (its lease runs): this instance's work must not commit under it.
    const id = await orphan({ kind: 'plan-import', leaseUntil: String(Date.now() + 60_000) });
    const before = await databaseFingerprint(t.dataSource);
    const actor = {
      id: 1,
      email: 'admin@demo.local',
      displayName: 'Admin',
      role: 'admin' as const,
      departmentId: null,
    };
    await expect(
      t.app
        .get(PlanImportService)
        .import(Buffer.from(await workbook.xlsx.writeBuffer()), actor, false, undefined, (manager) =>
          jobs.completeWithin(manager, id, 'instanz-die-den-auftrag-verloren-hat', { created: 0 }),
        ),
    ).rejects.toBeInstanceOf(JobLostError);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    await t.dataSource.query(`UPDATE "jobs" SET "state" = 'failed' WHERE "id" = ${id}`);
  });

  it('of many instances asking at once, each job is taken by exactly one', async () => {
    const jobs = t.app.get(JobsService);
    const admins = await t.dataSource.query<{ id: number }[]>(
      `SELECT "id" FROM "users" WHERE "email" = 'admin@demo.local'`,
    );
    // A kind this instance's runner does not do, so that only the claims below take them.
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const inserted = await t.dataSource
        .createQueryBuilder()
        .insert()
        .into(Job)
        .values({
          kind: 'probe' as Job['kind'],
          state: 'queued',
          payload: '{}',
          createdById: admins[0].id,
          leaseUntil: '0',
        })
        .callListeners(false)
        .execute();
      ids.push(Number((inserted.identifiers[0] as { id: number }).id));
    }
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) => jobs.claim(`instanz-${i}`, ['probe'], 60_000, 3)),
    );
    const got = taken.filter((job): job is Job => job !== null);
    expect(got.map((job) => job.id).sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(got.map((job) => job.holder)).size).toBe(3);
    await t.dataSource.query(`UPDATE "jobs" SET "state" = 'failed' WHERE "kind" = 'probe'`);
  });

  it('on the pages a large plan is written as a job whose page shows the outcome; the report button queues a job too', async () => {
    const context = await browser.newContext({ locale: 'de-DE', acceptDownloads: true });
    const session = await signInByForm(t.http, 'admin@demo.local');
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: base }]);
    const page = await context.newPage();

    // The plan as it is, with one title changed.
    const workbook = await planWorkbook();
    const row = workbook.getWorksheet('Maßnahmen')!.getRow(2);
    const code = String(row.getCell(1).value);
    row.getCell(2).value = 'Umbenannt durch einen Auftrag';
    await page.goto(`${base}/massnahmen`);
    await page.getByLabel('Arbeitsmappe (.xlsx)').setInputFiles({
      name: 'plan-gross.xlsx',
      mimeType: XLSX_TYPE,
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Datei prüfen' }).click();
    await page.getByRole('button', { name: 'Übernehmen' }).click();
    await page.waitForURL(/\/auftraege\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Maßnahmenplan übernehmen');
    await page.getByText(/1 geändert/).waitFor({ timeout: 30_000 });
    expect(await page.locator('#auftrag-meldung').textContent()).toMatch(/^Fertig/);
    expect(await page.locator('body').textContent()).toMatch(/plan-gross\.xlsx/);
    await expectNoAxeViolations(page);
    const measures = (await api(admin).get(`/api/measures?q=${encodeURIComponent(code)}`)).body as {
      items: { code: string; title: string }[];
    };
    expect(measures.items.find((m) => m.code === code)?.title).toBe('Umbenannt durch einen Auftrag');
    // The change is the admin's in the audit trail, as if written while the request waited.
    const audit = await t.dataSource.query<{ userEmail: string }[]>(
      `SELECT "userEmail" FROM "audit_entries" WHERE "action" = 'plan_import' ORDER BY "id" DESC LIMIT 1`,
    );
    expect(audit[0]?.userEmail).toBe('admin@demo.local');

    // The report button on the cycles page (every report is long here): the job page, then the download.
    await page.goto(`${base}/berichtszyklen`);
    await page.getByRole('button', { name: 'DOCX erzeugen 2022-2023' }).click();
    await page.waitForURL(/\/auftraege\/\d+$/);
    const link = page.getByRole('link', { name: /herunterladen/ });
    await link.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^Umsetzungsbericht-2022-2023-.*\.docx$/);
    await page.goto(`${base}/auftraege`);
    expect(await page.getByRole('table').textContent()).toMatch(/Umsetzungsbericht erzeugen[\s\S]*fertig/);
    await expectNoAxeViolations(page);
    await context.close();
  }, 120_000);

  it('the job page follows a running job to its end without a reload, its status announced', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const session = await signInByForm(t.http, 'admin@demo.local');
    await context.addCookies([{ name: SESSION_COOKIE, value: session, url: base }]);
    const page = await context.newPage();
    // A job another instance is working on (its lease runs for a minute): this instance leaves it alone.
    const id = await orphan({
      leaseUntil: String(Date.now() + 60_000),
      step: 'Maßnahmen lesen',
      progressDone: 250,
      progressTotal: 1000,
    });
    await page.goto(`${base}/auftraege/${id}`);
    const status = page.locator('#auftrag-meldung');
    expect(await status.getAttribute('role')).toBe('status');
    expect(await status.textContent()).toBe('Läuft: Maßnahmen lesen');
    expect(await page.getByLabel(/Fortschritt: 250 von 1\.000/).getAttribute('value')).toBe('250');
    await expectNoAxeViolations(page);
    // The keyboard reaches the refresh link.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Stand aktualisieren'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).toBe('Stand aktualisieren');
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'unverändert'));

    // The other instance gets on: the bar moves in place, the status sentence stays, focus stays on the link.
    await t.dataSource
      .createQueryBuilder()
      .update(Job)
      .set({ progressDone: 600 })
      .where('"id" = :id', { id })
      .callListeners(false)
      .execute();
    await page.waitForFunction(
      () => document.getElementById('auftrag-fortschritt')?.getAttribute('value') === '600',
      undefined,
      { timeout: 15_000 },
    );
    expect(await page.getByLabel(/Fortschritt: 600 von 1\.000/).count()).toBe(1);
    expect(await status.textContent()).toBe('Läuft: Maßnahmen lesen');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Stand aktualisieren',
    );

    // It finishes (here written as the other instance would).
    const [report] = await t.dataSource.query<{ id: number; fileName: string }[]>(
      `SELECT "id", "fileName" FROM "implementation_reports" ORDER BY "id" DESC LIMIT 1`,
    );
    await t.dataSource
      .createQueryBuilder()
      .update(Job)
      .set({
        state: 'done',
        holder: null,
        result: JSON.stringify({ reportId: report.id, fileName: report.fileName, format: 'xlsx' }),
      })
      .where('"id" = :id', { id })
      .callListeners(false)
      .execute();
    await page.getByRole('link', { name: `${report.fileName} herunterladen` }).waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toMatch(/^Fertig/);
    // The same document: no reload happened, and the focus is where it was.
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('unverändert');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Stand aktualisieren',
    );
    expect(await page.locator('#auftrag').getAttribute('data-state')).toBe('done');
    await expectNoAxeViolations(page);
    await context.close();
  }, 60_000);
});
