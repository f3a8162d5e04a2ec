/**
 * Upgrading a database that already holds measures: the migrations after the first build the status counts
 * and the natural sort keys from the rows that are there, and from then on the triggers keep them in step;
 * the Plans migration gives every plan-bound row its plan and keeps everything else as it was.
 * Runs on SQLite and on PostgreSQL.
 */
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database-options.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../src/database/migrations/index.js';
import { statusCountDrift } from './helpers/status-counts.js';
import { dropPostgresDatabase, ensurePostgresDatabase, testDatabasePath } from './helpers/test-app.js';

describe('upgrading a database with data', () => {
  const location = testDatabasePath('migrations');
  const onPostgres = location.startsWith('postgres');
  const options = buildDataSourceOptions({
    DATABASE_URL: onPostgres ? location : undefined,
    DATABASE_PATH: onPostgres ? 'unused.sqlite' : location,
  });
  const all = onPostgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
  let db: DataSource;

  beforeAll(async () => {
    if (onPostgres) await ensurePostgresDatabase(location);
    // The database as the first release left it: the initial schema, with measures in it.
    const first = new DataSource({ ...options, migrations: all.slice(0, 1) });
    await first.initialize();
    await first.runMigrations();
    const insert = (sql: string) => first.query(sql);
    await insert(
      `INSERT INTO "departments" ("code", "name") VALUES ('SKB', 'Kinder und Bildung'), ('ASJI', 'Soziales')`,
    );
    await insert(
      `INSERT INTO "action_fields" ("code", "title") VALUES ('3.2', 'Bildung'), ('3.10', 'Sport')`,
    );
    await insert(`INSERT INTO "goals" ("code", "title") VALUES ('2.1', 'Teilhabe'), ('2.2', 'Vielfalt')`);
    const measure = (code: string, field: number, department: number, rest: string) =>
      insert(
        `INSERT INTO "measures" ("code", "title", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "version", "lifecycle", "status", "progress")
         VALUES ('${code}', 'Maßnahme ${code}', ${field}, ${department}, 'land', '[]', 1, ${rest})`,
      );
    await measure('3.10-01', 2, 1, `'active', 'in_progress', 40`);
    await measure('3.2-01', 1, 2, `'active', NULL, NULL`);
    await measure('3.2-10', 1, 2, `'discontinued', 'delayed', 10`);
    await measure('3.2-02', 1, 1, `'merged', 'completed', 100`);
    await insert(
      `INSERT INTO "measure_goals" ("measureId", "goalId") VALUES (1, 1), (1, 2), (2, 2), (3, 1), (4, 1)`,
    );
    await first.destroy();
    db = new DataSource(options);
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    if (onPostgres) await dropPostgresDatabase(location);
  });

  it('runs every later migration', async () => {
    const ran = await db.query<{ name: string }[]>('SELECT "name" FROM "migrations" ORDER BY "id"');
    expect(ran.map((r) => r.name)).toEqual(all.map((m) => new m() as { name: string }).map((m) => m.name));
  });

  it('fills the status counts from the measures that were there, and keeps them in step afterwards', async () => {
    expect(await statusCountDrift(db)).toEqual([]);
    const [row] = await db.query<{ n: string | number }[]>(
      `SELECT SUM("measures") AS "n" FROM "measure_status_counts" WHERE "statusKey" <> 'merged'`,
    );
    expect(Number(row.n)).toBe(3);
    await db.query(`UPDATE "measures" SET "status" = 'completed', "progress" = 100 WHERE "code" = '3.2-01'`);
    await db.query(`DELETE FROM "measure_goals" WHERE "measureId" = 1 AND "goalId" = 2`);
    expect(await statusCountDrift(db)).toEqual([]);
  });

  it('gives the existing measures their natural sort keys', async () => {
    const rows = await db.query<{ code: string }[]>(
      'SELECT "code" FROM "measures" ORDER BY "sortKey", "code"',
    );
    expect(rows.map((r) => r.code)).toEqual(['3.2-01', '3.2-02', '3.2-10', '3.10-01']);
  });

  it('gives rows written without a framework row a plan of their own, losing none', async () => {
    const plans = await db.query<{ id: number }[]>('SELECT "id" FROM "frameworks"');
    expect(plans).toHaveLength(1);
    const measures = await db.query<{ frameworkId: number }[]>('SELECT "frameworkId" FROM "measures"');
    expect(measures.map((m) => Number(m.frameworkId))).toEqual(Array(4).fill(Number(plans[0].id)));
  });
});

