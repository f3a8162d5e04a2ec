// @ts-check
/**
 * The thread behind BackgroundReader (background-reader.ts). It opens its own read-only connection to the
 * app's database and one read transaction, so that every query it answers sees the same committed state,
 * and runs the queries it is sent one after another. Plain JavaScript, so that the same file runs from the
 * build and under the test runner.
 *
 * In:  { id, sql, values } with positional parameters (`?` for SQLite, `$1…` for PostgreSQL), or { close: true }.
 * Out: { id, json } (the rows as JSON text) or { id, error: { message, code } }; after `close` the thread ends.
 */
import { parentPort, workerData } from 'node:worker_threads';

/** @typedef {{ kind: 'sqlite', path: string } | { kind: 'postgres', url: string }} Target */
/** @typedef {{ query: (sql: string, values: unknown[]) => Promise<unknown[]>, close: () => Promise<void> }} Connection */

/** SQLite pages this reader keeps (KiB): it reads most pages once, the operating system caches the file. */
const SQLITE_CACHE_KIB = 8000;

/**
 * @param {Target} target
 * @returns {Promise<Connection>}
 */
async function open(target) {
  if (target.kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 10_000 });
    db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    // In WAL mode the transaction's snapshot is taken by its first read and holds until COMMIT.
    db.exec('BEGIN');
    // Pages repeat the same statements with new parameters: each text is prepared once.
    /** @type {Map<string, import('better-sqlite3').Statement>} */
    const statements = new Map();
    return {
      query: async (sql, values) => {
        let statement = statements.get(sql);
        if (!statement) statements.set(sql, (statement = db.prepare(sql)));
        // A write is run (and refused by the read-only connection, SQLITE_READONLY) rather than rejected here.
        if (!statement.reader) statement.run(values);
        return statement.reader ? statement.all(values) : [];
      },
      close: async () => {
        db.exec('COMMIT');
        db.close();
      },
    };
  }
  const { default: pg } = await import('pg');
  // DATE stays 'YYYY-MM-DD', as on the app's own connection (database-options.ts).
  pg.types.setTypeParser(pg.types.builtins.DATE, (/** @type {string} */ value) => value);
  const client = new pg.Client({
    connectionString: target.url,
    application_name: 'rkm-background-reader',
    connectionTimeoutMillis: 10_000,
  });
  // A connection lost while idle fails the next query (pg rejects it) instead of ending the thread unasked.
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // Named statements: the server parses and plans each text once.
  /** @type {Map<string, string>} */
  const names = new Map();
  return {
    query: async (sql, values) => {
      let name = names.get(sql);
      if (!name) names.set(sql, (name = `rkm_${names.size + 1}`));
      return (await client.query({ name, text: sql, values })).rows;
    },
    close: async () => {
      try {
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
  };
}

const port = parentPort;
if (!port) throw new Error('background-reader.worker.mjs runs only as a worker thread');

/** @type {Promise<Connection>} */
const connection = open(/** @type {Target} */ (workerData));
// Answered one after another, in the order they came.
/** @type {Promise<unknown>} */
let queue = connection.catch(() => undefined);

port.on(
  'message',
  (/** @type {{ id: number, sql: string, values: unknown[] } | { close: true }} */ message) => {
    queue = queue.then(async () => {
      if ('close' in message) {
        try {
          await (await connection).close();
        } catch {
          // A connection that did not open has told every query so; ending a read-only transaction loses nothing.
        } finally {
          port.close();
        }
        return;
      }
      try {
        const db = await connection;
        // As JSON text: parsing it costs the receiving thread less than taking the rows apart as objects.
        const rows = await db.query(message.sql, message.values);
        port.postMessage({ id: message.id, json: JSON.stringify(rows) });
      } catch (error) {
        const { message: text, code } = /** @type {{ message?: string, code?: string }} */ (error ?? {});
        port.postMessage({ id: message.id, error: { message: String(text ?? error), code } });
      }
    });
  },
);
