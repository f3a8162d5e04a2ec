/**
 * Fortschreibung: the framework changes by revisions (preview first, then applied all or nothing, audited);
 * measures keep their history; a closed cycle's report and dashboard stay as they were; the framework file and
 * the revisions agree at start; the Bremen figures name their true source.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import {
  createTestApp,
  databaseFingerprint,
  dropPostgresDatabase,
  ensurePostgresDatabase,
  tableCounts,
  testDatabasePath,
  TMP_DIR,
  type TestApp,
} from './helpers/test-app.js';
import { binaryParser, readWorkbook, sheetValues } from './helpers/workbooks.js';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database-options.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../src/database/migrations/index.js';
import type { FrameworkAtClose } from '../src/reporting/framework-at-close.js';
import { frameworkIds, newMeasure } from './factories/measure.factory.js';
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';

interface Cycle {
  id: number;
  code: string;
  state: string;
  periodStart: string;
  periodEnd: string;
}
interface MeasureItem {
  id: number;
  code: string;
  actionFieldId: number;
  leadDepartmentId: number;
  lifecycle: string;
}

/** Every cell value of every sheet, the report's own generation time left out. */
function workbookContent(workbook: ExcelJS.Workbook): Record<string, unknown[][]> {
  const content: Record<string, unknown[][]> = {};
  workbook.eachSheet((sheet) => {
    content[sheet.name] = sheetValues(sheet).map((row) =>
      (row ?? []).map((cell) =>
        typeof cell === 'string' ? cell.replace(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/g, '<Zeit>') : cell,
      ),
    );
  });
  return content;
}

/** What a dashboard says about a cycle (the parts about today and the moment of the answer left out). */
function dashboardNumbers(body: Record<string, unknown>): Record<string, unknown> {
  const { totals, byGoal, byActionField, byDepartment, changes, source, containsExampleData } = body;
  return { totals, byGoal, byActionField, byDepartment, changes, source, containsExampleData };
}

