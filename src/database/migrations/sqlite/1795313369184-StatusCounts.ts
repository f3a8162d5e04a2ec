import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status counts per action field, department, level, status and example flag (and the same per goal), kept
 * by triggers in the same transaction as every change to a measure or its goals: the dashboard sums a few
 * hundred rows instead of scanning every measure, and can never read a count that its transaction's data
 * does not match. Plus two covering indexes for the due and stale measures.
 */
const DIMENSIONS = `"actionFieldId", "leadDepartmentId", "statusKey", "level", "isExample"`;
const FIGURES = `"measures", "progressSum", "progressCount"`;
const UPSERT = `DO UPDATE SET "measures" = "measures" + excluded."measures", "progressSum" = "progressSum" + excluded."progressSum", "progressCount" = "progressCount" + excluded."progressCount"`;

const statusKey = (row: string): string =>
  `CASE WHEN ${row}."lifecycle" IN ('merged', 'discontinued') THEN ${row}."lifecycle" ELSE COALESCE(${row}."status", 'none') END`;
const values = (row: string, sign: '' | '-'): string =>
  `${row}."actionFieldId", ${row}."leadDepartmentId", ${statusKey(row)}, ${row}."level", ${row}."isExample", ${sign}1, ${sign}COALESCE(${row}."progress", 0), ${sign}(${row}."progress" IS NOT NULL)`;
/** Adds (sign '') or removes (sign '-') the measure row `row` to the totals. */
const countMeasure = (row: string, sign: '' | '-'): string =>
  `INSERT INTO "measure_status_counts" (${DIMENSIONS}, ${FIGURES}) VALUES (${values(row, sign)}) ON CONFLICT (${DIMENSIONS}) ${UPSERT};`;
/** Adds or removes the measure row `row` to the counts of every goal it is linked to. */
const countMeasureGoals = (row: string, sign: '' | '-'): string =>
  `INSERT INTO "measure_goal_status_counts" ("goalId", ${DIMENSIONS}, ${FIGURES}) SELECT g."goalId", ${values(row, sign)} FROM "measure_goals" g WHERE g."measureId" = ${row}."id" ON CONFLICT ("goalId", ${DIMENSIONS}) ${UPSERT};`;
/** Adds or removes one goal link, with the linked measure as it is now. */
const countGoalLink = (row: string, sign: '' | '-'): string =>
  `INSERT INTO "measure_goal_status_counts" ("goalId", ${DIMENSIONS}, ${FIGURES}) SELECT ${row}."goalId", ${values('m', sign)} FROM "measures" m WHERE m."id" = ${row}."measureId" ON CONFLICT ("goalId", ${DIMENSIONS}) ${UPSERT};`;
const COUNTED = [
  'actionFieldId',
  'leadDepartmentId',
  'level',
  'status',
  'lifecycle',
  'progress',
  'isExample',
];

export class StatusCountsSqlite1795313369184 implements MigrationInterface {
  name = 'StatusCountsSqlite1795313369184';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_23d913f921894eefaccc045066" ON "measures" ("lifecycle", "statusDate", "code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7fca6b85c6ff0e95df87d8f2c3" ON "measures" ("lifecycle", "leadDepartmentId", "plannedStart") `,
    );
    const figures = `"measures" integer NOT NULL, "progressSum" integer NOT NULL, "progressCount" integer NOT NULL`;
    const dimensions = `"actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "statusKey" varchar(20) NOT NULL, "level" varchar(20) NOT NULL, "isExample" boolean NOT NULL`;
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
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_insert" AFTER INSERT ON "measures" BEGIN ${countMeasure('NEW', '')} ${countMeasureGoals('NEW', '')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_update" AFTER UPDATE OF ${COUNTED.map((c) => `"${c}"`).join(', ')} ON "measures"
        WHEN ${COUNTED.map((c) => `OLD."${c}" IS NOT NEW."${c}"`).join(' OR ')}
        BEGIN ${countMeasure('OLD', '-')} ${countMeasure('NEW', '')} ${countMeasureGoals('OLD', '-')} ${countMeasureGoals('NEW', '')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measures_counts_delete" BEFORE DELETE ON "measures" BEGIN ${countMeasure('OLD', '-')} ${countMeasureGoals('OLD', '-')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measure_goals_counts_insert" AFTER INSERT ON "measure_goals" BEGIN ${countGoalLink('NEW', '')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measure_goals_counts_delete" AFTER DELETE ON "measure_goals" BEGIN ${countGoalLink('OLD', '-')} END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "measure_goals_counts_update" AFTER UPDATE ON "measure_goals" BEGIN ${countGoalLink('OLD', '-')} ${countGoalLink('NEW', '')} END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of [
      'measure_goals_counts_update',
      'measure_goals_counts_delete',
      'measure_goals_counts_insert',
      'measures_counts_delete',
      'measures_counts_update',
      'measures_counts_insert',
    ])
      await queryRunner.query(`DROP TRIGGER "${trigger}"`);
    await queryRunner.query(`DROP TABLE "measure_goal_status_counts"`);
    await queryRunner.query(`DROP TABLE "measure_status_counts"`);
    await queryRunner.query(`DROP INDEX "IDX_7fca6b85c6ff0e95df87d8f2c3"`);
    await queryRunner.query(`DROP INDEX "IDX_23d913f921894eefaccc045066"`);
  }
}
