/**
 * The same filled template uploaded twice creates its reports once; a dry run asked for in the address writes
 * nothing on any of the three imports; an edit in any locked column of the template is refused.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { frameworkIds, type Ids } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const COL = {
  id: 1,
  code: 2,
  title: 3,
  field: 4,
  lastStatus: 5,
  lastProgress: 6,
  lastDate: 7,
  status: 8,
  progress: 9,
  summary: 10,
  obstacles: 11,
  nextSteps: 12,
};

interface ImportRow {
  row: number;
  measureId: number;
  state: string;
}

describe('Erfassungsvorlage: repeated uploads, dry run in the address, locked columns', () => {
  let t: TestApp;
  let admin: string;
  let soziales: string;
  let ids: Ids;
  let collecting: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    soziales = await t.login('soziales@demo.local');
    ids = await frameworkIds(t, admin);
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
      state: string;
    }[];
    collecting = cycles.find((c) => c.state === 'collecting')!;
  });
  afterAll(async () => {
    await t.close();
  });

  async function template(): Promise<Buffer> {
    const res = await t.http
      .get(`/api/reporting-cycles/${collecting.id}/templates/${ids.departments.ASJI}`)
      .auth(soziales, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    return res.body as Buffer;
  }

  async function fill(buffer: Buffer, edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = await readWorkbook(buffer);
    edit(workbook.getWorksheet('Meldungen')!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  const upload = (file: Buffer, options: { field?: string; query?: string } = {}) => {
    const request = t.http
      .post(`/api/reporting-cycles/${collecting.id}/imports${options.query ?? ''}`)
      .auth(soziales, { type: 'bearer' });
    if (options.field !== undefined) void request.field('dryRun', options.field);
    return request.attach('file', file, 'vorlage.xlsx');
  };

  const reportCount = async (measureId: number): Promise<number> =>
    (
      (await t.http.get(`/api/measures/${measureId}/status-reports`).auth(soziales, { type: 'bearer' }))
        .body as unknown[]
    ).length;

  it('creates the reports of a file once: the second upload answers „unverändert“ and creates nothing', async () => {
    const file = await fill(await template(), (sheet) => {
      sheet.getCell(2, COL.status).value = 'in Umsetzung';
      sheet.getCell(2, COL.progress).value = 70;
      sheet.getCell(2, COL.summary).value = 'Alle Kurse sind ausgebucht, Wartelisten werden geführt.';
      sheet.getCell(2, COL.nextSteps).value = 'Zwei weitere Kursorte eröffnen.';
      sheet.getCell(4, COL.status).value = 'verzögert';
      sheet.getCell(4, COL.progress).value = 15;
      sheet.getCell(4, COL.summary).value = 'Die Ausschreibung musste wiederholt werden.';
      sheet.getCell(4, COL.obstacles).value = 'Kein Angebot in der ersten Runde.';
    });
    const first = await upload(file, { field: 'false' }).expect(200);
    expect(first.body).toMatchObject({ dryRun: false, created: 2, unchanged: 0 });
    const measureIds = (first.body.rows as ImportRow[]).map((r) => r.measureId);
    const counts = await Promise.all(measureIds.map(reportCount));

    const before = await databaseFingerprint(t.dataSource);
    const preview = await upload(file, { field: 'true' }).expect(200);
    expect(preview.body).toMatchObject({ dryRun: true, created: 0, unchanged: 2 });
    expect((preview.body.rows as ImportRow[]).map((r) => [r.row, r.state])).toEqual([
      [2, 'unchanged'],
      [4, 'unchanged'],
    ]);

    const second = await upload(file, { field: 'false' }).expect(200);
    expect(second.body).toMatchObject({ dryRun: false, created: 0, unchanged: 2, reportIds: [] });
    expect(await Promise.all(measureIds.map(reportCount))).toEqual(counts);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    // One changed row is created, the other still counts as unchanged.
    const changed = await fill(file, (sheet) => {
      sheet.getCell(4, COL.progress).value = 20;
    });
    const third = await upload(changed, { field: 'false' }).expect(200);
    expect(third.body).toMatchObject({ created: 1, unchanged: 1 });
    expect((third.body.rows as ImportRow[]).map((r) => [r.row, r.state])).toEqual([
      [2, 'unchanged'],
      [4, 'create'],
    ]);
  });

  it('says on the Meldungen page which rows are unchanged', async () => {
    const file = await fill(await template(), (sheet) => {
      sheet.getCell(6, COL.status).value = 'Daueraufgabe';
      sheet.getCell(6, COL.progress).value = 100;
      sheet.getCell(6, COL.summary).value = 'Die Beratung ist fester Bestandteil des Angebots.';
    });
    await upload(file, { field: 'false' }).expect(200);
    const csrf = csrfToken(t.app.get(AuthService).csrfSecret, soziales);
    const page = await t.http
      .post('/meldungen/vorlage')
      .set('Cookie', `${SESSION_COOKIE}=${soziales}`)
      .field('_csrf', csrf)
      .field('dryRun', 'true')
      .attach('file', file, 'vorlage.xlsx')
      .expect(200);
    expect(page.text).toContain('Vorschau: 0 Meldung(en) würden angelegt, 1 unverändert,');
    expect(page.text).toMatch(/<li>Zeile 6: [^<]+ – unverändert, keine neue Meldung<\/li>/);
  });

  it('takes the upload form’s CSRF token from the form body only, never from the address', async () => {
    const csrf = csrfToken(t.app.get(AuthService).csrfSecret, soziales);
    const page = await t.http.get('/meldungen').set('Cookie', `${SESSION_COOKIE}=${soziales}`).expect(200);
    expect(page.text).toMatch(
      /<form method="post" action="\/meldungen\/vorlage" enctype="multipart\/form-data">\s*<input type="hidden" name="_csrf"/,
    );
    expect(page.text).not.toContain('_csrf=');
    const inAddress = await t.http
      .post(`/meldungen/vorlage?_csrf=${encodeURIComponent(csrf)}`)
      .set('Cookie', `${SESSION_COOKIE}=${soziales}`)
      .field('dryRun', 'true')
      .attach('file', await template(), 'vorlage.xlsx');
    expect(inAddress.status).toBe(403);
  });

  it('honours ?dryRun=true in the address: the preview comes back and nothing is written', async () => {
    const file = await fill(await template(), (sheet) => {
      sheet.getCell(3, COL.status).value = 'geplant';
      sheet.getCell(3, COL.progress).value = 5;
      sheet.getCell(3, COL.summary).value = 'Konzept liegt vor, Abstimmung läuft.';
    });
    const before = await databaseFingerprint(t.dataSource);
    const res = await upload(file, { query: '?dryRun=true' }).expect(200);
    expect(res.body).toMatchObject({ dryRun: true, created: 0 });
    expect((res.body.rows as ImportRow[]).map((r) => [r.row, r.state])).toEqual([[3, 'create']]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    // The form field agreeing with the address is fine; disagreeing is refused.
    await upload(file, { query: '?dryRun=true', field: 'true' }).expect(200);
    const conflicting = await upload(file, { query: '?dryRun=true', field: 'false' }).expect(400);
    expect(conflicting.body).toMatchObject({
      code: 'IMPORT.DRY_RUN_CONFLICT',
      message: expect.stringMatching(/dryRun/),
    });
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('honours ?dryRun=true on the Maßnahmenplan and the indicator import too', async () => {
    const before = await databaseFingerprint(t.dataSource);
    const plan = await t.http
      .post('/api/measure-plan/imports?dryRun=true')
      .auth(admin, { type: 'bearer' })
      .attach('file', readFileSync('data/massnahmenplan-beispiel.xlsx'), 'plan.xlsx')
      .expect(200);
    expect(plan.body).toMatchObject({ dryRun: true, created: 3 });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Werte');
    sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
    sheet.addRow(['D4', 2031, 'gesamt', 77.5, 'Vorschau']);
    const values = await t.http
      .post('/api/indicators/imports?dryRun=true')
      .auth(admin, { type: 'bearer' })
      .attach('file', Buffer.from(await workbook.xlsx.writeBuffer()), 'werte.xlsx')
      .expect(200);
    expect(values.body).toMatchObject({ dryRun: true, written: 0 });
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    const conflicting = await t.http
      .post('/api/measure-plan/imports?dryRun=false')
      .auth(admin, { type: 'bearer' })
      .field('dryRun', 'true')
      .attach('file', readFileSync('data/massnahmenplan-beispiel.xlsx'), 'plan.xlsx')
      .expect(400);
    expect(conflicting.body.code).toBe('IMPORT.DRY_RUN_CONFLICT');
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it.each([
    ['Stand vom', COL.lastDate, new Date('2019-05-01T12:00:00Z') as unknown],
    ['Letzter Status', COL.lastStatus, 'umgesetzt'],
    ['Letzter Fortschritt (%)', COL.lastProgress, 100],
    ['Handlungsfeld', COL.field, '3.4 Bildung'],
  ])(
    'refuses an edit in the locked column „%s“ with row, column and a German message',
    async (header, column, value) => {
      const file = await fill(await template(), (sheet) => {
        sheet.getCell(5, column).value = value as ExcelJS.CellValue;
        sheet.getCell(5, COL.status).value = 'geplant';
        sheet.getCell(5, COL.progress).value = 0;
        sheet.getCell(5, COL.summary).value = 'Noch in Vorbereitung.';
      });
      const before = await databaseFingerprint(t.dataSource);
      const res = await upload(file, { field: 'false' }).expect(400);
      expect(res.body.errors).toEqual([
        {
          sheet: 'Meldungen',
          row: 5,
          column: header,
          message: expect.stringMatching(/^Gesperrte Zelle geändert/),
        },
      ]);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    },
  );
});