describe('framework revisions (Fortschreibung)', () => {
  let t: TestApp;
  let admin: string;
  let closed: Cycle;
  let open: Cycle;
  let reportBefore: Record<string, unknown[][]>;
  let dashboardBefore: Record<string, unknown>;

  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' });
  const report = async (cycleId: number) =>
    workbookContent(
      await readWorkbook(
        (
          await t.http
            .post(`/api/reporting-cycles/${cycleId}/report`)
            .auth(admin, { type: 'bearer' })
            .buffer(true)
            .parse(binaryParser)
            .expect(200)
        ).body as Buffer,
      ),
    );
  const measuresOf = async (query: string): Promise<MeasureItem[]> =>
    ((await get(`/api/measures?pageSize=200&${query}`).expect(200)).body as { items: MeasureItem[] }).items;
  const version = async (): Promise<string> =>
    ((await get('/api/framework').expect(200)).body as { version: string }).version;
  /** A revision as prepared now: at the framework's current version. */
  const versioned = async <T extends object>(body: T): Promise<T & { expectedVersion: string }> => ({
    ...body,
    expectedVersion: await version(),
  });
  const codes = async (path: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      ((await get(path).expect(200)).body as { code: string; id: number }[]).map((r) => [r.code, r.id]),
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    const cycles = (await get('/api/reporting-cycles').expect(200)).body as Cycle[];
    const frozen = cycles.filter((c) => c.state === 'closed' || c.state === 'published');
    closed = frozen[frozen.length - 1];
    open = cycles.find((c) => c.state !== 'closed' && c.state !== 'published')!;
    expect(closed).toBeDefined();
    expect(open).toBeDefined();
    // The database keeps times to the second, and a closed cycle counts what was recorded by its close: the
    // revisions below are made at least a second after the snapshot, as they would be in practice.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    reportBefore = await report(closed.id);
    dashboardBefore = dashboardNumbers((await get(`/api/dashboard?cycleId=${closed.id}`).expect(200)).body);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses to retire a field with active measures, naming them, and checks every change', async () => {
    const fields = await codes('/api/action-fields');
    const active = (await measuresOf(`actionFieldId=${fields['3.3']}`)).filter(
      (m) => m.lifecycle === 'active',
    );
    expect(active.length).toBeGreaterThan(0);
    const before = await databaseFingerprint(t.dataSource);
    const refused = await t.http
      .post('/api/framework/revisions/preview')
      .auth(admin, { type: 'bearer' })
      .send({
        expectedVersion: await version(),
        effectiveDate: '2026-03-01',
        reason: 'Test',
        versionLabel: 'X',
        changes: [{ kind: 'retire_field', code: '3.3' }],
      })
      .expect(409);
    expect(refused.body.code).toBe('FRAMEWORK.FIELD_HAS_ACTIVE_MEASURES');
    expect(refused.body.message).toContain('Handlungsfeld 3.3 kann nicht aufgehoben werden');
    for (const m of active) expect(refused.body.message).toContain(m.code);

    const invalid = await t.http
      .post('/api/framework/revisions')
      .auth(admin, { type: 'bearer' })
      .send({ effectiveDate: '2026-02-30', reason: '', changes: [{ kind: 'rename_everything' }] })
      .expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      expect.arrayContaining(['changes.0.kind', 'effectiveDate', 'reason', 'versionLabel']),
    );
    const incomplete = await t.http
      .post('/api/framework/revisions')
      .auth(admin, { type: 'bearer' })
      .send({
        expectedVersion: await version(),
        effectiveDate: '2026-03-01',
        reason: 'Test',
        versionLabel: 'X',
        changes: [
          { kind: 'add_field', code: '3.99', title: 'Neu' },
          {
            kind: 'split_field',
            code: '3.1',
            parts: [
              { code: '3.1a', title: 'A' },
              { code: '3.1b', title: 'B' },
            ],
          },
        ],
      })
      .expect(400);
    expect(incomplete.body.code).toBe('FRAMEWORK.REVISION_INVALID');
    expect(incomplete.body.message).toMatch(
      /^Änderung 2: jede aktive oder eingestellte Maßnahme des Handlungsfelds 3\.1 muss/,
    );
    // All or nothing: the field of the first change is not there either.
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    expect(Object.keys(await codes('/api/action-fields'))).not.toContain('3.99');
  });

  it('previews a revision without writing, then applies it; the closed cycle stays as it was closed', async () => {
    const fields = await codes('/api/action-fields');
    const departments = await codes('/api/departments');
    const sport = await measuresOf(`actionFieldId=${fields['3.11']}`);
    const activeSport = sport.filter((m) => m.lifecycle !== 'merged');
    expect(activeSport.length).toBeGreaterThanOrEqual(2);
    const education = [
      ...(await measuresOf(`leadDepartmentId=${departments.SKB}`)),
      ...(await measuresOf(`leadDepartmentId=${departments.UKW}`)),
    ];
    expect(education.length).toBeGreaterThan(0);
    const reportsBefore = new Map<number, number>();
    for (const m of [...sport, ...education])
      reportsBefore.set(m.id, (await get(`/api/measures/${m.id}/status-reports`).expect(200)).body.length);

    // Both take effect within the open cycle's period.
    const year = open.periodStart.slice(0, 4);
    const first = {
      effectiveDate: `${year}-03-01`,
      reason: 'Senatsbeschluss zur Fortschreibung der Handlungsfelder',
      versionLabel: 'Fortschreibung 2026',
      changes: [
        { kind: 'update_field', code: '3.3', title: 'Quartiere und Stadtteile' },
        { kind: 'add_field', code: '3.14', title: 'Digitale Teilhabe' },
        {
          kind: 'update_body',
          code: 'begleitgruppe',
          name: 'Ressortübergreifende Arbeitsgruppe',
          meetingsPerYear: { min: 6, max: 8 },
        },
        {
          kind: 'set_indicator',
          indicator: {
            code: 'E4',
            name: 'Erwerbslosenquote',
            unit: '%',
            source: 'Neue Quelle',
            actionFieldCode: '3.6',
            direction: 'lower_is_better',
          },
        },
      ],
    };
    const newCode = `3.16-${activeSport[0].code.split('-')[1]}`;
    const second = {
      effectiveDate: `${year}-06-01`,
      reason: 'Neuzuschnitt der Ressorts',
      versionLabel: 'Fortschreibung 2026-2',
      changes: [
        {
          kind: 'split_field',
          code: '3.11',
          parts: [
            { code: '3.15', title: 'Kultur und Religion' },
            { code: '3.16', title: 'Sport' },
          ],
          measures: activeSport.map((m, i) =>
            i === 0
              ? { measureCode: m.code, to: '3.16', newCode }
              : { measureCode: m.code, to: i % 2 ? '3.15' : '3.16' },
          ),
        },
        {
          kind: 'merge_departments',
          codes: ['SKB', 'UKW'],
          into: { code: 'BIW', name: 'Bildung und Wissenschaft' },
        },
      ],
    };

    // The preview runs the same revision and rolls it back: it lists what it touches and writes nothing.
    const fingerprint = await databaseFingerprint(t.dataSource);
    const preview = await t.http
      .post('/api/framework/revisions/preview')
      .auth(admin, { type: 'bearer' })
      .send(await versioned(second))
      .expect(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      revisionId: null,
      versionAfter: 'Fortschreibung 2026-2',
    });
    const previewed = new Set(preview.body.effects.measures.map((m: { id: number }) => m.id));
    for (const m of [...sport, ...education]) expect(previewed).toContain(m.id);
    expect(preview.body.effects.measures).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: 'beteiligt: SKB', to: 'beteiligt: BIW' })]),
    );
    expect(preview.body.effects.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'bildung@demo.local', from: 'SKB', to: 'BIW' }),
      ]),
    );
    expect(preview.body.effects.bodies).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'steuerungsrunde' })]),
    );
    expect(await databaseFingerprint(t.dataSource)).toBe(fingerprint);

    const applied1 = await t.http
      .post('/api/framework/revisions')
      .auth(admin, { type: 'bearer' })
      .send(await versioned(first))
      .expect(201);
    const applied2 = await t.http
      .post('/api/framework/revisions')
      .auth(admin, { type: 'bearer' })
      .send(await versioned(second))
      .expect(201);
    expect(applied2.body.effects).toEqual(preview.body.effects);

    // The closed cycle: the same report, cell for cell, and the same dashboard numbers.
    expect(await report(closed.id)).toEqual(reportBefore);
    expect(dashboardNumbers((await get(`/api/dashboard?cycleId=${closed.id}`).expect(200)).body)).toEqual(
      dashboardBefore,
    );

    // The open cycle and the current lists show the new structure.
    const nowFields = (await get('/api/action-fields').expect(200)).body as { code: string; title: string }[];
    expect(nowFields.map((f) => f.code)).toEqual(expect.arrayContaining(['3.3', '3.14', '3.15', '3.16']));
    expect(nowFields.map((f) => f.code)).not.toContain('3.11');
    expect(nowFields.find((f) => f.code === '3.3')?.title).toBe('Quartiere und Stadtteile');
    const nowDepartments = Object.keys(await codes('/api/departments'));
    expect(nowDepartments).toContain('BIW');
    expect(nowDepartments).not.toContain('SKB');
    const draft = await report(open.id);
    const fieldRows = draft.Handlungsfelder.map((row) => String(row[0] ?? ''));
    expect(fieldRows).toEqual(expect.arrayContaining(['3.14', '3.15', '3.16']));
    expect(fieldRows).not.toContain('3.11');
    expect(draft.Ressorts.map((row) => String(row[0] ?? ''))).toContain('BIW');
    expect(draft.Fortschreibung.slice(1).map((row) => row[2])).toEqual([
      'Handlungsfeld 3.3: „Stärkung der Quartiere mit stadtweiten Integrationsaufgaben“ → „Quartiere und Stadtteile“',
      'Handlungsfeld 3.14 „Digitale Teilhabe“ neu',
      'Gremium begleitgruppe: Name „Ressortübergreifende Begleitgruppe“ → „Ressortübergreifende Arbeitsgruppe“; Turnus 3–4 → 6–8',
      expect.stringMatching(/^Indikator E4: .*source.* geändert$/),
      'Handlungsfeld 3.11 „Kultur, Religion und Sport“ geteilt in 3.15 „Kultur und Religion“, 3.16 „Sport“',
      'Ressorts SKB, UKW zusammengelegt zu BIW „Bildung und Wissenschaft“',
    ]);
    expect(draft.Gremien.flat()).toContain('Ressortübergreifende Arbeitsgruppe');
    expect(draft.Indikatoren.flat()).toContain('Neue Quelle');
    expect(reportBefore.Indikatoren.flat()).not.toContain('Neue Quelle');
    expect(draft.Fortschreibung[1][3]).toBe(first.reason);
    expect(reportBefore.Fortschreibung).toBeUndefined();
    const live = (await get('/api/dashboard').expect(200)).body as {
      byActionField: { code: string }[];
      byDepartment: { code: string }[];
    };
    expect(live.byActionField.map((f) => f.code)).toContain('3.14');
    expect(live.byDepartment.map((d) => d.code)).toContain('BIW');

    // Every moved measure reads back where it came from, with its status reports.
    for (const m of [...sport, ...education]) {
      const detail = (await get(`/api/measures/${m.id}`).expect(200)).body;
      expect(detail.history).toEqual([
        expect.objectContaining({ revisionId: applied2.body.revisionId, codeBefore: m.code }),
      ]);
      expect((await get(`/api/measures/${m.id}/status-reports`).expect(200)).body.length).toBe(
        reportsBefore.get(m.id),
      );
    }
    const renamed = (await get(`/api/measures/${activeSport[0].id}`).expect(200)).body;
    expect(renamed.code).toBe(newCode);
    expect(renamed.history[0]).toMatchObject({
      codeBefore: activeSport[0].code,
      codeAfter: newCode,
      actionFieldCodeBefore: '3.11',
      actionFieldCodeAfter: '3.16',
      effectiveDate: second.effectiveDate,
    });
    const merged = (await get(`/api/measures/${education[0].id}`).expect(200)).body;
    expect(merged.history[0].leadDepartmentCodeAfter).toBe('BIW');
    expect(merged.leadDepartmentId).toBe((await codes('/api/departments')).BIW);

    // Bodies over time: the Steuerungsrunde keeps its earlier members on record; a meeting shows who was a
    // member on its day.
    const bodies = (await get('/api/governance/bodies').expect(200)).body as {
      id: number;
      code: string;
      members: { departmentCode: string; from?: string | null; to?: string | null }[];
    }[];
    const steering = bodies.find((b) => b.code === 'steuerungsrunde')!;
    const dayBefore = `${year}-05-31`;
    expect(steering.members.filter((m) => ['SKB', 'UKW', 'BIW'].includes(m.departmentCode))).toEqual([
      expect.objectContaining({ departmentCode: 'SKB', to: dayBefore }),
      expect.objectContaining({ departmentCode: 'UKW', to: dayBefore }),
      expect.objectContaining({ departmentCode: 'BIW', from: second.effectiveDate }),
    ]);
    const meetingOn = async (date: string): Promise<string[]> => {
      const created = await t.http
        .post('/api/meetings')
        .auth(admin, { type: 'bearer' })
        .send({ bodyId: steering.id, date, title: 'Sitzung der Steuerungsrunde' })
        .expect(201);
      const meeting = (await get(`/api/meetings/${created.body.id}`).expect(200)).body as {
        members: { departmentCode: string }[];
      };
      return meeting.members.map((m) => m.departmentCode);
    };
    const earlier = await meetingOn(`${year}-05-20`);
    expect(earlier).toEqual(expect.arrayContaining(['SKB', 'UKW']));
    expect(earlier).not.toContain('BIW');
    const later = await meetingOn(`${year}-06-20`);
    expect(later).toContain('BIW');
    expect(later).not.toContain('SKB');

    // The account moved with its department; the framework carries the new label; the revisions are kept.
    const bildung = await t.login('bildung@demo.local');
    expect(
      (await t.http.get('/api/auth/me').auth(bildung, { type: 'bearer' }).expect(200)).body.departmentId,
    ).toBe((await codes('/api/departments')).BIW);
    expect((await get('/api/framework').expect(200)).body.version).toBe('Fortschreibung 2026-2');
    const list = (await get('/api/framework/revisions').expect(200)).body as Record<string, unknown>[];
    expect(list.slice(0, 2)).toEqual([
      expect.objectContaining({
        id: applied2.body.revisionId,
        versionBefore: 'Fortschreibung 2026',
        versionAfter: 'Fortschreibung 2026-2',
        source: 'api',
        authorName: expect.stringContaining('admin@demo.local'),
      }),
      expect.objectContaining({
        id: applied1.body.revisionId,
        versionBefore: '2021.1',
        reason: first.reason,
      }),
    ]);
    const audited = await t.dataSource.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS "n" FROM "audit_entries" WHERE "action" = 'framework_revision'`,
    );
    expect(Number(audited[0].n)).toBeGreaterThan(0);
  });

  it('splits a department as assigned, merges two fields, retires an empty one, and refuses an incomplete split', async () => {
    const departments = await codes('/api/departments');
    // Every measure that counts in the department's figures is assigned, discontinued ones too.
    const health = (await measuresOf(`leadDepartmentId=${departments.GFV}`)).filter(
      (m) => m.lifecycle !== 'merged',
    );
    expect(health.length).toBeGreaterThanOrEqual(2);
    const current = await version();
    const body = (changes: object[]) => ({
      expectedVersion: current,
      effectiveDate: `${open.periodStart.slice(0, 4)}-09-01`,
      reason: 'Zuschnitt Gesundheit',
      versionLabel: 'Fortschreibung 2026-3',
      changes,
    });
    const split = {
      kind: 'split_department',
      code: 'GFV',
      parts: [
        { code: 'GES', name: 'Gesundheit' },
        { code: 'FRV', name: 'Frauen und Verbraucherschutz' },
      ],
      measures: health.map((m, i) => ({ measureCode: m.code, to: i === 0 ? 'FRV' : 'GES' })),
    };
    const missing = await t.http
      .post('/api/framework/revisions/preview')
      .auth(admin, { type: 'bearer' })
      .send(body([{ ...split, measures: split.measures.slice(1) }]))
      .expect(400);
    expect(missing.body.message).toContain(`es fehlen: ${health[0].code}`);
    const fields = await codes('/api/action-fields');
    const language = await measuresOf(`actionFieldId=${fields['3.1']}`);
    const applied = await t.http
      .post('/api/framework/revisions')
      .auth(admin, { type: 'bearer' })
      .send(
        body([
          split,
          {
            kind: 'merge_fields',
            codes: ['3.1', '3.14'],
            into: { code: '3.1', title: 'Sprache und digitale Teilhabe' },
          },
          { kind: 'add_field', code: '3.17', title: 'Vorübergehend' },
          { kind: 'retire_field', code: '3.17' },
        ]),
      )
      .expect(201);
    expect(applied.body.effects.lines).toEqual([
      'Ressort GFV „Gesundheit, Frauen und Verbraucherschutz“ geteilt in GES „Gesundheit“, FRV „Frauen und Verbraucherschutz“',
      'Handlungsfelder 3.1, 3.14 zusammengelegt zu 3.1 „Sprache und digitale Teilhabe“',
      'Handlungsfeld 3.17 „Vorübergehend“ neu',
      'Handlungsfeld 3.17 „Vorübergehend“ aufgehoben',
    ]);
    const now = await codes('/api/departments');
    expect((await get(`/api/measures/${health[0].id}`).expect(200)).body.leadDepartmentId).toBe(now.FRV);
    expect((await get(`/api/measures/${health[1].id}`).expect(200)).body.leadDepartmentId).toBe(now.GES);
    expect(Object.keys(now)).not.toContain('GFV');
    const fieldCodes = Object.keys(await codes('/api/action-fields'));
    expect(fieldCodes).toContain('3.1');
    expect(fieldCodes).not.toContain('3.14');
    expect(fieldCodes).not.toContain('3.17');
    // A retired field or department takes no measure any more: not on create, not by moving one there.
    const retiredId = async (table: string, code: string): Promise<number> =>
      Number(
        (
          await t.dataSource.query<{ id: number }[]>(`SELECT "id" FROM "${table}" WHERE "code" = '${code}'`)
        )[0].id,
      );
    const retiredField = await retiredId('action_fields', '3.17');
    const retiredDepartment = await retiredId('departments', 'GFV');
    const template = (await get(`/api/measures/${health[1].id}`).expect(200)).body as {
      goalIds: number[];
      version: number;
    };
    const refused = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send({
        code: '3.1-99',
        title: 'Im aufgehobenen Handlungsfeld',
        actionFieldId: retiredField,
        goalIds: template.goalIds,
        leadDepartmentId: retiredDepartment,
        level: 'land',
      })
      .expect(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([
        {
          field: 'actionFieldId',
          messages: [
            expect.stringMatching(
              /^Handlungsfeld 3\.17 ist seit \d{2}\.09\.\d{4} nicht mehr Teil des Rahmenkonzepts$/,
            ),
          ],
        },
        {
          field: 'leadDepartmentId',
          messages: [expect.stringMatching(/^Ressort GFV ist seit .* nicht mehr Teil des Rahmenkonzepts$/)],
        },
      ]),
    );
    await t.http
      .patch(`/api/measures/${health[1].id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: template.version, leadDepartmentId: retiredDepartment })
      .expect(400);
    // Measures that stay in the surviving field are not moved by this revision.
    for (const m of language) {
      const history = (await get(`/api/measures/${m.id}`).expect(200)).body.history as {
        revisionId: number;
      }[];
      expect(history.filter((h) => h.revisionId === applied.body.revisionId)).toEqual([]);
    }
  });

  it('keeps the revised framework and loads nothing again when restarted on the same database', async () => {
    const before = await tableCounts(t.dataSource);
    const fields = (await get('/api/action-fields').expect(200)).body as { code: string }[];
    await t.app.close();
    t = await createTestApp({ DATABASE_PATH: t.databasePath });
    expect(await tableCounts(t.dataSource)).toEqual(before);
    admin = await t.login('admin@demo.local');
    expect((await get('/api/action-fields').expect(200)).body).toEqual(
      fields.map((f): unknown => expect.objectContaining({ code: f.code })),
    );
    expect((await get('/api/framework').expect(200)).body.version).toBe('Fortschreibung 2026-3');
  });
});

