/**
 * Erfassungsvorlage round trip and the Maßnahmenplan import, with a table of bad files: each answered with
 * a precise error and no change in the database.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const COL = { id: 1, code: 2, title: 3, status: 8, progress: 9, summary: 10, obstacles: 11, nextSteps: 12 };

describe('Erfassungsvorlage', () => {
  let t: TestApp;
  let admin: string;
  let soziales: string;
  let bildung: string;
  let ids: Ids;
  let collecting: { id: number; code: string };
  let reviewing: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    soziales = await t.login('soziales@demo.local');
    bildung = await t.login('bildung@demo.local');
    ids = await frameworkIds(t, admin);
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
      state: string;
    }[];
    collecting = cycles.find((c) => c.state === 'collecting')!;
    reviewing = cycles.find((c) => c.state === 'reviewing')!;
  });
  afterAll(async () => {
    await t.close();
  });

  async function template(cycleId: number, departmentId: number, token: string): Promise<Buffer> {
    const res = await t.http
      .get(`/api/reporting-cycles/${cycleId}/templates/${departmentId}`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    return res.body as Buffer;
  }

  async function fill(
    buffer: Buffer,
    edit: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void,
  ): Promise<Buffer> {
    const workbook = await readWorkbook(buffer);
    edit(workbook.getWorksheet('Meldungen')!, workbook);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  function upload(cycleId: number, file: Buffer, token: string, dryRun = false, name = 'vorlage.xlsx') {
    return t.http
      .post(`/api/reporting-cycles/${cycleId}/imports`)
      .auth(token, { type: 'bearer' })
      .field('dryRun', String(dryRun))
      .attach('file', file, name);
  }

  it('lists the department’s measures with locked master data, drop-downs and hidden identifiers', async () => {
    const workbook = await readWorkbook(await template(collecting.id, ids.departments.ASJI, soziales));
    expect(workbook.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['Anleitung', 'visible'],
      ['Meldungen', 'visible'],
      ['_vorlage', 'veryHidden'],
    ]);
    const sheet = workbook.getWorksheet('Meldungen')!;
    const own = (
      await t.http
        .get(
          `/api/measures?leadDepartmentId=${ids.departments.ASJI}&cycleId=${collecting.id}&due=all&pageSize=200`,
        )
        .auth(admin, { type: 'bearer' })
    ).body;
    const codes: string[] = [];
    sheet.eachRow((row, n) => n > 1 && codes.push(String(row.getCell(COL.code).value)));
    // The template lists the measures due in the cycle, as the list API's due filter does (3.9-02, completed
    // before the cycle, is not asked again), in the same natural order of codes (3.9 before 3.13).
    expect(codes).not.toContain('3.9-02');
    expect(codes).toEqual(own.items.map((m: { code: string }) => m.code));
    expect(codes.indexOf('3.9-01')).toBeLessThan(codes.indexOf('3.13-02'));
    expect(sheet.getColumn(COL.id).hidden).toBe(true);
    expect(sheet.getCell(2, COL.code).protection?.locked).not.toBe(false);
    expect(sheet.getCell(2, COL.status).protection).toMatchObject({ locked: false });
    expect(sheet.getCell(2, COL.status).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"geplant,in Umsetzung,Daueraufgabe,umgesetzt,verzögert,eingestellt"'],
    });
    expect(sheet.getCell(2, COL.progress).dataValidation).toMatchObject({
      type: 'whole',
      operator: 'between',
      formulae: [0, 100],
    });
    expect((sheet as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    const instructions = workbook.getWorksheet('Anleitung')!;
    expect(String(instructions.getCell('A1').value)).toBe(
      'Erfassungsvorlage – Arbeit, Soziales, Jugend und Integration',
    );
  });

  it('is refused for another department’s editor', async () => {
    await t.http
      .get(`/api/reporting-cycles/${collecting.id}/templates/${ids.departments.ASJI}`)
      .auth(bildung, { type: 'bearer' })
      .expect(403);
  });

  it('round trip: fill in, dry run shows the changes and writes nothing, then the import creates the reports', async () => {
    const file = await fill(await template(collecting.id, ids.departments.ASJI, soziales), (sheet) => {
      sheet.getCell(2, COL.status).value = 'in Umsetzung';
      sheet.getCell(2, COL.progress).value = 60;
      sheet.getCell(2, COL.summary).value = 'Kurse laufen an allen vier Standorten.';
      sheet.getCell(3, COL.status).value = 'verzögert';
      sheet.getCell(3, COL.progress).value = '25';
      sheet.getCell(3, COL.summary).value = 'Träger muss neu ausgeschrieben werden.';
      sheet.getCell(3, COL.obstacles).value = 'Vergabeverfahren';
    });
    const before = await databaseFingerprint(t.dataSource);
    const dry = await upload(collecting.id, file, soziales, true).expect(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      created: 0,
      reviewState: 'submitted',
      departmentCode: 'ASJI',
    });
    expect(
      dry.body.rows.map((r: { row: number; status: string; progress: number }) => [
        r.row,
        r.status,
        r.progress,
      ]),
    ).toEqual([
      [2, 'in_progress', 60],
      [3, 'delayed', 25],
    ]);
    expect(dry.body.skipped).toBeGreaterThan(0);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    const real = await upload(collecting.id, file, soziales).expect(200);
    expect(real.body.created).toBe(2);
    const measureId = dry.body.rows[0].measureId as number;
    const history = (
      await t.http.get(`/api/measures/${measureId}/status-reports`).auth(soziales, { type: 'bearer' })
    ).body;
    const me = (await t.http.get('/api/auth/me').auth(soziales, { type: 'bearer' })).body;
    expect(history[0]).toMatchObject({
      status: 'in_progress',
      progress: 60,
      reviewState: 'submitted',
      authorId: me.id,
      summary: 'Kurse laufen an allen vier Standorten.',
    });
    const audit = (
      await t.http.get(`/api/audit?action=import&entity=StatusReport`).auth(admin, { type: 'bearer' })
    ).body;
    expect(audit.total).toBe(2);
  });

  describe('bad files: precise errors, nothing written', () => {
    const cases: [
      string,
      () => Promise<{ buffer: Buffer; token?: string; cycle?: () => number }>,
      number,
      (body: Record<string, unknown>) => void,
    ][] = [
      [
        'wrong status word, progress 150, empty Sachstand – all errors at once',
        async () => ({
          buffer: await fill(await template(collecting.id, ids.departments.ASJI, soziales), (sheet) => {
            sheet.getCell(2, COL.status).value = 'fertig';
            sheet.getCell(2, COL.progress).value = 150;
            sheet.getCell(2, COL.summary).value = 'Läuft gut.';
            sheet.getCell(3, COL.progress).value = 10;
          }),
        }),
        400,
        (body) => {
          expect(body.errors).toEqual([
            {
              sheet: 'Meldungen',
              row: 2,
              column: 'Status',
              message: expect.stringMatching(/^Unbekannter Status „fertig“; erlaubt: geplant, in Umsetzung/),
            },
            {
              sheet: 'Meldungen',
              row: 2,
              column: 'Fortschritt (%)',
              // The API's and the form's message: the row is checked by the same DTO.
              message: 'darf nicht größer als 100 sein',
            },
            { sheet: 'Meldungen', row: 3, column: 'Status', message: 'Bitte einen Status wählen.' },
            {
              sheet: 'Meldungen',
              row: 3,
              column: 'Sachstand',
              message: 'muss mindestens 10 Zeichen lang sein',
            },
          ]);
        },
      ],
      [
        'an edited locked cell',
        async () => ({
          buffer: await fill(await template(collecting.id, ids.departments.ASJI, soziales), (sheet) => {
            sheet.getCell(2, COL.title).value = 'Umbenannt in der Datei';
            sheet.getCell(2, COL.status).value = 'geplant';
            sheet.getCell(2, COL.progress).value = 0;
            sheet.getCell(2, COL.summary).value = 'Noch in Vorbereitung.';
          }),
        }),
        400,
        (body) =>
          expect(body.errors).toEqual([
            expect.objectContaining({
              row: 2,
              column: 'Maßnahme',
              message: expect.stringMatching(/^Gesperrte Zelle geändert/),
            }),
          ]),
      ],
      [
        'rows of another department (a measure handed over since export)',
        async () => {
          const buffer = await template(collecting.id, ids.departments.ASJI, admin);
          const workbook = await readWorkbook(buffer);
          const measureId = Number(workbook.getWorksheet('Meldungen')!.getCell(2, COL.id).value);
          const m = (await t.http.get(`/api/measures/${measureId}`).auth(admin, { type: 'bearer' })).body;
          await t.http
            .patch(`/api/measures/${measureId}`)
            .auth(admin, { type: 'bearer' })
            .send({
              version: m.version,
              leadDepartmentId: ids.departments.SKB,
              participatingDepartmentIds: [],
            })
            .expect(200);
          return {
            buffer: await fill(buffer, (sheet) => {
              sheet.getCell(2, COL.status).value = 'geplant';
              sheet.getCell(2, COL.progress).value = 0;
              sheet.getCell(2, COL.summary).value = 'Noch in Vorbereitung.';
            }),
            token: admin,
          };
        },
        400,
        (body) =>
          expect(body.errors).toEqual([
            expect.objectContaining({
              row: 2,
              column: 'Code',
              message: expect.stringMatching(
                /wird nicht von Arbeit, Soziales, Jugend und Integration federführend verantwortet/,
              ),
            }),
          ]),
      ],
      [
        'a measure changed since export',
        async () => {
          const buffer = await template(collecting.id, ids.departments.ASJI, soziales);
          const workbook = await readWorkbook(buffer);
          const measureId = Number(workbook.getWorksheet('Meldungen')!.getCell(3, COL.id).value);
          const m = (await t.http.get(`/api/measures/${measureId}`).auth(admin, { type: 'bearer' })).body;
          await t.http
            .patch(`/api/measures/${measureId}`)
            .auth(admin, { type: 'bearer' })
            .send({ version: m.version, description: 'Geändert nach dem Export.' })
            .expect(200);
          return {
            buffer: await fill(buffer, (sheet) => {
              sheet.getCell(3, COL.status).value = 'geplant';
              sheet.getCell(3, COL.progress).value = 0;
              sheet.getCell(3, COL.summary).value = 'Noch in Vorbereitung.';
            }),
          };
        },
        400,
        (body) =>
          expect(body.errors).toEqual([
            expect.objectContaining({
              row: 3,
              message: expect.stringMatching(/nach dem Herunterladen der Vorlage geändert/),
            }),
          ]),
      ],
      [
        'a file of another cycle',
        async () => ({ buffer: await template(reviewing.id, ids.departments.ASJI, soziales) }),
        400,
        (body) =>
          expect(body).toMatchObject({
            code: 'IMPORT.OTHER_CYCLE',
            message: expect.stringMatching(/gehört zum Berichtszyklus 2024-2025, nicht zu 2026-2027/),
          }),
      ],
      [
        'a file of another department',
        async () => ({ buffer: await template(collecting.id, ids.departments.SKB, bildung) }),
        403,
        (body) =>
          expect(body).toMatchObject({
            code: 'DEPARTMENT.OUT_OF_SCOPE',
            message: expect.stringMatching(/gehört zum Ressort „Kinder und Bildung“/),
          }),
      ],
      [
        'a CSV renamed to .xlsx',
        async () => ({ buffer: Buffer.from('Code;Status;Fortschritt\n3.1-01;umgesetzt;100\n', 'utf8') }),
        400,
        (body) =>
          expect(body).toMatchObject({
            code: 'IMPORT.NOT_XLSX',
            message: expect.stringMatching(/keine Excel-Arbeitsmappe/),
          }),
      ],
      [
        'a truncated file',
        async () => {
          const buffer = await template(collecting.id, ids.departments.ASJI, soziales);
          return { buffer: buffer.subarray(0, Math.floor(buffer.length / 2)) };
        },
        400,
        (body) =>
          expect(body).toMatchObject({
            code: 'IMPORT.CORRUPT',
            message: expect.stringMatching(/beschädigt oder unvollständig/),
          }),
      ],
      [
        'a workbook that is not a template',
        async () => {
          const workbook = new ExcelJS.Workbook();
          workbook.addWorksheet('Tabelle1').addRow(['irgendwas']);
          return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()) };
        },
        400,
        (body) => expect(body).toMatchObject({ code: 'IMPORT.NOT_A_TEMPLATE' }),
      ],
      [
        'a 20 MB file',
        async () => ({
          buffer: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(20 * 1024 * 1024)]),
        }),
        413,
        (body) => expect(body.message).toBe('Die Datei oder Anfrage ist größer als erlaubt.'),
      ],
    ];

    it.each(cases)('%s', async (_label, make, status, check) => {
      const { buffer, token } = await make();
      const before = await databaseFingerprint(t.dataSource);
      const res = await upload(collecting.id, buffer, token ?? soziales);
      expect(res.status).toBe(status);
      check(res.body as Record<string, unknown>);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('refuses a request without a file, and a viewer', async () => {
      const res = await t.http
        .post(`/api/reporting-cycles/${collecting.id}/imports`)
        .auth(soziales, { type: 'bearer' })
        .field('dryRun', 'true')
        .expect(400);
      expect(res.body.code).toBe('IMPORT.NO_FILE');
      const viewer = await t.login('steuerung@demo.local');
      await upload(collecting.id, Buffer.from('x'), viewer).expect(403);
    });
  });
  describe('the form and the import follow one rule', () => {
    const transition = async (cycleId: number, to: string): Promise<void> => {
      const { version } = (
        await t.http.get(`/api/reporting-cycles/${cycleId}`).auth(admin, { type: 'bearer' })
      ).body as { version: number };
      await t.http
        .post(`/api/reporting-cycles/${cycleId}/transition`)
        .auth(admin, { type: 'bearer' })
        .send({ to, version })
        .expect(200);
    };

    it.each([
      ['a planned cycle: both take the report', 2016, 'planned', 201],
      ['a closed cycle: both refuse it', 2018, 'closed', 409],
    ])('%s', async (_, year, state, expected) => {
      // A measure that had started in the period, led by the editor's department, and the period's cycle.
      const measure = (
        await t.http
          .post('/api/measures')
          .auth(admin, { type: 'bearer' })
          .send(newMeasure(ids, { leadDepartmentId: ids.departments.ASJI, plannedStart: `${year}-01-01` }))
          .expect(201)
      ).body as { id: number; code: string };
      const cycle = (
        await t.http
          .post('/api/reporting-cycles')
          .auth(admin, { type: 'bearer' })
          .send({
            code: `${year}-${year + 1}`,
            name: `Bericht ${year}`,
            periodStart: `${year}-01-01`,
            periodEnd: `${year + 1}-12-31`,
            inputDeadline: `${year + 2}-01-31`,
          })
          .expect(201)
      ).body as { id: number };
      const filled = await fill(await template(cycle.id, ids.departments.ASJI, soziales), (sheet) => {
        sheet.eachRow((row, number) => {
          if (number > 1 && String(row.getCell(COL.code).value) === measure.code) {
            row.getCell(COL.status).value = 'geplant';
            row.getCell(COL.progress).value = 0;
            row.getCell(COL.summary).value = 'Vorbereitung im Stadtteil läuft weiter.';
          }
        });
      });
      if (state === 'closed')
        for (const to of ['collecting', 'reviewing', 'closed']) await transition(cycle.id, to);

      const form = await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(soziales, { type: 'bearer' })
        .send({
          status: 'planned',
          progress: 0,
          summary: 'Vorbereitung im Stadtteil läuft.',
          reportedAt: `${year}-06-30`,
        });
      const imported = await upload(cycle.id, filled, soziales);
      const outcome = (status: number): string => (status < 300 ? 'angenommen' : String(status));
      expect({ form: outcome(form.status), import: outcome(imported.status) }).toEqual({
        form: outcome(expected),
        import: outcome(expected),
      });
      if (expected === 201) expect(imported.body).toMatchObject({ created: 1 });
      else {
        expect(form.body).toMatchObject({ code: 'CYCLE.CLOSED' });
        expect(imported.body).toMatchObject({ code: 'CYCLE.CLOSED' });
      }
    });
  });
});

describe('Maßnahmenplan import', () => {
  let t: TestApp;
  let admin: string;
  const sample = readFileSync('data/massnahmenplan-beispiel.xlsx');

  beforeAll(async () => {
    t = await createTestApp({
      DEMO: 'false',
      INITIAL_ADMIN_EMAIL: 'plan@example.org',
      INITIAL_ADMIN_PASSWORD: 'Koordination-2026!',
    });
    admin = await t.login('plan@example.org', 'Koordination-2026!');
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (file: Buffer, dryRun = false, token = admin) =>
    t.http
      .post('/api/measure-plan/imports')
      .auth(token, { type: 'bearer' })
      .field('dryRun', String(dryRun))
      .attach('file', file, 'plan.xlsx');

  async function edit(buffer: Buffer, change: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = await readWorkbook(buffer);
    change(workbook.getWorksheet('Maßnahmen')!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('imports the sample file: dry run first, then for real, then nothing to do', async () => {
    const before = await databaseFingerprint(t.dataSource);
    const dry = await upload(sample, true).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 3, updated: 0, unchanged: 0 });
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    await upload(sample).expect(200);
    const list = (await t.http.get('/api/measures?q=Beispiel').auth(admin, { type: 'bearer' })).body;
    expect(list.items.map((m: { code: string }) => m.code)).toEqual(['3.1-90', '3.4-90', '3.12-90']);
    expect(list.items[0]).toMatchObject({
      level: 'land',
      targetGroups: ['Frauen', 'Geflüchtete'],
      plannedStart: '2026-01-01',
      budget: 120000,
    });
    expect(list.items[2]).toMatchObject({
      code: '3.12-90',
      plannedStart: '2026-03-01',
      plannedEnd: '2026-12-31',
      level: 'land',
    });
    expect((await upload(sample).expect(200)).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('updates by code and reports which fields changed', async () => {
    const file = await edit(sample, (sheet) => {
      sheet.getCell('B2').value = 'Beispiel: Sprachlernangebote in allen Familienzentren';
      sheet.getCell('L2').value = 150000;
    });
    const res = await upload(file).expect(200);
    expect(res.body.changes.find((c: { code: string }) => c.code === '3.1-90')).toEqual({
      row: 2,
      code: '3.1-90',
      action: 'update',
      fields: ['title', 'budget'],
    });
    const audit = (await t.http.get('/api/audit?action=plan_import').auth(admin, { type: 'bearer' })).body;
    expect(audit.items[0].changes).toMatchObject({ budget: { from: 120000, to: 150000 } });
  });

  it('refuses a plan with errors, listing them all, and writes nothing', async () => {
    const file = await edit(sample, (sheet) => {
      sheet.getCell('D2').value = '3.99';
      sheet.getCell('J3').value = '31.02.2026';
      sheet.getCell('A4').value = '3.1-90';
      sheet.getCell('H4').value = 'Mond';
    });
    const before = await databaseFingerprint(t.dataSource);
    const res = await upload(file).expect(400);
    expect(res.body.errors).toEqual([
      { sheet: 'Maßnahmen', row: 2, column: 'Handlungsfeld', message: 'Unbekanntes Handlungsfeld „3.99“.' },
      { sheet: 'Maßnahmen', row: 3, column: 'Beginn', message: '„31.02.2026“ ist kein Datum (TT.MM.JJJJ).' },
      { sheet: 'Maßnahmen', row: 4, column: 'Code', message: 'Der Code 3.1-90 steht schon in Zeile 2.' },
      {
        sheet: 'Maßnahmen',
        row: 4,
        column: 'Ebene',
        message: 'Unbekannte Ebene „Mond“; erlaubt: land, bremen, bremerhaven.',
      },
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('refuses a row with the same rules and the same German messages as the API', async () => {
    const file = await edit(sample, (sheet) => {
      sheet.getCell('B2').value = 'AB';
      sheet.getCell('J3').value = '01.06.2026';
      sheet.getCell('K3').value = '01.01.2026';
    });
    const res = await upload(file).expect(400);
    const rows = res.body.errors as { row: number; column: string; message: string }[];
    expect(rows).toEqual([
      { sheet: 'Maßnahmen', row: 2, column: 'Titel', message: expect.any(String) },
      { sheet: 'Maßnahmen', row: 3, column: 'Ende', message: expect.any(String) },
    ]);
    // The API refuses the same values with the same words.
    const ids = await frameworkIds(t, admin);
    const body = {
      code: '3.1-77',
      title: 'AB',
      actionFieldId: ids.fields['3.1'],
      goalIds: [ids.goals['2.1']],
      leadDepartmentId: ids.departments.ASJI,
      level: 'land',
      plannedStart: '2026-06-01',
      plannedEnd: '2026-01-01',
    };
    const api = await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(400);
    const apiMessage = (field: string): string =>
      (api.body.details as { field: string; messages: string[] }[]).find((d) => d.field === field)!
        .messages[0];
    expect(rows[0].message).toBe(apiMessage('title'));
    const range = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send({ ...body, title: 'Ein gültiger Titel' })
      .expect(400);
    expect(rows[1].message).toBe((range.body.details as { messages: string[] }[])[0].messages[0]);
  });

  it('is for admins only, and exports in the import format', async () => {
    await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'leser@example.org', displayName: 'Leser', role: 'viewer', password: 'Nur-Lesen-2026' })
      .expect(201);
    const viewer = await t.login('leser@example.org', 'Nur-Lesen-2026');
    await upload(sample, false, viewer).expect(403);
    const exported = await t.http
      .get('/api/measure-plan')
      .auth(viewer, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect((await upload(exported.body as Buffer, true).expect(200)).body).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
    });
  });
});
