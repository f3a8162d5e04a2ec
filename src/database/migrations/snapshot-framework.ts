import type { QueryRunner } from 'typeorm';

/**
 * For the FrameworkRevisions migration: the snapshots of cycles closed before it get the framework as the
 * tables hold it. No revision exists yet when it runs, so that is the framework at their close (as far as the
 * database knows it), and their figures stay listed by the fields and departments their items point at, even
 * after a revision splits or merges them. Same shape as framework-at-close.ts writes; plain SQL, so that later
 * changes of the entities do not change what this migration does.
 */
export async function fillSnapshotFrameworks(queryRunner: QueryRunner): Promise<void> {
  const rows = async <T>(sql: string): Promise<T[]> => (await queryRunner.query(sql)) as T[];
  const snapshots = await rows<{ id: number }>(
    `SELECT "id" FROM "cycle_snapshots" WHERE "framework" IS NULL`,
  );
  if (snapshots.length === 0) return;
  const order = `ORDER BY "sortOrder" ASC, "id" ASC`;
  type Row = { id: number; code: string; sortOrder: number };
  const [framework] = await rows<{ version: string }>(
    `SELECT "version" FROM "frameworks" ORDER BY "id" LIMIT 1`,
  );
  const goals = await rows<Row & { title: string }>(
    `SELECT "id", "code", "title", "sortOrder" FROM "goals" ${order}`,
  );
  const fields = await rows<Row & { title: string }>(
    `SELECT "id", "code", "title", "sortOrder" FROM "action_fields" ${order}`,
  );
  const departments = await rows<Row & { name: string }>(
    `SELECT "id", "code", "name", "sortOrder" FROM "departments" ${order}`,
  );
  const bodies = await rows<Row & { name: string; description: string; min: number; max: number | null }>(
    `SELECT "id", "code", "name", "description", "sortOrder", "minMeetingsPerYear" AS "min", "maxMeetingsPerYear" AS "max" FROM "governance_bodies" ${order}`,
  );
  const entry = (r: Row, title: string) => ({
    id: Number(r.id),
    code: r.code,
    title,
    sortOrder: Number(r.sortOrder),
  });
  const frozen = JSON.stringify({
    version: framework?.version ?? '',
    goals: goals.map((g) => entry(g, g.title)),
    actionFields: fields.map((f) => entry(f, f.title)),
    departments: departments.map((d) => ({ ...entry(d, d.name), name: d.name })),
    bodies: bodies.map((b) => ({
      ...entry(b, b.name),
      description: b.description,
      min: Number(b.min),
      max: b.max === null ? null : Number(b.max),
    })),
  });
  const parameter = queryRunner.connection.options.type === 'postgres' ? '$1' : '?';
  await queryRunner.query(
    `UPDATE "cycle_snapshots" SET "framework" = ${parameter} WHERE "framework" IS NULL`,
    [frozen],
  );
}
