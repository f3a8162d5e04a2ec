/**
 * Governance and indicators: a Begleitgruppe meeting decides to discontinue one measure and extend another;
 * carrying the decision out changes both with the decision as reason; cadence as counted by hand; overdue
 * decisions; indicator progress; bad input refused without changes.
 */
import ExcelJS from 'exceljs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook, sheetValues } from './helpers/workbooks.js';

describe('governance', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let bodies: Record<string, { id: number }>;

  const post = (path: string, body: object, token = admin) =>
    t.http.post(path).auth(token, { type: 'bearer' }).send(body);
  const get = (path: string, token = admin) => t.http.get(path).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    bodies = Object.fromEntries(
      ((await get('/api/governance/bodies')).body as { code: string; id: number }[]).map((b) => [b.code, b]),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('ships the three bodies with members and cadence from the framework file', async () => {
    const list = (await get('/api/governance/bodies').expect(200)).body;
    expect(
      list.map((b: { name: string; minMeetingsPerYear: number; maxMeetingsPerYear: number | null }) => [
        b.name,
        b.minMeetingsPerYear,
        b.maxMeetingsPerYear,
      ]),
    ).toEqual([
      ['Steuerungsrunde', 1, 1],
      ['Ressortübergreifende Begleitgruppe', 3, 4],
      ['Beteiligungsformate', 0, null],
    ]);
    expect(list[0].members).toHaveLength(11);
    expect(list[0].members[10]).toEqual({ departmentCode: 'ZGF', function: 'Landesbeauftragte' });
  });

  it('a Begleitgruppe decision discontinues one measure and extends another, with the decision as reason', async () => {
    const ending = (await post('/api/measures', newMeasure(ids, { code: '3.5-G1' })).expect(201)).body;
    const extended = (
      await post('/api/measures', newMeasure(ids, { code: '3.5-G2', plannedEnd: '2025-12-31' })).expect(201)
    ).body;
    const meeting = (
      await post('/api/meetings', {
        bodyId: bodies.begleitgruppe.id,
        date: '2025-09-17',
        title: 'Sitzung der Begleitgruppe',
        place: 'Videokonferenz',
        attendingDepartmentIds: [ids.departments.ASJI, ids.departments.SKB],
        agenda: 'Sachstände, Verlängerungen',
      }).expect(201)
    ).body;
    const decision = (
      await post('/api/decisions', {
        meetingId: meeting.id,
        kind: 'discontinuation',
        text: 'Maßnahme G1 wird eingestellt, G2 wird bis Ende 2027 verlängert.',
        measureIds: [ending.id],
        responsibleDepartmentId: ids.departments.ASJI,
        dueDate: '2025-12-31',
      }).expect(201)
    ).body;
    expect(decision).toMatchObject({
      state: 'open',
      stateLabel: 'offen',
      bodyName: 'Ressortübergreifende Begleitgruppe',
      measureIds: [ending.id],
    });

    await post(`/api/decisions/${decision.id}/apply`, {
      action: 'discontinue',
      measureId: ending.id,
      version: ending.version,
    }).expect(200);
    const result = (
      await post(`/api/decisions/${decision.id}/apply`, {
        action: 'extend',
        measureId: extended.id,
        version: extended.version,
        plannedEnd: '2027-12-31',
      }).expect(200)
    ).body;
    expect(result.measure).toMatchObject({ plannedEnd: '2027-12-31', lifecycle: 'active' });

    const ended = (await get(`/api/measures/${ending.id}`).expect(200)).body;
    expect(ended).toMatchObject({ lifecycle: 'discontinued', lifecycleDecisionId: decision.id });
    expect(ended.lifecycleReason).toMatch(
      /^Beschluss der Ressortübergreifende Begleitgruppe vom 17\.09\.2025: Maßnahme G1 wird eingestellt/,
    );
    const changes = (await get(`/api/measures/${extended.id}/changes`).expect(200)).body;
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'extended',
        decisionId: decision.id,
        summary: 'Ende: 2025-12-31 → 2027-12-31',
      }),
    ]);
    const detail = (await get(`/api/decisions/${decision.id}`).expect(200)).body;
    expect(detail.measureIds.sort()).toEqual([ending.id, extended.id].sort());
    expect(detail.changes.map((c: { kind: string; measureId: number }) => [c.kind, c.measureId])).toEqual([
      ['discontinued', ending.id],
      ['extended', extended.id],
    ]);
    // A change of other fields follows the same rules as a measure update and records what changed.
    const renamed = (
      await post(`/api/decisions/${decision.id}/apply`, {
        action: 'change',
        measureId: extended.id,
        version: result.measure.version,
        changes: { title: 'Verlängerte Maßnahme G2', budget: 30000 },
      }).expect(200)
    ).body;
    expect(renamed.measure).toMatchObject({ title: 'Verlängerte Maßnahme G2', budget: 30000 });
    const latest = (await get(`/api/measures/${extended.id}/changes`).expect(200)).body[0];
    expect(latest).toMatchObject({ kind: 'changed', decisionId: decision.id });
    expect(latest.summary).toBe(
      'Titel: Sprachcafés in Stadtteilbibliotheken → Verlängerte Maßnahme G2; Budget: 25000 → 30000',
    );
    await post(`/api/decisions/${decision.id}/apply`, {
      action: 'change',
      measureId: extended.id,
      version: renamed.measure.version,
      changes: { title: 'x', level: 'mond' },
    }).expect(400);
    // A stale measure version is refused, and an extension must move the end later.
    await post(`/api/decisions/${decision.id}/apply`, {
      action: 'extend',
      measureId: extended.id,
      version: extended.version,
      plannedEnd: '2028-12-31',
    }).expect(409);
    const current = (await get(`/api/measures/${extended.id}`)).body;
    await post(`/api/decisions/${decision.id}/apply`, {
      action: 'extend',
      measureId: extended.id,
      version: current.version,
      plannedEnd: '2026-06-30',
    }).expect(400);
  });

  it('counts meetings per body and year against the cadence, as counted by hand', async () => {
    for (const date of ['2024-02-07', '2024-06-05']) {
      await post('/api/meetings', { bodyId: bodies.begleitgruppe.id, date, title: 'Begleitgruppe' }).expect(
        201,
      );
    }
    for (const date of ['2024-03-01', '2024-11-20']) {
      await post('/api/meetings', {
        bodyId: bodies.steuerungsrunde.id,
        date,
        title: 'Steuerungsrunde',
      }).expect(201);
    }
    await post('/api/meetings', {
      bodyId: bodies.beteiligungsformate.id,
      date: '2024-05-11',
      title: 'Werkstatt Sprache',
      participationType: 'themenspezifisch',
      topicActionFieldIds: [ids.fields['3.1']],
      participantCount: 42,
    }).expect(201);
    const cadence = (await get('/api/governance/cadence?year=2024').expect(200)).body;
    expect(
      cadence.map((c: { code: string; held: number; status: string }) => [c.code, c.held, c.status]),
    ).toEqual([
      ['steuerungsrunde', 2, 'above'],
      ['begleitgruppe', 2, 'below'],
      ['beteiligungsformate', 1, 'met'],
    ]);
    expect(cadence[1].label).toBe('Ressortübergreifende Begleitgruppe tagte 2024 2-mal (Soll: 3–4)');
    const dashboard = (await get('/api/dashboard').expect(200)).body;
    expect(dashboard.governance.cadence.map((c: { code: string }) => c.code)).toEqual([
      'steuerungsrunde',
      'begleitgruppe',
      'beteiligungsformate',
    ]);
  });

  it('lists an overdue decision as overdue, and lets the responsible department move its state', async () => {
    const meeting = (
      await post('/api/meetings', {
        bodyId: bodies.steuerungsrunde.id,
        date: '2025-03-01',
        title: 'Steuerungsrunde',
      }).expect(201)
    ).body;
    const overdue = (
      await post('/api/decisions', {
        meetingId: meeting.id,
        kind: 'other',
        text: 'Bericht zum Personalbedarf vorlegen.',
        responsibleDepartmentId: ids.departments.SKB,
        dueDate: '2025-06-30',
      }).expect(201)
    ).body;
    const future = (
      await post('/api/decisions', {
        meetingId: meeting.id,
        kind: 'other',
        text: 'Evaluation vorbereiten.',
        responsibleDepartmentId: ids.departments.SKB,
        dueDate: '2099-06-30',
      }).expect(201)
    ).body;
    expect(overdue.overdue).toBe(true);
    expect(future.overdue).toBe(false);
    const list = (await get('/api/decisions?overdue=true').expect(200)).body;
    expect(list.items.map((d: { id: number }) => d.id)).toContain(overdue.id);
    expect(list.items.map((d: { id: number }) => d.id)).not.toContain(future.id);
    expect((await get('/api/dashboard')).body.governance.overdueDecisions.total).toBeGreaterThanOrEqual(1);

    const bildung = await editorOf(t, admin, ids.departments.SKB, 'gov-bildung');
    const soziales = await editorOf(t, admin, ids.departments.ASJI, 'gov-soziales');
    const before = await databaseFingerprint(t.dataSource);
    await post(
      `/api/decisions/${overdue.id}/state`,
      { version: overdue.version, state: 'done' },
      soziales,
    ).expect(403);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    const done = (
      await post(
        `/api/decisions/${overdue.id}/state`,
        { version: overdue.version, state: 'done', comment: 'Bericht versandt.' },
        bildung,
      ).expect(200)
    ).body;
    expect(done).toMatchObject({ state: 'done', overdue: false });
    expect(
      done.history.map((h: { fromState: string | null; toState: string; comment: string }) => [
        h.fromState,
        h.toState,
        h.comment,
      ]),
    ).toEqual([
      [null, 'open', 'Beschluss gefasst'],
      ['open', 'done', 'Bericht versandt.'],
    ]);
    await post(
      `/api/decisions/${overdue.id}/apply`,
      { action: 'discontinue', measureId: 1, version: 1 },
      bildung,
    ).expect(403);
  });

  it.each([
    [
      'a meeting in a body that does not exist',
      '/api/meetings',
      { bodyId: 9999, date: '2025-01-01', title: 'Sitzung' },
      'bodyId',
    ],
    [
      'a decision without a meeting',
      '/api/decisions',
      { kind: 'other', text: 'Etwas tun.', responsibleDepartmentId: 1 },
      'meetingId',
    ],
    [
      'a decision for a meeting that does not exist',
      '/api/decisions',
      { meetingId: 9999, kind: 'other', text: 'Etwas tun.', responsibleDepartmentId: 1 },
      'meetingId',
    ],
    [
      'a negative participant count',
      '/api/meetings',
      { bodyId: 3, date: '2025-01-01', title: 'Forum', participantCount: -5 },
      'participantCount',
    ],
    [
      'participants for a body that is not a participation format',
      '/api/meetings',
      { bodyId: 1, date: '2025-01-01', title: 'Sitzung', participantCount: 20 },
      'participantCount',
    ],
    [
      'an unknown decision kind',
      '/api/decisions',
      { meetingId: 1, kind: 'vielleicht', text: 'Etwas tun.', responsibleDepartmentId: 1 },
      'kind',
    ],
  ])('refuses %s with a clear error and changes nothing', async (_label, path, body, field) => {
    const before = await databaseFingerprint(t.dataSource);
    const res = await post(path, body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });
});

