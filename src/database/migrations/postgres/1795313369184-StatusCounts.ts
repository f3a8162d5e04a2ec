import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status counts per action field, department, level, status and example flag (and the same per goal), kept
 * by triggers in the same transaction as every change to a measure or its goals: the dashboard sums a few
 * hundred rows instead of scanning every measure, and can never read a count that its transaction's data
 * does not match. Each change is applied as one upsert in key order, so concurrent transactions lock the
 * count rows in the same order. Plus two covering indexes for the due and stale measures.
 */
const DIMENSIONS = `"actionFieldId", "leadDepartmentId", "statusKey", "level", "isExample"`;
const FIGURES = `"measures", "progressSum", "progressCount"`;
const upsert = (t: string): string =>
  `DO UPDATE SET "measures" = "${t}"."measures" + EXCLUDED."measures", "progressSum" = "${t}"."progressSum" + EXCLUDED."progressSum", "progressCount" = "${t}"."progressCount" + EXCLUDED."progressCount"`;

const statusKey = (row: string): string =>
  `CASE WHEN ${row}."lifecycle" IN ('merged', 'discontinued') THEN ${row}."lifecycle" ELSE COALESCE(${row}."status", 'none') END`;
const values = (row: string, sign: '' | '-'): string =>
  `${row}."actionFieldId", ${row}."leadDepartmentId", ${statusKey(row)}, ${row}."level", ${row}."isExample", ${sign}1, ${sign}COALESCE(${row}."progress", 0), ${sign}(CASE WHEN ${row}."progress" IS NULL THEN 0 ELSE 1 END)`;
const COLUMNS = `${DIMENSIONS}, ${FIGURES}`;
/** The old row removed and the new row added, summed per key (a change of progress alone nets to one row). */
const DELTA = `WITH d (${COLUMNS}) AS (
    SELECT ${values('o', '-')} WHERE o."id" IS NOT NULL
    UNION ALL
    SELECT ${values('n', '')} WHERE n."id" IS NOT NULL)`;
const COUNTED = [
  'actionFieldId',
  'leadDepartmentId',
  'level',
  'status',
  'lifecycle',
  'progress',
  'isExample',
];

export class StatusCountsPostgres1795313369184 implements MigrationInterface {
  name = 'StatusCountsPostgres1795313369184';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_23d913f921894eefaccc045066" ON "measures"  ("lifecycle", "statusDate", "code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7fca6b85c6ff0e95df87d8f2c3" ON "measures"  ("lifecycle", "leadDepartmentId", "plannedStart") `,
    );
    const figures = `"measures" integer NOT NULL, "progressSum" integer NOT NULL, "progressCount" integer NOT NULL`;
    const dimensions = `"actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "statusKey" character varying(20) NOT NULL, "level" character varying(20) NOT NULL, "isExample" boolean NOT NULL`;
    await queryRunner.query(
      `CREATE TABLE "measure_status_counts" (${dimensions}, ${figures}, PRIMARY KEY (${DIMENSIONS}))`,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_goal_status_counts" ("goalId" integer NOT NULL, ${dimensions}, ${figures}, PRIMARY KEY ("goalId", "statusKey", "actionFieldId", "leadDepartmentId", "level", "isExample"))`,
    );
    await queryRunner.query(
      `INSERT INTO "measure_status_counts" (${DIMENSIONS}, ${FIGURES})
       SELECT m."actionFieldId", m."leadDepartmentId", ${statusKey('m')}, m."level", m."isExample", COUNT(*), SUM(COALESCE(m."progress", 0)), COUNT(m."progress")
         FROM "measures" m GROUP BY 1, 2, 3, 4, 5`,
    );
    await queryRunner.query(
      `INSERT INTO "measure_goal_status_counts" ("goalId", ${DIMENSIONS}, ${FIGURES})
       SELECT g."goalId", m."actionFieldId", m."leadDepartmentId", ${statusKey('m')}, m."level", m."isExample", COUNT(*), SUM(COALESCE(m."progress", 0)), COUNT(m."progress")
         FROM "measures" m JOIN "measure_goals" g ON g."measureId" = m."id" GROUP BY 1, 2, 3, 4, 5, 6`,
    );
    await queryRunner.query(`CREATE FUNCTION "measures_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o "measures";
  n "measures";
BEGIN
  IF TG_OP <> 'INSERT' THEN o := OLD; END IF;
  IF TG_OP <> 'DELETE' THEN n := NEW; END IF;
  ${DELTA}
  INSERT INTO "measure_status_counts" (${COLUMNS})
  SELECT ${DIMENSIONS}, SUM("measures"), SUM("progressSum"), SUM("progressCount") FROM d
   GROUP BY ${DIMENSIONS} ORDER BY ${DIMENSIONS}
  ON CONFLICT (${DIMENSIONS}) ${upsert('measure_status_counts')};
  ${DELTA}
  INSERT INTO "measure_goal_status_counts" ("goalId", ${COLUMNS})
  SELECT g."goalId", d."actionFieldId", d."leadDepartmentId", d."statusKey", d."level", d."isExample", SUM(d."measures"), SUM(d."progressSum"), SUM(d."progressCount")
    FROM d JOIN "measure_goals" g ON g."measureId" = COALESCE(n."id", o."id")
   GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("goalId", ${DIMENSIONS}) ${upsert('measure_goal_status_counts')};
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "measure_goals_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "measure_goal_status_counts" ("goalId", ${COLUMNS})
    SELECT OLD."goalId", ${values('m', '-')} FROM "measures" m WHERE m."id" = OLD."measureId"
    ON CONFLICT ("goalId", ${DIMENSIONS}) ${upsert('measure_goal_status_counts')};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "measure_goal_status_counts" ("goalId", ${COLUMNS})
    SELECT NEW."goalId", ${values('m', '')} FROM "measures" m WHERE m."id" = NEW."measureId"
    ON CONFLICT ("goalId", ${DIMENSIONS}) ${upsert('measure_goal_status_counts')};
  END IF;
  RETURN NULL;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_insert" AFTER INSERT ON "measures" FOR EACH ROW EXECUTE FUNCTION "measures_counts_apply"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_update" AFTER UPDATE OF ${COUNTED.map((c) => `"${c}"`).join(', ')} ON "measures" FOR EACH ROW
        WHEN (${COUNTED.map((c) => `OLD."${c}" IS DISTINCT FROM NEW."${c}"`).join(' OR ')})
        EXECUTE FUNCTION "measures_counts_apply"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_delete" BEFORE DELETE ON "measures" FOR EACH ROW EXECUTE FUNCTION "measures_counts_apply"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measure_goals_counts" AFTER INSERT OR UPDATE OR DELETE ON "measure_goals" FOR EACH ROW EXECUTE FUNCTION "measure_goals_counts_apply"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "measure_goals_counts" ON "measure_goals"`);
    await queryRunner.query(`DROP TRIGGER "measures_counts_delete" ON "measures"`);
    await queryRunner.query(`DROP TRIGGER "measures_counts_update" ON "measures"`);
    await queryRunner.query(`DROP TRIGGER "measures_counts_insert" ON "measures"`);
    await queryRunner.query(`DROP FUNCTION "measure_goals_counts_apply"()`);
    await queryRunner.query(`DROP FUNCTION "measures_counts_apply"()`);
    await queryRunner.query(`DROP TABLE "measure_goal_status_counts"`);
    await queryRunner.query(`DROP TABLE "measure_status_counts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7fca6b85c6ff0e95df87d8f2c3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_23d913f921894eefaccc045066"`);
  }
}
