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

/** Numbers come back as strings from PostgreSQL aggregates and as numbers from SQLite. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
