/**
 * Generates a migration from the difference between the entities and a database that has every committed
 * migration applied, for SQLite and (when DATABASE_URL is set) PostgreSQL:
 *   npm run migration:generate -- AddSomething
 * The class is written to src/database/migrations/<kind>/ and must be added to migrations/index.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromEnvironment } from '../common/config/app-config.js';
import { buildDataSourceOptions } from './database-options.js';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('Aufruf: npm run migration:generate -- NameInPascalCase');
    process.exit(1);
  }
  const targets: { kind: 'sqlite' | 'postgres'; url?: string }[] = [{ kind: 'sqlite' }];
  const { DATABASE_URL } = loadConfigFromEnvironment();
  if (DATABASE_URL) targets.push({ kind: 'postgres', url: DATABASE_URL });
  const timestamp = Date.now();
  for (const target of targets) {
    const options = buildDataSourceOptions({
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'rkm-migration-')), 'schema.sqlite'),
      DATABASE_URL: target.url,
    });
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (sql.upQueries.length === 0) {
      console.log(`${target.kind}: keine Änderungen`);
      continue;
    }
    const quote = (q: string): string =>
      '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
    const down = sql.downQueries
      .reverse()
      .map((q) => `    await queryRunner.query(${quote(q.query)});`)
      .join('\n');
    const className = `${name}${target.kind === 'sqlite' ? 'Sqlite' : 'Postgres'}${timestamp}`;
    const file = join('src', 'database', 'migrations', target.kind, `${timestamp}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        `export class ${className} implements MigrationInterface {\n` +
        `  name = '${className}';\n\n` +
        `  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n` +
        `  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`${target.kind}: ${file} (${className})`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
