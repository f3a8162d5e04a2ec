/**
 * The migrations and the start-up loading (framework files, example data, first accounts) run once, however
 * many instances start at the same moment on an empty PostgreSQL database: each instance takes a PostgreSQL
 * advisory lock first, on a connection of its own, and gives it back when it has loaded. The second waits,
 * then finds everything done. A crashed instance's lock ends with its connection.
 * SQLite needs nothing here: every migration and loading step waits for the file's write lock.
 */
import pg from 'pg';
import type { AppConfig } from '../common/config/app-config.js';

/** Fixed, the same for every instance of this application on a database: "RKMSTART" in ASCII. */
export const STARTUP_LOCK_KEY = 0x524b4d5354415254n;

export interface StartupLock {
  release(): Promise<void>;
}

const NO_LOCK: StartupLock = { release: () => Promise.resolve() };

export async function acquireStartupLock(
  config: Pick<AppConfig, 'DATABASE_URL'>,
  say: (line: string) => void = (line) => console.error(line),
): Promise<StartupLock> {
  if (!config.DATABASE_URL) return NO_LOCK;
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  // A connection lost while holding the lock ends the lock; the loading itself then fails on its own.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const key = STARTUP_LOCK_KEY.toString();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS "locked"', [
      key,
    ]);
    if (!rows[0].locked) {
      say('Eine andere Instanz richtet die Datenbank ein; warte, bis sie fertig ist …');
      await client.query('SELECT pg_advisory_lock($1)', [key]);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY.toString()]);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
