/**
 * Moving from SQLite to PostgreSQL keeps every row: the demo database, after a full cycle of work, is copied
 * into an empty PostgreSQL database; every table reads back the same, and the application runs on the copy.
 */
import { join } from 'node:path';
import { copyDatabase } from '../src/database/database-copy.js';
import { newReport } from './factories/measure.factory.js';
import { statusCountDrift } from './helpers/status-counts.js';
import {
  createTestApp,
  dropPostgresDatabase,
  ensurePostgresDatabase,
  type TestApp,
  testDatabasePath,
  TMP_DIR,
} from './helpers/test-app.js';

describe('SQLite → PostgreSQL', () => {
  let source: TestApp;
  const target = testDatabasePath('copy');

  beforeAll(async () => {
    source = await createTestApp({ DATABASE_PATH: join(TMP_DIR, `copy-source-${Date.now()}.test.sqlite`) });
    const admin = await source.login('admin@demo.local');
    const measures = (
      await source.http.get('/api/measures?pageSize=3&lifecycle=active').auth(admin, { type: 'bearer' })
    ).body.items;
    await source.http
      .post(`/api/measures/${measures[0].id}/status-reports`)
      .auth(admin, { type: 'bearer' })
      .send(newReport())
      .expect(201);
    await source.http.post('/api/reporting-cycles/1/report').auth(admin, { type: 'bearer' }).expect(200);
    await ensurePostgresDatabase(target);
  });
  afterAll(async () => {
    await source.close();
    await dropPostgresDatabase(target);
  });

  it('copies every row of every table, and the application runs on the copy', async () => {
    // Small pages, so that every table (single and composite keys) is read in several of them.
    const copied = await copyDatabase(source.dataSource, target, undefined, 7);
    const counts = Object.fromEntries(copied.map((c) => [c.table, c.rows]));
    expect(counts.measures).toBeGreaterThanOrEqual(51);
    expect(counts.status_reports).toBeGreaterThan(200);
    expect(counts.audit_entries).toBeGreaterThan(0);

    const copy = await createTestApp({ DATABASE_PATH: target, KEEP_DATABASE: '1' });
    try {
      for (const metadata of source.dataSource.entityMetadatas) {
        const order = metadata.primaryColumns.map((c) => `"${c.databaseName}"`).join(', ');
        const read = async (app: TestApp): Promise<unknown[]> =>
          metadata.isJunction
            ? app.dataSource
                .query(`SELECT * FROM "${metadata.tableName}" ORDER BY ${order}`)
                .then((rows: Record<string, unknown>[]) =>
                  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]))),
                )
            : // By table: an entity whose column types differ by database is a class of its own on each side.
              app.dataSource
                .getRepository(
                  app.dataSource.entityMetadatas.find((m) => m.tableName === metadata.tableName)!.target,
                )
                .find({
                  order: Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, 'ASC'])),
                });
        const normalise = (rows: unknown[]): string =>
          JSON.stringify(rows, (_key, value: unknown) =>
            value instanceof Date ? value.toISOString().slice(0, 19) : value,
          );
        expect({ table: metadata.tableName, rows: normalise(await read(copy)) }).toEqual({
          table: metadata.tableName,
          rows: normalise(await read(source)),
        });
      }
      const token = await copy.login('admin@demo.local');
      const before = (
        await source.http
          .get('/api/dashboard')
          .auth(await source.login('admin@demo.local'), { type: 'bearer' })
      ).body;
      const after = (await copy.http.get('/api/dashboard').auth(token, { type: 'bearer' })).body;
      expect(after.totals).toEqual(before.totals);
      expect(after.byGoal).toEqual(before.byGoal);
      // The status counts are not copied: the target's triggers build them from the copied rows.
      expect(await statusCountDrift(copy.dataSource)).toEqual([]);
      expect(await statusCountDrift(source.dataSource)).toEqual([]);
      // New rows continue after the copied ids.
      const created = await copy.http
        .post('/api/meetings')
        .auth(token, { type: 'bearer' })
        .send({ bodyId: 2, date: '2026-05-05', title: 'Begleitgruppe' })
        .expect(201);
      expect(created.body.id).toBe(counts.meetings + 1);
    } finally {
      await copy.app.close();
    }
    await expect(copyDatabase(source.dataSource, target)).rejects.toThrow(/enthält bereits Daten/);
  });
});
