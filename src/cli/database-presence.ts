/**
 * Whether the configured database has been set up (its migrations table exists), checked before the
 * application opens it: opening an SQLite path would create an empty file there.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppConfig } from '../common/config/app-config.js';
import { CliError } from './errors.js';

/** TypeORM's default name for the table of migrations run. */
const MIGRATIONS_TABLE = 'migrations';

/** The database as a user would recognise it: the file's full path, or the URL without its password. */
export function databaseLabel(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_PATH'>): string {
  return config.DATABASE_URL
    ? config.DATABASE_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
    : resolve(config.DATABASE_PATH);
}

export async function databaseIsSetUp(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_PATH'>,
): Promise<boolean> {
  return config.DATABASE_URL
    ? postgresIsSetUp(config.DATABASE_URL)
    : sqliteIsSetUp(resolve(config.DATABASE_PATH));
}

function sqliteIsSetUp(path: string): boolean {
  if (!existsSync(path)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return (
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE) !==
      undefined
    );
  } catch (error) {
    throw new CliError(
      `${path} ist keine lesbare SQLite-Datenbank (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    db?.close();
  }
}

async function postgresIsSetUp(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    // 3D000: the database itself does not exist; it is created by the server's administrator, not by us.
    if ((error as { code?: string }).code === '3D000') return false;
    throw new CliError(
      `PostgreSQL unter ${databaseLabel({ DATABASE_URL: url, DATABASE_PATH: '' })} nicht erreichbar (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    const result = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
      MIGRATIONS_TABLE,
    ]);
    return result.rows[0]?.present === true;
  } finally {
    await client.end();
  }
}
