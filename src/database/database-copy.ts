/**
 * Moves all data from one database to another (typically SQLite → PostgreSQL): the target gets the committed
 * migrations, must be empty, and receives every row of every table in foreign-key order with the same ids;
 * sequences are set past the copied ids. One transaction on the target: all or nothing. The source is read
 * in pages along its primary key, so memory stays flat however many status reports there are. Afterwards
 * the target is vacuumed and analysed.
 */
import { DataSource, type EntityMetadata } from 'typeorm';
import { buildDataSourceOptions } from './database-options.js';
import { queryNamed } from './sql.js';

export interface CopyProgress {
  table: string;
  rows: number;
}

const BATCH = 500;
const PAGE = 20 * BATCH;

/** Tables in an order where every foreign key points to a table already copied. */
export function tablesInDependencyOrder(dataSource: DataSource): EntityMetadata[] {
  const pending = [...dataSource.entityMetadatas];
  const done = new Set<string>();
  const ordered: EntityMetadata[] = [];
  while (pending.length) {
    const index = pending.findIndex((m) =>
      m.foreignKeys.every(
        (fk) =>
          fk.referencedEntityMetadata.tableName === m.tableName ||
          done.has(fk.referencedEntityMetadata.tableName),
      ),
    );
    if (index < 0)
      throw new Error(`Zyklische Fremdschlüssel zwischen ${pending.map((m) => m.tableName).join(', ')}`);
    const [next] = pending.splice(index, 1);
    ordered.push(next);
    done.add(next.tableName);
  }
  return ordered;
}

export async function copyDatabase(
  source: DataSource,
  targetUrl: string,
  onProgress: (progress: CopyProgress) => void = () => undefined,
  pageSize = PAGE,
): Promise<CopyProgress[]> {
  const target = new DataSource(
    buildDataSourceOptions({ DATABASE_URL: targetUrl, DATABASE_PATH: 'unused.sqlite' }),
  );
  await target.initialize();
  try {
    await target.runMigrations();
    const [{ n }] = await target.query<{ n: string }[]>('SELECT COUNT(*) AS "n" FROM "frameworks"');
    if (Number(n) > 0)
      throw new Error('Die Zieldatenbank enthält bereits Daten; bitte eine leere Datenbank angeben.');
    const result: CopyProgress[] = [];
    await target.transaction(async (manager) => {
      for (const metadata of tablesInDependencyOrder(target)) {
        const table = metadata.tableName;
        const columns = metadata.columns.map((c) => ({
          name: c.databaseName,
          boolean: c.type === 'boolean' || c.type === Boolean,
        }));
        const list = columns.map((c) => `"${c.name}"`).join(', ');
        const keys = metadata.primaryColumns.map((c) => c.databaseName);
        const keyList = keys.map((k) => `"${k}"`).join(', ');
        let copied = 0;
        let after: Record<string, unknown> | null = null;
        for (;;) {
          // Pages in primary-key order, each starting after the last key of the one before.
          const rows: Record<string, unknown>[] = await queryNamed<Record<string, unknown>>(
            source.manager,
            `SELECT ${list} FROM "${table}"
              ${after ? `WHERE (${keyList}) > (${keys.map((_k, i) => `:k${i}`).join(', ')})` : ''}
              ORDER BY ${keyList} LIMIT ${pageSize}`,
            after ?? {},
          );
          for (let i = 0; i < rows.length; i += BATCH) {
            const batch = rows.slice(i, i + BATCH);
            const values: unknown[] = [];
            const tuples = batch.map((row) => {
              const placeholders = columns.map((c) => {
                const raw = row[c.name];
                values.push(c.boolean && raw !== null && raw !== undefined ? Boolean(raw) : raw);
                return `$${values.length}`;
              });
              return `(${placeholders.join(', ')})`;
            });
            await manager.query(`INSERT INTO "${table}" (${list}) VALUES ${tuples.join(', ')}`, values);
          }
          copied += rows.length;
          if (rows.length < pageSize) break;
          const last = rows[rows.length - 1];
          after = Object.fromEntries(keys.map((k, i) => [`k${i}`, last[k]]));
        }
        const generated = metadata.columns.find((c) => c.isGenerated && c.generationStrategy === 'increment');
        if (generated) {
          await manager.query(
            `SELECT setval(pg_get_serial_sequence('"${table}"', '${generated.databaseName}'), COALESCE(MAX("${generated.databaseName}"), 1), MAX("${generated.databaseName}") IS NOT NULL) FROM "${table}"`,
          );
        }
        const progress = { table, rows: copied };
        result.push(progress);
        onProgress(progress);
      }
    });
    // After a bulk load: planner statistics and the visibility map, as PostgreSQL recommends, so that the
    // first requests already get index-only scans instead of waiting for autovacuum.
    await target.query('VACUUM (ANALYZE)');
    return result;
  } finally {
    await target.destroy();
  }
}