describe('upgrading a database with closed cycles', () => {
  it('gives the snapshots taken before the framework was kept with them the framework as the tables hold it', async () => {
    const location = testDatabasePath('revisions-upgrade');
    const onPostgres = location.startsWith('postgres');
    const options = buildDataSourceOptions({
      DATABASE_URL: onPostgres ? location : undefined,
      DATABASE_PATH: onPostgres ? 'unused.sqlite' : location,
    });
    const all = onPostgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
    const index = all.findIndex((m) => m.name.startsWith('FrameworkRevisions'));
    if (onPostgres) await ensurePostgresDatabase(location);
    const before = new DataSource({ ...options, migrations: all.slice(0, index) });
    await before.initialize();
    try {
      await before.runMigrations();
      const insert = (sql: string) => before.query(sql);
      await insert(
        `INSERT INTO "frameworks" ("code", "name", "region", "adopted", "version", "targetGroups", "sourceFile") VALUES ('bremen', 'Rahmenkonzept', 'Bremen', '2021', '2021.1', '[]', 'datei.json')`,
      );
      await insert(`INSERT INTO "goals" ("code", "title", "sortOrder") VALUES ('2.1', 'Teilhabe', 1)`);
      await insert(
        `INSERT INTO "action_fields" ("code", "title", "sortOrder") VALUES ('3.1', 'Sprache', 1), ('3.11', 'Kultur und Sport', 2)`,
      );
      await insert(`INSERT INTO "departments" ("code", "name", "sortOrder") VALUES ('SKB', 'Bildung', 1)`);
      await insert(
        `INSERT INTO "governance_bodies" ("code", "name", "minMeetingsPerYear", "maxMeetingsPerYear", "members", "sortOrder") VALUES ('steuerungsrunde', 'Steuerungsrunde', 1, NULL, '[]', 1)`,
      );
      await insert(
        `INSERT INTO "reporting_cycles" ("code", "name", "periodStart", "periodEnd", "inputDeadline", "state", "version") VALUES ('2022-2023', 'Bericht 2022–2023', '2022-01-01', '2023-12-31', '2024-01-31', 'closed', 1)`,
      );
      await insert(`INSERT INTO "cycle_snapshots" ("cycleId", "measureCount") VALUES (1, 0)`);
    } finally {
      await before.destroy();
    }
    const db = new DataSource({ ...options, migrations: all });
    await db.initialize();
    try {
      await db.runMigrations();
      const [row] = await db.query<{ framework: string }[]>(`SELECT "framework" FROM "cycle_snapshots"`);
      const frozen = JSON.parse(row.framework) as FrameworkAtClose;
      expect(frozen).toEqual({
        version: '2021.1',
        goals: [expect.objectContaining({ code: '2.1', title: 'Teilhabe', sortOrder: 1 })],
        actionFields: [
          expect.objectContaining({ code: '3.1', title: 'Sprache' }),
          expect.objectContaining({ code: '3.11', title: 'Kultur und Sport' }),
        ],
        departments: [expect.objectContaining({ code: 'SKB', name: 'Bildung', title: 'Bildung' })],
        bodies: [
          expect.objectContaining({ code: 'steuerungsrunde', title: 'Steuerungsrunde', min: 1, max: null }),
        ],
      });
    } finally {
      await db.destroy();
      if (onPostgres) await dropPostgresDatabase(location);
    }
  });
});

