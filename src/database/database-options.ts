/**
 * TypeORM options for the configured database: an embedded SQLite file (WAL, foreign keys on) by default,
 * PostgreSQL when DATABASE_URL is set. Each has its own committed migrations; the schema is never synchronised.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { AuditSubscriber } from '../audit/audit.subscriber.js';
import type { AppConfig } from '../common/config/app-config.js';
import { DatabaseLogger } from '../common/logging/database-logger.js';
import { DATABASE_ENTITIES, ENTITIES } from './entities.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations/index.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(config: Pick<AppConfig, 'DATABASE_URL'>): DatabaseKind {
  return config.DATABASE_URL ? 'postgres' : 'sqlite';
}

/**
 * PostgreSQL DATE values stay 'YYYY-MM-DD' strings, as TypeORM's entities and SQLite deliver them; without
 * this the driver would turn them into Date objects at local midnight in raw queries.
 */
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export function buildDataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_PATH'> &
    Partial<Pick<AppConfig, 'DATABASE_LOCK_TIMEOUT_MS'>>,
  options: { migrations?: boolean } = {},
): DataSourceOptions {
  const withMigrations = options.migrations ?? true;
  if (config.DATABASE_URL) {
    return {
      type: 'postgres',
      url: config.DATABASE_URL,
      entities: [...ENTITIES, ...DATABASE_ENTITIES.postgres],
      subscribers: [AuditSubscriber],
      migrations: withMigrations ? POSTGRES_MIGRATIONS : [],
      migrationsRun: false,
      synchronize: false,
      logging: ['error'],
      logger: new DatabaseLogger(),
    };
  }
  const database = resolve(config.DATABASE_PATH);
  mkdirSync(dirname(database), { recursive: true });
  return {
    type: 'better-sqlite3',
    database,
    enableWAL: true,
    // How long a statement or a transaction waits for the write lock of another process (sqlite-transactions.ts).
    timeout: config.DATABASE_LOCK_TIMEOUT_MS ?? 10_000,
    // A 32 MB page cache instead of SQLite's 2 MB: large reports and copies read each page once.
    prepareDatabase: (db: { pragma: (source: string) => unknown }) => {
      db.pragma('cache_size = -32000');
    },
    entities: [...ENTITIES, ...DATABASE_ENTITIES.sqlite],
    subscribers: [AuditSubscriber],
    migrations: withMigrations ? SQLITE_MIGRATIONS : [],
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    logger: new DatabaseLogger(),
  };
}
