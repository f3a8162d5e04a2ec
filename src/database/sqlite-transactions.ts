/**
 * SQLite transactions that survive faults. TypeORM's better-sqlite3 runner shares one connection and keeps its
 * own idea of whether a transaction is open. Two faults broke that:
 * - a failed COMMIT (disk full) or a failed statement may end the transaction inside SQLite; TypeORM's ROLLBACK
 *   then fails, the failure is swallowed, and the runner goes on believing a transaction is open, so every later
 *   "transaction" became a savepoint of one that never commits: acknowledged writes were lost on restart;
 * - transactions began with a deferred BEGIN, which takes the write lock only at the first write, where SQLite
 *   cannot wait for it (a deadlock between two writers): with a second process on the file, "database is
 *   locked" came back at once.
 * Here every transaction takes the write lock at its start (BEGIN IMMEDIATE), waiting for it without blocking
 * the event loop, and the runner's state is checked against the connection's (`db.inTransaction`) before each
 * transaction and after every failed commit or rollback.
 */
import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';

interface SqliteConnection {
  readonly inTransaction: boolean;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple: boolean }): unknown;
}

/** The parts of TypeORM's sqlite query runner this relies on (public in its JavaScript, not in its types). */
interface SqliteRunnerInternals {
  isTransactionActive: boolean;
  transactionDepth: number;
  driver: { databaseConnection: SqliteConnection };
  query(sql: string, parameters?: unknown[], structured?: boolean): Promise<unknown>;
  commitTransaction(): Promise<void>;
  rollbackTransaction(): Promise<void>;
}

/** The write lock stayed with another connection (another process) for longer than the lock timeout. */
export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(waitedMs: number, options?: ErrorOptions) {
    super(`database is locked (waited ${waitedMs} ms for the write lock)`, options);
  }
}

const logger = new Logger('Datenbank');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Takes the write lock: BEGIN IMMEDIATE without SQLite's own busy wait (which would stop the whole process),
 * retried with growing pauses until `timeoutMs` has passed.
 */
async function beginImmediate(db: SqliteConnection, timeoutMs: number): Promise<void> {
  const started = Date.now();
  const busyTimeout = db.pragma('busy_timeout', { simple: true });
  for (let attempt = 0; ; attempt++) {
    db.pragma('busy_timeout = 0');
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if (!isBusy(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw new DatabaseBusyError(waited, { cause: error });
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 5), 100, Math.max(1, timeoutMs - waited)));
    } finally {
      db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
  }
}

function harden(runner: SqliteRunnerInternals, lockTimeoutMs: number): void {
  const db = (): SqliteConnection => runner.driver.databaseConnection;

  /** Brings the runner's bookkeeping back to what the connection says; ends a transaction left half open. */
  const resynchronise = (reason: string, rollbackOpen: boolean): void => {
    const connection = db();
    if (rollbackOpen && connection.inTransaction) {
      try {
        connection.exec('ROLLBACK');
      } catch (error) {
        logger.error(`ROLLBACK nach ${reason} fehlgeschlagen: ${String(error)}`);
      }
    }
    if (!connection.inTransaction && (runner.isTransactionActive || runner.transactionDepth > 0)) {
      logger.warn(
        `Transaktionszustand nach ${reason} zurückgesetzt (die Datenbank hatte sie bereits beendet)`,
      );
      runner.isTransactionActive = false;
      runner.transactionDepth = 0;
    }
  };

  const query = runner.query.bind(runner);
  runner.query = async (sql, parameters, structured) => {
    if (sql === 'BEGIN TRANSACTION') {
      // Reached only at depth 0 (TypeORM uses savepoints inside): the outermost transaction takes the lock.
      await beginImmediate(db(), lockTimeoutMs);
      return structured ? { records: [], raw: undefined } : undefined;
    }
    return query(sql, parameters, structured);
  };

  const start = (runner as unknown as QueryRunner).startTransaction.bind(runner);
  (runner as unknown as QueryRunner).startTransaction = async (isolationLevel) => {
    // A transaction that SQLite ended behind TypeORM's back must not turn this one into its savepoint.
    if (runner.transactionDepth > 0 && !db().inTransaction) resynchronise('einem Fehler', false);
    try {
      await start(isolationLevel);
    } catch (error) {
      // BEGIN did not happen (the lock was not had): nothing is open, whatever TypeORM noted.
      resynchronise('einem fehlgeschlagenen BEGIN', false);
      throw error;
    }
  };

  const commit = runner.commitTransaction.bind(runner);
  runner.commitTransaction = async () => {
    const outermost = runner.transactionDepth <= 1;
    try {
      await commit();
    } catch (error) {
      // A failed COMMIT (disk full, I/O error) leaves nothing written: end whatever is left and say so.
      if (outermost) resynchronise('einem fehlgeschlagenen COMMIT', true);
      throw error;
    }
  };

  const rollback = runner.rollbackTransaction.bind(runner);
  runner.rollbackTransaction = async () => {
    try {
      await rollback();
    } catch (error) {
      resynchronise('einem fehlgeschlagenen ROLLBACK', true);
      throw error;
    }
  };
}

/** Installs the above on every query runner of an SQLite data source (the driver hands out one shared runner). */
export function hardenSqliteTransactions(dataSource: DataSource, options: { lockTimeoutMs: number }): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const driver = dataSource.driver as unknown as { createQueryRunner(mode?: string): QueryRunner };
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  const hardened = new WeakSet<object>();
  driver.createQueryRunner = (mode?: string) => {
    const runner = createQueryRunner(mode);
    if (!hardened.has(runner)) {
      harden(runner as unknown as SqliteRunnerInternals, options.lockTimeoutMs);
      hardened.add(runner);
    }
    return runner;
  };
}
