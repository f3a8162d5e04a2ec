/**
 * Raw SQL with named parameters (`:name`, `:...list`) for both drivers: TypeORM turns them into `?` for
 * SQLite and `$1…` for PostgreSQL. Used for the aggregate queries that the query builder makes unreadable.
 */
import type { EntityManager } from 'typeorm';

export async function queryNamed<T>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown> = {},
): Promise<T[]> {
  const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  return manager.query<T[]>(query, values);
}

/** Where a reader's queries go: a manager (or a transaction's), or a BackgroundReader's snapshot. */
export interface RowSource {
  /**
   * True for a source with a connection of its own and one snapshot (BackgroundReader): queries may run
   * ahead while the caller works, and consecutive queries see the same data. False for a manager, whose
   * connection the caller shares and whose statements may each see newer data (READ COMMITTED).
   */
  readonly isolated: boolean;
  /** For the few statements that are written differently per database. */
  readonly dialect: 'sqlite' | 'postgres';
  query<T>(sql: string, parameters?: Record<string, unknown>): Promise<T[]>;
}

/**
 * The manager's connection (within its transaction, if it has one) as a RowSource. Queries asked for
 * together run one after another, in the order asked: a transaction has one connection, and pg no longer
 * wants to queue them itself.
 */
export function managerRows(manager: EntityManager): RowSource {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    isolated: false,
    dialect: manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite',
    query: <T>(sql: string, parameters?: Record<string, unknown>): Promise<T[]> => {
      const result = previous.then(() => queryNamed<T>(manager, sql, parameters));
      previous = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * The data version (see the DataVersion migrations) as text, for a subquery: it moves with every committed
 * write to a table the dashboard reads.
 */
export const DATA_VERSION_SQL = `SELECT CAST("version" AS VARCHAR(30)) FROM "data_version" WHERE "id" = 1`;

/** Numbers come back as strings from PostgreSQL aggregates and as numbers from SQLite. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
