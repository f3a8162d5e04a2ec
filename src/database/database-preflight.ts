/**
 * Before the application starts: is the configured database usable? An SQLite file that is no database, is
 * damaged or cannot be written stops the start at once with one German line naming the file and the problem
 * (no retries: they cannot help). A PostgreSQL server that refuses the connection is asked again a few times,
 * each attempt said on the console, because a server that is starting up answers a moment later.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppConfig } from '../common/config/app-config.js';

/** Stops the start; its message is the one line shown. */
export class DatabaseStartError extends Error {}

function sqliteProblem(code: string, message: string): string {
  if (code === 'SQLITE_NOTADB') return 'ist keine SQLite-Datenbank (oder ihr Dateikopf ist beschädigt)';
  if (code.startsWith('SQLITE_CORRUPT')) return `ist beschädigt (${message})`;
  if (code.startsWith('SQLITE_READONLY') || ['EROFS', 'EACCES', 'EPERM'].includes(code))
    return 'ist schreibgeschützt: der Dienst muss in die Datei und ihren Ordner schreiben dürfen';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'lässt sich nicht öffnen (fehlen Rechte am Ordner?)';
  if (code.startsWith('SQLITE_IOERR')) return `lässt sich nicht lesen (Ein-/Ausgabefehler: ${message})`;
  return `lässt sich nicht verwenden (${code || message})`;
}

/** Opens an existing SQLite file, reads its schema and makes (and rolls back) a write. */
export function checkSqliteFile(path: string): void {
  const file = resolve(path);
  if (!existsSync(file)) return; // created with the migrations at start
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 2_000 });
    db.pragma('schema_version');
    // The schema itself (the first page's b-tree): damage there stops every query.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    const version = Number(db.pragma('user_version', { simple: true }));
    try {
      db.exec('BEGIN IMMEDIATE');
      db.pragma(`user_version = ${version}`);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } catch (error) {
    const { code = '', message = String(error) } = error as { code?: string; message?: string };
    // Another process holds the write lock: the file is fine, the start waits for the lock like any write.
    if (code.startsWith('SQLITE_BUSY')) return;
    throw new DatabaseStartError(
      `Start abgebrochen: Die Datenbankdatei ${file} ${sqliteProblem(code, message)}. ` +
        'Aus einer Sicherung wiederherstellen (db:backup legt sie an) oder DATABASE_PATH auf eine andere Datei setzen.',
      { cause: error },
    );
  } finally {
    db?.close();
  }
}

const masked = (url: string): string => url.replace(/:[^:@/]+@/, ':***@');

/** Connects once; a refused or unreachable server is asked again up to `attempts` times. */
export async function checkPostgres(
  url: string,
  options: { attempts?: number; delayMs?: number; say?: (line: string) => void } = {},
): Promise<void> {
  const attempts = options.attempts ?? 5;
  const say = options.say ?? ((line: string) => console.error(line));
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      const { code = '', message = String(error) } = error as { code?: string; message?: string };
      const transient = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P03'].includes(code);
      if (!transient || attempt >= attempts) {
        throw new DatabaseStartError(
          `Start abgebrochen: PostgreSQL unter ${masked(url)} ist nicht erreichbar (${code ? `${code}: ` : ''}${message}).`,
          { cause: error },
        );
      }
      say(
        `PostgreSQL unter ${masked(url)} antwortet nicht (${code}); neuer Versuch ${attempt + 1} von ${attempts} in ${(options.delayMs ?? 2_000) / 1000} s …`,
      );
      await new Promise((r) => setTimeout(r, options.delayMs ?? 2_000));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The check for the configured database. */
export async function checkDatabase(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_PATH'>,
): Promise<void> {
  if (config.DATABASE_URL) await checkPostgres(config.DATABASE_URL);
  else checkSqliteFile(config.DATABASE_PATH);
}
