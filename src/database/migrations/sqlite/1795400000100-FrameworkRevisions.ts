import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillSnapshotFrameworks } from '../snapshot-framework.js';

/**
 * Fortschreibung: framework revisions and measure history (new tables, with the data-version triggers, since
 * the report and the pages read them); retired fields and departments, the framework file last applied, and
 * the framework frozen in a cycle's snapshot (filled for the snapshots already taken), added with ALTER TABLE so the tables and their triggers stay.
 */
const VERSIONED = ['framework_revisions', 'measure_history'];
const OPERATIONS = ['insert', 'update', 'delete'];

export class FrameworkRevisionsSqlite1795400000100 implements MigrationInterface {
  name = 'FrameworkRevisionsSqlite1795400000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "framework_revisions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "effectiveDate" date NOT NULL, "reason" text NOT NULL, "authorId" integer, "authorName" varchar(400) NOT NULL, "versionBefore" varchar(40) NOT NULL, "versionAfter" varchar(40) NOT NULL, "source" varchar(10) NOT NULL, "changes" text NOT NULL, "effects" text NOT NULL, "appliedAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e77aabb8c0ad04bd05ccbeafe4" ON "framework_revisions" ("effectiveDate") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "revisionId" integer NOT NULL, "effectiveDate" date NOT NULL, "codeBefore" varchar(30) NOT NULL, "codeAfter" varchar(30) NOT NULL, "actionFieldCodeBefore" varchar(20) NOT NULL, "actionFieldCodeAfter" varchar(20) NOT NULL, "leadDepartmentCodeBefore" varchar(20) NOT NULL, "leadDepartmentCodeAfter" varchar(20) NOT NULL, "reason" text NOT NULL DEFAULT (''), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_32c65d1537a1d95dea26d22e83" ON "measure_history" ("revisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_612c552e19b79e58db7ea5edb0" ON "measure_history" ("measureId") `,
    );
    await queryRunner.query(`ALTER TABLE "departments" ADD COLUMN "retiredOn" date`);
    await queryRunner.query(`ALTER TABLE "action_fields" ADD COLUMN "retiredOn" date`);
    await queryRunner.query(`ALTER TABLE "frameworks" ADD COLUMN "fileVersion" varchar(40)`);
    await queryRunner.query(`ALTER TABLE "frameworks" ADD COLUMN "fileContent" text`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" ADD COLUMN "framework" text`);
    for (const table of VERSIONED)
      for (const operation of OPERATIONS)
        await queryRunner.query(
          `CREATE TRIGGER "${table}_version_${operation}" AFTER ${operation.toUpperCase()} ON "${table}"
           BEGIN UPDATE "data_version" SET "version" = random() WHERE "id" = 1; END`,
        );
    await fillSnapshotFrameworks(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...VERSIONED].reverse())
      for (const operation of OPERATIONS)
        await queryRunner.query(`DROP TRIGGER "${table}_version_${operation}"`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" DROP COLUMN "framework"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "fileContent"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "fileVersion"`);
    await queryRunner.query(`ALTER TABLE "action_fields" DROP COLUMN "retiredOn"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP COLUMN "retiredOn"`);
    await queryRunner.query(`DROP INDEX "IDX_612c552e19b79e58db7ea5edb0"`);
    await queryRunner.query(`DROP INDEX "IDX_32c65d1537a1d95dea26d22e83"`);
    await queryRunner.query(`DROP TABLE "measure_history"`);
    await queryRunner.query(`DROP INDEX "IDX_e77aabb8c0ad04bd05ccbeafe4"`);
    await queryRunner.query(`DROP TABLE "framework_revisions"`);
  }
}
