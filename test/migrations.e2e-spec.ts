/**
 * Upgrading a database that already holds measures: the migrations after the first build the status counts
 * and the natural sort keys from the rows that are there, and from then on the triggers keep them in step.
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
});
