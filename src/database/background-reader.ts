/**
 * Reads on another thread, from one consistent state of the database. A BackgroundReader starts a worker
 * thread with its own read-only connection and a single read transaction (SQLite: a WAL snapshot;
 * PostgreSQL: REPEATABLE READ READ ONLY), so that every query answered through it sees the same committed
 * data, however long the caller takes and whatever is written meanwhile.
 *
 * Long exports use it: better-sqlite3 runs queries synchronously, so on the app's own connection every page
 * read stops the thread that writes the workbook. Here the next page is read while the current one is
 * written, and all pages come from the same snapshot. Rows arrive as JSON carries them (a
 * timestamp as its ISO text); the queries of long exports ask for text, numbers and dates, which PostgreSQL
 * delivers as 'YYYY-MM-DD' text here as on the app's connection. Always `close()` it (try/finally).
 */
import { Worker } from 'node:worker_threads';
import type { DataSource, Driver } from 'typeorm';
import type { RowSource } from './sql.js';

/** Plain JavaScript, found the same way from src/ (tests) and dist/ (build); see the file's header. */
const WORKER_FILE = new URL('../../src/database/background-reader.worker.mjs', import.meta.url);

type Target = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

type Answer = { id: number; json: string } | { id: number; error: { message: string; code?: string } };

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

/** A database error from the reader's thread, with the driver's code (e.g. SQLITE_ERROR, 42P01). */
export class BackgroundReadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'BackgroundReadError';
  }
}

export class BackgroundReader implements RowSource {
  readonly isolated = true;
  readonly dialect: 'sqlite' | 'postgres';
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the thread has ended: every later query fails with it. */
  private ended: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly driver: Driver,
    target: Target,
  ) {
    this.dialect = target.kind;
    this.worker = new Worker(WORKER_FILE, { workerData: target });
    this.worker.on('message', (answer: Answer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if ('error' in answer) pending.reject(new BackgroundReadError(answer.error.message, answer.error.code));
      else pending.resolve(JSON.parse(answer.json) as unknown[]);
    });
    this.worker.on('error', (error) => this.end(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.end(new Error(`Der Lese-Thread wurde beendet (Code ${code}).`));
        resolve();
      }),
    );
  }

  /** A reader on the database of `dataSource` (SQLite file or PostgreSQL URL). */
  static open(dataSource: DataSource): BackgroundReader {
    const options = dataSource.options;
    if (options.type === 'better-sqlite3') {
      return new BackgroundReader(dataSource.driver, { kind: 'sqlite', path: String(options.database) });
    }
    if (options.type === 'postgres' && options.url) {
      return new BackgroundReader(dataSource.driver, { kind: 'postgres', url: options.url });
    }
    throw new Error(`BackgroundReader: nicht unterstützte Datenbank ${options.type}`);
  }

  /** Runs `sql` with named parameters (`:name`, `:...list`), as queryNamed does, on the reader's thread. */
  query<T>(sql: string, parameters: Record<string, unknown> = {}): Promise<T[]> {
    if (this.ended) return Promise.reject(this.ended);
    const [text, values] = this.driver.escapeQueryWithParameters(sql, parameters);
    const id = this.nextId++;
    return new Promise<T[]>((resolve, reject) => {
      this.worker.postMessage({ id, sql: text, values });
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
    });
  }

  /** Ends the read transaction and the thread; waits for both. */
  async close(): Promise<void> {
    if (!this.ended) this.worker.postMessage({ close: true });
    await this.exited;
  }

  private end(error: Error): void {
    this.ended ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