describe('upgrading a database of one plan to several plans', () => {
  const location = testDatabasePath('migrations-plans');
  const onPostgres = location.startsWith('postgres');
  const options = buildDataSourceOptions({
    DATABASE_URL: onPostgres ? location : undefined,
    DATABASE_PATH: onPostgres ? 'unused.sqlite' : location,
  });
  const all = onPostgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
  const plans = all.findIndex((m) => (new m() as { name: string }).name.endsWith('1795400000800'));
  const PLAN_BOUND: Record<string, string> = {
    goals: '"code"',
    action_fields: '"code"',
    governance_bodies: '"code"',
    reporting_cycles: '"code"',
    indicators: '"code"',
    measures: '"code", "status", "progress", "lifecycle"',
    meetings: '"title", "bodyId"',
    decisions: '"text", "meetingId"',
    framework_revisions: '"reason", "versionAfter"',
    implementation_reports: '"fileName", "cycleId"',
  };
  const read = async (source: DataSource) => {
    const tables: Record<string, unknown[]> = {};
    for (const [table, columns] of Object.entries(PLAN_BOUND))
      tables[table] = await source.query(`SELECT "id", ${columns} FROM "${table}" ORDER BY "id"`);
    return tables;
  };
  let before: Record<string, unknown[]>;
  let plan: number;
  let db: DataSource;

  beforeAll(async () => {
    if (onPostgres) await ensurePostgresDatabase(location);
    // The database as the release before plans left it: one framework and a row in every plan-bound table.
    const previous = new DataSource({ ...options, migrations: all.slice(0, plans) });
    await previous.initialize();
    await previous.runMigrations();
    const insert = (sql: string) => previous.query(sql);
    await insert(
      `INSERT INTO "frameworks" ("code", "name", "region", "adopted", "version", "targetGroups", "sourceFile") VALUES ('bremen', 'Rahmenkonzept', 'Bremen', '2021-10', '1.0', '[]', 'bremen.json')`,
    );
    await insert(
      `INSERT INTO "departments" ("code", "name") VALUES ('SKB', 'Kinder und Bildung'), ('ASJI', 'Soziales')`,
    );
    await insert(
      `INSERT INTO "goals" ("code", "title") VALUES ('2.1', 'Teilhabe'), ('2.2', 'Vielfalt'), ('2.9', 'Alt')`,
    );
    // A goal removed again: its id is never handed out a second time.
    await insert(`DELETE FROM "goals" WHERE "code" = '2.9'`);
    await insert(
      `INSERT INTO "action_fields" ("code", "title") VALUES ('3.1', 'Sprache'), ('3.2', 'Teilhabe')`,
    );
    await insert(
      `INSERT INTO "governance_bodies" ("code", "name", "minMeetingsPerYear", "members") VALUES ('steuerungsrunde', 'Steuerungsrunde', 1, '[]')`,
    );
    await insert(
      `INSERT INTO "reporting_cycles" ("code", "name", "periodStart", "periodEnd", "inputDeadline", "state", "version") VALUES ('2022-2023', 'Bericht 2022–2023', '2022-01-01', '2023-12-31', '2024-01-31', 'closed', 1), ('2024-2025', 'Bericht 2024–2025', '2024-01-01', '2025-12-31', '2026-01-31', 'planned', 1)`,
    );
    await insert(
      `INSERT INTO "indicators" ("code", "name", "actionFieldId", "groups", "version") VALUES ('B2a', 'Einbürgerungsquote', 1, '[]', 1)`,
    );
    const measure = (code: string, field: number, department: number, rest: string) =>
      insert(
        `INSERT INTO "measures" ("code", "title", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "version", "lifecycle", "status", "progress", "sortKey")
         VALUES ('${code}', 'Maßnahme ${code}', ${field}, ${department}, 'land', '[]', 1, ${rest}, '${code}')`,
      );
    await measure('3.1-01', 1, 1, `'active', 'in_progress', 40`);
    await measure('3.2-01', 2, 2, `'active', NULL, NULL`);
    await measure('3.2-02', 2, 1, `'discontinued', 'delayed', 10`);
    await insert(`INSERT INTO "measure_goals" ("measureId", "goalId") VALUES (1, 1), (1, 2), (2, 2), (3, 1)`);
    await insert(
      `INSERT INTO "meetings" ("bodyId", "date", "title", "attendingDepartmentIds", "topicActionFieldIds", "version") VALUES (1, '2024-03-01', 'Sitzung 1/2024', '[1]', '[]', 1)`,
    );
    await insert(
      `INSERT INTO "decisions" ("meetingId", "kind", "text", "responsibleDepartmentId", "version") VALUES (1, 'new_measure', 'Neue Maßnahme', 1, 1)`,
    );
    await insert(
      `INSERT INTO "framework_revisions" ("effectiveDate", "reason", "authorName", "versionBefore", "versionAfter", "source", "changes", "effects") VALUES ('2024-05-01', 'Fortschreibung', 'Leitung', '1.0', '1.1', 'api', '[]', '{}')`,
    );
    await insert(
      `INSERT INTO "implementation_reports" ("cycleId", "cycleCode", "fileName", "sha256", "sizeBytes", "draft", "containsExampleData", "measureCount") VALUES (1, '2022-2023', 'umsetzungsbericht-2022-2023.xlsx', 'abc', 100, false, false, 3)`,
    );
    before = await read(previous);
    await previous.destroy();
    db = new DataSource(options);
    await db.initialize();
    await db.runMigrations();
    const [row] = await db.query<{ id: number }[]>(`SELECT "id" FROM "frameworks"`);
    plan = Number(row.id);
  });
  afterAll(async () => {
    await db?.destroy();
    if (onPostgres) await dropPostgresDatabase(location);
  });

  it('gives every plan-bound row the one plan, and keeps every row and code', async () => {
    expect(await read(db)).toEqual(before);
    for (const table of Object.keys(PLAN_BOUND)) {
      const rows = await db.query<{ frameworkId: number | null }[]>(`SELECT "frameworkId" FROM "${table}"`);
      expect({ table, plans: [...new Set(rows.map((r) => Number(r.frameworkId)))] }).toEqual({
        table,
        plans: [plan],
      });
    }
    expect(await db.query('SELECT "id" FROM "frameworks"')).toHaveLength(1);
    // The organisations stay in the one directory, every one of them taking part in the one plan.
    const departments = await db.query<{ code: string; frameworkId: number | null }[]>(
      `SELECT d."code", fd."frameworkId" FROM "departments" d LEFT JOIN "framework_departments" fd ON fd."departmentId" = d."id" ORDER BY d."id"`,
    );
    expect(departments.map((d) => [d.code, Number(d.frameworkId)])).toEqual([
      ['SKB', plan],
      ['ASJI', plan],
    ]);
  });

  it('keeps the status counts right and in step with later changes', async () => {
    expect(await statusCountDrift(db)).toEqual([]);
    await db.query(`UPDATE "measures" SET "status" = 'completed', "progress" = 100 WHERE "code" = '3.2-01'`);
    await db.query(`DELETE FROM "measure_goals" WHERE "measureId" = 1 AND "goalId" = 2`);
    await db.query(`INSERT INTO "measure_goals" ("measureId", "goalId") VALUES (2, 1)`);
    expect(await statusCountDrift(db)).toEqual([]);
  });

  it('still moves the data version on a change to a rebuilt table', async () => {
    const version = async () =>
      String((await db.query<{ version: string }[]>(`SELECT "version" FROM "data_version"`))[0].version);
    const first = await version();
    await db.query(`UPDATE "goals" SET "title" = 'Teilhabe und Repräsentanz' WHERE "code" = '2.1'`);
    expect(await version()).not.toBe(first);
  });

  it('takes a code once per plan, so that a second plan may use the same codes', async () => {
    await db.query(
      `INSERT INTO "frameworks" ("code", "name", "region", "adopted", "version", "targetGroups", "sourceFile") VALUES ('regio', 'Zweiter Plan', 'Region', '2025', '1.0', '[]', 'regio.json')`,
    );
    const [second] = await db.query<{ id: number }[]>(`SELECT "id" FROM "frameworks" WHERE "code" = 'regio'`);
    await db.query(
      `INSERT INTO "goals" ("frameworkId", "code", "title") VALUES (${second.id}, '2.1', 'Ziel')`,
    );
    await expect(
      db.query(`INSERT INTO "goals" ("frameworkId", "code", "title") VALUES (${plan}, '2.1', 'Doppelt')`),
    ).rejects.toThrow(/unique|UNIQUE/);
    const goals = await db.query<{ id: number; code: string }[]>(
      `SELECT "id", "code" FROM "goals" ORDER BY "id"`,
    );
    // 3 was the removed goal's id: the new goal comes after it.
    expect(goals.map((g) => [Number(g.id), g.code])).toEqual([
      [1, '2.1'],
      [2, '2.2'],
      [4, '2.1'],
    ]);
  });
});
