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

/**
 * The data version (see the DataVersion migrations) as text, for a subquery: it moves with every committed
 * write to a table the dashboard reads.
 */
export const DATA_VERSION_SQL = `SELECT CAST("version" AS VARCHAR(30)) FROM "data_version" WHERE "id" = 1`;

/** Numbers come back as strings from PostgreSQL aggregates and as numbers from SQLite. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