describe('indicators', () => {
  let t: TestApp;
  let admin: string;
  let byCode: Record<string, { id: number; version: number }>;

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    byCode = Object.fromEntries(
      (
        (await t.http.get('/api/indicators').auth(admin, { type: 'bearer' })).body as {
          code: string;
          id: number;
          version: number;
        }[]
      ).map((i) => [i.code, i]),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('ships the Integrationsmonitoring definitions and only the facts DESIGN.md names', async () => {
    const list = (await t.http.get('/api/indicators').auth(admin, { type: 'bearer' }).expect(200)).body;
    expect(list.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['B2a', 'C1a', 'C2a', 'D4', 'E1a', 'E4', 'E6', 'I2', 'M2']),
    );
    const i2 = list.find((i: { code: string }) => i.code === 'I2');
    expect(i2).toMatchObject({
      name: 'Anteil Landtagsabgeordnete mit Migrationshintergrund',
      baselineValue: 19,
      baselineYear: 2021,
      actionFieldCode: '3.2',
    });
    expect(list.find((i: { code: string }) => i.code === 'KONTEXT-MH').baselineValue).toBe(37.2);
    expect(list.every((i: { values: unknown[] }) => i.values.length === 0)).toBe(true);
  });

  it('computes progress towards the target for a rising and a falling indicator, with baseline and target shown', async () => {
    const rising = byCode.B2a;
    let view = (
      await t.http
        .patch(`/api/indicators/${rising.id}`)
        .auth(admin, { type: 'bearer' })
        .send({
          version: rising.version,
          baselineYear: 2021,
          baselineValue: 2,
          targetYear: 2027,
          targetValue: 4,
        })
        .expect(200)
    ).body;
    expect(view).toMatchObject({ baselineValue: 2, targetValue: 4, progress: null });
    view = (
      await t.http
        .post(`/api/indicators/${rising.id}/values`)
        .auth(admin, { type: 'bearer' })
        .send({ year: 2024, group: 'gesamt', value: 3.5 })
        .expect(201)
    ).body;
    expect(view).toMatchObject({ latest: { year: 2024, value: 3.5 }, progress: 75 });

    const falling = byCode.E4;
    await t.http
      .patch(`/api/indicators/${falling.id}`)
      .auth(admin, { type: 'bearer' })
      .send({
        version: falling.version,
        baselineYear: 2021,
        baselineValue: 10,
        targetYear: 2027,
        targetValue: 6,
      })
      .expect(200);
    await t.http
      .post(`/api/indicators/${falling.id}/values`)
      .auth(admin, { type: 'bearer' })
      .send({ year: 2023, group: 'gesamt', value: 9 })
      .expect(201);
    view = (
      await t.http
        .post(`/api/indicators/${falling.id}/values`)
        .auth(admin, { type: 'bearer' })
        .send({ year: 2024, group: 'gesamt', value: 11 })
        .expect(201)
    ).body;
    expect(view.progress).toBe(-25);
    // Values of other groups do not count towards the total's progress.
    view = (
      await t.http
        .post(`/api/indicators/${falling.id}/values`)
        .auth(admin, { type: 'bearer' })
        .send({ year: 2025, group: 'mit Migrationshintergrund', value: 14 })
        .expect(201)
    ).body;
    expect(view).toMatchObject({ latest: { year: 2024 }, progress: -25 });
  });

  it('refuses a value for an unknown group, a malformed year and a duplicate, changing nothing', async () => {
    const id = byCode.C1a.id;
    const before = await databaseFingerprint(t.dataSource);
    const group = await t.http
      .post(`/api/indicators/${id}/values`)
      .auth(admin, { type: 'bearer' })
      .send({ year: 2024, group: 'Marsianer', value: 1 })
      .expect(400);
    expect(group.body.errors[0].messages[0]).toMatch(
      /unbekannte Gruppe „Marsianer“; erlaubt: gesamt, mit Migrationshintergrund/,
    );
    const year = await t.http
      .post(`/api/indicators/${id}/values`)
      .auth(admin, { type: 'bearer' })
      .send({ year: '2023/24', group: 'gesamt', value: 1 })
      .expect(400);
    expect(year.body.errors).toEqual([
      { field: 'year', messages: expect.arrayContaining(['muss eine Jahreszahl (JJJJ) sein']) },
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    await t.http
      .post(`/api/indicators/${id}/values`)
      .auth(admin, { type: 'bearer' })
      .send({ year: 2024, group: 'gesamt', value: 30 })
      .expect(201);
    await t.http
      .post(`/api/indicators/${id}/values`)
      .auth(admin, { type: 'bearer' })
      .send({ year: 2024, group: 'gesamt', value: 31 })
      .expect(409);
  });

  it('imports values from a workbook, all or nothing', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Werte');
    sheet.addRow(['Indikator', 'Jahr', 'Gruppe', 'Wert', 'Anmerkung']);
    sheet.addRow(['D4', 2023, 'gesamt', 88.5, 'Statistisches Landesamt']);
    sheet.addRow(['D4', 2024, 'ausländische Staatsangehörigkeit', '81,2', '']);
    const good = Buffer.from(await workbook.xlsx.writeBuffer());
    sheet.addRow(['D4', '2024/25', 'gesamt', 80, '']);
    sheet.addRow(['XX', 2024, 'gesamt', 80, '']);
    const bad = Buffer.from(await workbook.xlsx.writeBuffer());
    const upload = (file: Buffer) =>
      t.http
        .post('/api/indicators/imports')
        .auth(admin, { type: 'bearer' })
        .attach('file', file, 'werte.xlsx');
    const before = await databaseFingerprint(t.dataSource);
    const refused = await upload(bad).expect(400);
    expect(refused.body.errors).toEqual([
      { sheet: 'Werte', row: 4, column: 'Jahr', message: '„2024/25“ ist keine Jahreszahl (JJJJ).' },
      { sheet: 'Werte', row: 5, column: 'Indikator', message: 'Unbekannter Indikator „XX“.' },
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    const res = await upload(good).expect(200);
    expect(res.body).toMatchObject({ written: 2 });
    const d4 = (await t.http.get(`/api/indicators/${byCode.D4.id}`).auth(admin, { type: 'bearer' })).body;
    expect(
      d4.values.map((v: { year: number; group: string; value: number }) => [v.year, v.group, v.value]),
    ).toEqual([
      [2023, 'gesamt', 88.5],
      [2024, 'ausländische Staatsangehörigkeit', 81.2],
    ]);
  });
});

describe('governance in the demo and in the report', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  it('fills the Gremien, Beschlüsse, Indikatoren and Änderungen sheets', async () => {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' })).body as {
      id: number;
      code: string;
    }[];
    const cycle = cycles.find((c) => c.code === '2024-2025')!;
    const res = await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report`)
      .auth(admin, { type: 'bearer' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const workbook = await readWorkbook(res.body as Buffer);
    const bodies = sheetValues(workbook.getWorksheet('Gremien')!);
    expect(bodies).toContainEqual([
      'Ressortübergreifende Begleitgruppe',
      2025,
      2,
      '3–4',
      'unterschritten',
      'Arbeitsebene aller Ressorts',
    ]);
    expect(bodies).toContainEqual([
      'Steuerungsrunde',
      2024,
      1,
      '1',
      'eingehalten',
      'Staatsrät*innen aller Ressorts und der ZGF',
    ]);
    const decisions = sheetValues(workbook.getWorksheet('Beschlüsse')!).slice(1);
    expect(decisions.map((d) => d[3])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Die Vorkurse für neu zugewanderte Schüler\*innen \(3\.4-02\) werden bis zum 31\.12\.2026 verlängert/,
        ),
      ]),
    );
    expect(decisions.find((d) => String(d[3]).startsWith('Das Ressort legt ein Konzept'))).toEqual(
      expect.arrayContaining(['offen', 'ja', '3.13-02', 'Beispieldaten']),
    );
    const indicators = sheetValues(workbook.getWorksheet('Indikatoren')!);
    expect(indicators.find((r) => r[0] === 'B2a')).toEqual(
      expect.arrayContaining([2024, 2.9, 'Beispieldaten']),
    );
    const changes = sheetValues(workbook.getWorksheet('Änderungen')!).map((r) => r.join(' | '));
    expect(
      changes.some((line) =>
        /3\.4-02 .* Maßnahme verlängert .* Beschluss der Ressortübergreifende Begleitgruppe vom 16\.10\.2024/.test(
          line,
        ),
      ),
    ).toBe(true);
  });
});
