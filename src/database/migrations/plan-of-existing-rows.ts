import type { QueryRunner } from 'typeorm';

/** The tables whose rows belong to one plan (Rahmenkonzept) and carry its `frameworkId` from the Plans migration on. */
export const PLAN_BOUND_TABLES = [
  'goals',
  'action_fields',
  'governance_bodies',
  'reporting_cycles',
  'indicators',
  'measures',
  'meetings',
  'decisions',
  'framework_revisions',
  'implementation_reports',
] as const;

/**
 * For the Plans migration: the plan that the rows already in the database belong to. Before it, an installation
 * ran exactly one framework, so that is the plan (the first, should there be more rows in `frameworks`). A
 * database that holds plan-bound rows but no framework row (written by hand or by a tool, never by the loader,
 * which creates the framework first) gets a plan named for what it is, so that no row is lost; null when there is
 * nothing to fill. Plain SQL, so that later changes of the entities do not change what the migration does.
 */
export async function planOfExistingRows(
  queryRunner: QueryRunner,
): Promise<{ id: number; created: boolean } | null> {
  const first = async (): Promise<number | null> => {
    const [row] = (await queryRunner.query(`SELECT "id" FROM "frameworks" ORDER BY "id" LIMIT 1`)) as {
      id: number | string;
    }[];
    return row ? Number(row.id) : null;
  };
  const id = await first();
  if (id !== null) return { id, created: false };
  for (const table of PLAN_BOUND_TABLES) {
    const rows = (await queryRunner.query(`SELECT 1 FROM "${table}" LIMIT 1`)) as unknown[];
    if (rows.length === 0) continue;
    await queryRunner.query(
      `INSERT INTO "frameworks" ("code", "name", "region", "adopted", "version", "targetGroups", "sourceFile") VALUES ('rahmenkonzept', 'Rahmenkonzept (bei der Umstellung auf mehrere Pläne ergänzt)', '', '', '1', '[]', '')`,
    );
    return { id: (await first()) as number, created: true };
  }
  return null;
}
