/**
 * The entities and the migrations describe the same schema: on a database built by the real migrations,
 * TypeORM finds nothing that a synchronize would change. An entity edited without a migration, or a
 * migration that differs from its entity, fails here, on SQLite and on PostgreSQL. The database is built
 * without starting the application, because an entity that drifted breaks the start-up loading before
 * any check could say what differs.
 */
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database-options.js';
import { dropPostgresDatabase, ensurePostgresDatabase, testDatabasePath } from './helpers/test-app.js';

describe('schema drift between entities and migrations', () => {
  const location = testDatabasePath('schema-drift');
  const onPostgres = location.startsWith('postgres');
  let db: DataSource;

  beforeAll(async () => {
    if (onPostgres) await ensurePostgresDatabase(location);
    db = new DataSource(
      buildDataSourceOptions({
        DATABASE_URL: onPostgres ? location : undefined,
        DATABASE_PATH: onPostgres ? 'unused.sqlite' : location,
      }),
    );
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    if (onPostgres) await dropPostgresDatabase(location);
    else for (const suffix of ['', '-wal', '-shm']) rmSync(location + suffix, { force: true });
  });

  it('leaves nothing for a synchronize to change on a freshly migrated database', async () => {
    const { upQueries } = await db.driver.createSchemaBuilder().log();
    // Printed in full on failure: the statements a migration for the entities would have to contain.
    const drift = upQueries.map((q) => q.query);
    expect(drift.length === 0 ? 'no difference' : drift.join(';\n')).toBe('no difference');
  });
});