describe('revisions keep every counted measure in the figures and refuse a stale preview', () => {
  let t: TestApp;
  let admin: string;
  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' });
  const version = async (): Promise<string> =>
    ((await get('/api/framework').expect(200)).body as { version: string }).version;
  const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);
  const revision = (expectedVersion: string, versionLabel: string, changes: object[]) => ({
    expectedVersion,
    effectiveDate: '2026-07-01',
    reason: 'Prüfung der Fortschreibung',
    versionLabel,
    changes,
  });
  const codes = async (path: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      ((await get(path).expect(200)).body as { code: string; id: number }[]).map((r) => [r.code, r.id]),
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists a closed cycle whose snapshot kept no framework by the fields and departments its measures had', async () => {
    const cycles = (await get('/api/reporting-cycles').expect(200)).body as Cycle[];
    const closed = cycles.filter((c) => c.state === 'closed' || c.state === 'published').pop()!;
    // A snapshot taken before the framework was kept with it.
    await t.dataSource.query(
      `UPDATE "cycle_snapshots" SET "framework" = NULL WHERE "cycleId" = ${closed.id}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    type Numbers = {
      totals: { total: number };
      byActionField: { code: string; total: number }[];
      byDepartment: { code: string; total: number }[];
    };
    const numbers = async () =>
      (await get(`/api/dashboard?cycleId=${closed.id}`).expect(200)).body as Numbers;
    const before = await numbers();
    const fields = await codes('/api/action-fields');
    const sport = (
      (await get(`/api/measures?pageSize=200&actionFieldId=${fields['3.11']}`).expect(200)).body as {
        items: MeasureItem[];
      }
    ).items;
    await post(
      '/api/framework/revisions',
      revision(await version(), 'Fortschreibung 2026', [
        {
          kind: 'split_field',
          code: '3.11',
          parts: [
            { code: '3.15', title: 'Kultur und Religion' },
            { code: '3.16', title: 'Sport' },
          ],
          measures: sport.map((m, i) => ({ measureCode: m.code, to: i % 2 ? '3.15' : '3.16' })),
        },
        { kind: 'merge_departments', codes: ['SKB', 'UKW'], into: { code: 'BIW', name: 'Bildung' } },
      ]),
    ).expect(201);
    const after = await numbers();
    const sum = (list: { total: number }[]) => list.reduce((n, g) => n + g.total, 0);
    expect(sum(after.byActionField)).toBe(after.totals.total);
    expect(sum(after.byDepartment)).toBe(after.totals.total);
    expect(after.byActionField).toEqual(before.byActionField);
    expect(after.byDepartment).toEqual(before.byDepartment);
    expect(after.byActionField.map((f) => f.code)).not.toContain('3.15');
    expect(after.byDepartment.map((d) => d.code)).not.toContain('BIW');
  });

  it('refuses to retire a field or department with a discontinued measure, and a split must place it', async () => {
    await post(
      '/api/framework/revisions',
      revision(await version(), 'Fortschreibung 2026-2', [
        { kind: 'add_field', code: '3.20', title: 'Erprobung' },
        { kind: 'add_department', code: 'TST', name: 'Erprobungsstelle' },
      ]),
    ).expect(201);
    const ids = await frameworkIds(t, admin);
    const created = await post(
      '/api/measures',
      newMeasure(ids, {
        code: '3.20-01',
        actionFieldId: ids.fields['3.20'],
        leadDepartmentId: ids.departments.TST,
        participatingDepartmentIds: [],
      }),
    ).expect(201);
    await post(`/api/measures/${created.body.id}/lifecycle`, {
      version: created.body.version,
      lifecycle: 'discontinued',
      reason: 'Erprobung beendet',
    }).expect(200);
    const fingerprint = await databaseFingerprint(t.dataSource);
    const current = await version();
    const field = await post(
      '/api/framework/revisions/preview',
      revision(current, 'X', [{ kind: 'retire_field', code: '3.20' }]),
    ).expect(409);
    expect(field.body.code).toBe('FRAMEWORK.FIELD_HAS_ACTIVE_MEASURES');
    expect(field.body.message).toMatch(
      /Handlungsfeld 3\.20 kann nicht aufgehoben werden.*eingestellte.*3\.20-01/,
    );
    const department = await post(
      '/api/framework/revisions',
      revision(current, 'X', [{ kind: 'retire_department', code: 'TST' }]),
    ).expect(409);
    expect(department.body.code).toBe('FRAMEWORK.DEPARTMENT_IN_USE');
    expect(department.body.message).toContain('3.20-01');
    const split = {
      kind: 'split_field',
      code: '3.20',
      parts: [
        { code: '3.21', title: 'Erprobung A' },
        { code: '3.22', title: 'Erprobung B' },
      ],
    };
    const unplaced = await post('/api/framework/revisions', revision(current, 'X', [split])).expect(400);
    expect(unplaced.body.message).toContain('es fehlen: 3.20-01');
    expect(await databaseFingerprint(t.dataSource)).toBe(fingerprint);
    await post(
      '/api/framework/revisions',
      revision(current, 'Fortschreibung 2026-3', [
        { ...split, measures: [{ measureCode: '3.20-01', to: '3.22' }] },
      ]),
    ).expect(201);
    const moved = (await get(`/api/measures/${created.body.id}`).expect(200)).body as MeasureItem;
    expect(moved.actionFieldId).toBe((await codes('/api/action-fields'))['3.22']);
  });

  it('refuses a revision prepared at a version the framework has left, on the API and on the page', async () => {
    const x = await version();
    const prepared = revision(x, 'Fortschreibung A', [
      { kind: 'update_goal', code: '2.1', description: 'Neu beschrieben A' },
    ]);
    const preview = await post('/api/framework/revisions/preview', prepared).expect(200);
    expect(preview.body.versionBefore).toBe(x);
    const missing = await post('/api/framework/revisions', {
      ...prepared,
      expectedVersion: undefined,
    }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('expectedVersion');
    // Someone else applies a revision in between.
    await post(
      '/api/framework/revisions',
      revision(x, 'Fortschreibung B', [
        { kind: 'update_goal', code: '2.2', description: 'Neu beschrieben B' },
      ]),
    ).expect(201);
    const fingerprint = await databaseFingerprint(t.dataSource);
    const stale = await post('/api/framework/revisions', prepared).expect(409);
    expect(stale.body.code).toBe('FRAMEWORK.VERSION_CHANGED');
    expect(stale.body.message).toContain(
      `Das Rahmenkonzept wurde inzwischen fortgeschrieben: Es hat jetzt die Version Fortschreibung B, die Fortschreibung wurde auf der Version ${x} vorbereitet.`,
    );
    expect(await databaseFingerprint(t.dataSource)).toBe(fingerprint);

    // The page: the preview carries the version it showed; applying it after another revision is refused,
    // and the form then takes the version now.
    const csrf = csrfToken(t.app.get(AuthService).csrfSecret, admin);
    const page = (path: string, form: Record<string, string>) =>
      t.http
        .post(path)
        .set('Cookie', `${SESSION_COOKIE}=${admin}`)
        .type('form')
        .send({ _csrf: csrf, ...form });
    const form = {
      effectiveDate: '01.08.2026',
      reason: 'Beschreibung des Ziels',
      versionLabel: 'Fortschreibung C',
      changes: JSON.stringify([{ kind: 'update_goal', code: '2.1', description: 'Neu beschrieben C' }]),
    };
    const opened = await t.http.get('/rahmenkonzept').set('Cookie', `${SESSION_COOKIE}=${admin}`).expect(200);
    expect(opened.text).toContain('name="expectedVersion" value="Fortschreibung B"');
    const shown = await page('/rahmenkonzept/vorschau', {
      ...form,
      expectedVersion: 'Fortschreibung B',
    }).expect(200);
    expect(shown.text).toContain('name="expectedVersion" value="Fortschreibung B"');
    await post(
      '/api/framework/revisions',
      revision('Fortschreibung B', 'Fortschreibung D', [
        { kind: 'update_goal', code: '2.2', description: 'Neu beschrieben D' },
      ]),
    ).expect(201);
    const before = await databaseFingerprint(t.dataSource);
    const refused = await page('/rahmenkonzept/fortschreibung', {
      ...form,
      expectedVersion: 'Fortschreibung B',
    }).expect(409);
    expect(refused.text).toContain('Das Rahmenkonzept wurde inzwischen fortgeschrieben');
    expect(refused.text).toContain('name="expectedVersion" value="Fortschreibung D"');
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });
});

describe('framework file and revisions at start', () => {
  const shipped = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as {
    framework: { version: string };
    actionFields: { code: string; title: string }[];
    indicators: { code: string; source?: string; groups?: string[] }[];
  };
  const write = (name: string, content: object): string => {
    const file = join(TMP_DIR, `${name}-${process.pid}.test.json`);
    writeFileSync(file, JSON.stringify(content, null, 2));
    return file;
  };

  it('names the true source of the Bremen figures and gives D4 its citizenship groups', async () => {
    const t = await createTestApp({ DEMO: 'false' });
    try {
      const rows = await t.dataSource.query<
        { code: string; source: string; baselineNote: string; groups: string }[]
      >(
        `SELECT "code", "source", "baselineNote", "groups" FROM "indicators" WHERE "code" IN ('KONTEXT-MH', 'KONTEXT-WB', 'I2', 'D4') ORDER BY "code"`,
      );
      const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
      for (const code of ['KONTEXT-MH', 'KONTEXT-WB', 'I2']) {
        expect(byCode[code].source).toBe('Integrationsmonitoring der Länder, 7. Bericht (2023)');
        expect(byCode[code].baselineNote).not.toContain('laut Rahmenkonzept');
      }
      expect(JSON.parse(byCode.D4.groups)).toEqual([
        'gesamt',
        'deutsche Staatsangehörigkeit',
        'ausländische Staatsangehörigkeit',
      ]);
    } finally {
      await t.close();
    }
  });

  it('applies a file of a higher version once as a revision; refuses a changed or older file of the same framework', async () => {
    const databasePath = testDatabasePath('file-revisions');
    // A database that took the framework at version 2021, with the sources as the 2021 file gave them.
    const old = structuredClone(shipped);
    old.framework.version = '2021';
    for (const indicator of old.indicators) {
      if (indicator.code.startsWith('KONTEXT'))
        indicator.source = 'Rahmenkonzept gesellschaftliche Teilhabe und Diversity (2021)';
      if (indicator.code === 'D4') delete indicator.groups;
    }
    const oldFile = write('framework-2021', old);
    const first = await createTestApp({
      FRAMEWORK_FILE: oldFile,
      DATABASE_PATH: databasePath,
      KEEP_DATABASE: '1',
    });
    const d4 = async (app: TestApp) =>
      JSON.parse(
        (
          await app.dataSource.query<{ groups: string }[]>(
            `SELECT "groups" FROM "indicators" WHERE "code" = 'D4'`,
          )
        )[0].groups,
      ) as string[];
    expect(await d4(first)).toEqual(['gesamt', 'mit Migrationshintergrund', 'ohne Migrationshintergrund']);
    await first.app.close();

    // The same version with other content: refused, naming the first difference; nothing written.
    const changed = structuredClone(old);
    changed.actionFields[2].title = 'Quartiere (geändert)';
    changed.actionFields.push({ code: '3.14', title: 'Neu' });
    await expect(
      createTestApp({
        FRAMEWORK_FILE: write('framework-same', changed),
        DATABASE_PATH: databasePath,
        KEEP_DATABASE: '1',
      }),
    ).rejects.toThrow(
      /Version 2021 ab, die Version ist aber dieselbe \(erster Unterschied: actionFields\[2\]\.title: „Quartiere \(geändert\)“ statt „Stärkung der Quartiere mit stadtweiten Integrationsaufgaben“\)/,
    );
    const older = structuredClone(old);
    older.framework.version = '2020';
    await expect(
      createTestApp({
        FRAMEWORK_FILE: write('framework-older', older),
        DATABASE_PATH: databasePath,
        KEEP_DATABASE: '1',
      }),
    ).rejects.toThrow(/Version 2020, übernommen ist bereits 2021; eine ältere Fassung wird nicht geladen/);

    // The shipped file (a higher version): applied as one revision, audited; the next start applies nothing.
    const shippedCopy = join(TMP_DIR, `bremen-${process.pid}.test.json`);
    copyFileSync('data/frameworks/bremen-2021.json', shippedCopy);
    const second = await createTestApp({
      FRAMEWORK_FILE: shippedCopy,
      DATABASE_PATH: databasePath,
      KEEP_DATABASE: '1',
    });
    try {
      const token = await second.login('admin@demo.local');
      const revisions = (
        await second.http.get('/api/framework/revisions').auth(token, { type: 'bearer' }).expect(200)
      ).body as {
        source: string;
        versionBefore: string;
        versionAfter: string;
        effects: { lines: string[] };
      }[];
      expect(revisions).toHaveLength(1);
      expect(revisions[0]).toMatchObject({
        source: 'file',
        versionBefore: '2021',
        versionAfter: shipped.framework.version,
      });
      expect(revisions[0].effects.lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Indikator D4: groups geändert$/),
          expect.stringMatching(/^Indikator KONTEXT-MH: .*source/),
        ]),
      );
      expect(await d4(second)).toEqual([
        'gesamt',
        'deutsche Staatsangehörigkeit',
        'ausländische Staatsangehörigkeit',
      ]);
      const audit = await second.dataSource.query<{ n: string | number }[]>(
        `SELECT COUNT(*) AS "n" FROM "audit_entries" WHERE "action" = 'framework_load' AND "entity" = 'FrameworkRevision'`,
      );
      expect(Number(audit[0].n)).toBe(1);
      const counts = await tableCounts(second.dataSource);
      await second.app.close();
      const third = await createTestApp({ FRAMEWORK_FILE: shippedCopy, DATABASE_PATH: databasePath });
      try {
        expect(await tableCounts(third.dataSource)).toEqual(counts);
      } finally {
        await third.close();
      }
    } catch (error) {
      await second.close();
      throw error;
    }
  });

  it('compares a file with the database after revisions on the page; refuses a file that would undo them', async () => {
    const databasePath = testDatabasePath('file-after-page');
    const old = structuredClone(shipped);
    old.framework.version = '2021';
    const first = await createTestApp({
      FRAMEWORK_FILE: write('framework-base', old),
      DATABASE_PATH: databasePath,
      KEEP_DATABASE: '1',
    });
    const token = await first.login('admin@demo.local');
    const onPage = await first.http
      .post('/api/framework/revisions')
      .auth(token, { type: 'bearer' })
      .send({
        expectedVersion: '2021',
        effectiveDate: '2026-03-01',
        reason: 'Senatsbeschluss vom 24.02.2026',
        versionLabel: 'Fortschreibung 2026',
        changes: [
          { kind: 'update_field', code: '3.3', title: 'Quartiere und Stadtteile' },
          { kind: 'add_field', code: '3.14', title: 'Digitale Teilhabe' },
        ],
      })
      .expect(201);
    await first.app.close();

    // A file written before that revision: it would undo it, so it is refused, naming the revision.
    const stale = structuredClone(old);
    stale.framework.version = '2022';
    stale.actionFields.push({ code: '3.18', title: 'Neu aus der Datei' });
    await expect(
      createTestApp({
        FRAMEWORK_FILE: write('framework-stale', stale),
        DATABASE_PATH: databasePath,
        KEEP_DATABASE: '1',
      }),
    ).rejects.toThrow(
      new RegExp(
        `Seit der Datei der Version 2021 wurde das Rahmenkonzept über die Seite oder die API fortgeschrieben \\(Nr\\. ${onPage.body.revisionId} „Fortschreibung 2026“, gültig ab 01\\.03\\.2026: Senatsbeschluss vom 24\\.02\\.2026\\)\\. Die Datei der Version 2022 würde das rückgängig machen \\(Handlungsfeld 3\\.3, Handlungsfeld 3\\.14\\)`,
      ),
    );

    // A file that carries the revision and adds a field: compared with the database, only the new field.
    const carried = structuredClone(stale);
    carried.actionFields[2].title = 'Quartiere und Stadtteile';
    carried.actionFields.splice(13, 0, { code: '3.14', title: 'Digitale Teilhabe' });
    const second = await createTestApp({
      FRAMEWORK_FILE: write('framework-carried', carried),
      DATABASE_PATH: databasePath,
    });
    try {
      const admin = await second.login('admin@demo.local');
      const revisions = (
        await second.http.get('/api/framework/revisions').auth(admin, { type: 'bearer' }).expect(200)
      ).body as {
        source: string;
        versionBefore: string;
        versionAfter: string;
        effects: { lines: string[] };
      }[];
      expect(revisions[0]).toMatchObject({
        source: 'file',
        versionBefore: 'Fortschreibung 2026',
        versionAfter: '2022',
        effects: { lines: ['Handlungsfeld 3.18 „Neu aus der Datei“ neu'] },
      });
      const fields = (await second.http.get('/api/action-fields').auth(admin, { type: 'bearer' }).expect(200))
        .body as { code: string; title: string }[];
      expect(fields.find((f) => f.code === '3.3')?.title).toBe('Quartiere und Stadtteile');
      expect(fields.filter((f) => f.code === '3.14')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
