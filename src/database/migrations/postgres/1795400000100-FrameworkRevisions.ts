import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillSnapshotFrameworks } from '../snapshot-framework.js';

/**
 * Fortschreibung: framework revisions and measure history (new tables, with the data-version triggers, since
 * the report and the pages read them); retired fields and departments, the framework file last applied, and
 * the framework frozen in a cycle's snapshot (filled for the snapshots already taken).
 */
const VERSIONED = ['framework_revisions', 'measure_history'];

export class FrameworkRevisionsPostgres1795400000100 implements MigrationInterface {
  name = 'FrameworkRevisionsPostgres1795400000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "framework_revisions" ("id" SERIAL NOT NULL, "effectiveDate" date NOT NULL, "reason" text NOT NULL, "authorId" integer, "authorName" character varying(400) NOT NULL, "versionBefore" character varying(40) NOT NULL, "versionAfter" character varying(40) NOT NULL, "source" character varying(10) NOT NULL, "changes" text NOT NULL, "effects" text NOT NULL, "appliedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_2fc1b0b13e630b4fc426f95f79f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e77aabb8c0ad04bd05ccbeafe4" ON "framework_revisions" ("effectiveDate") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_history" ("id" SERIAL NOT NULL, "measureId" integer NOT NULL, "revisionId" integer NOT NULL, "effectiveDate" date NOT NULL, "codeBefore" character varying(30) NOT NULL, "codeAfter" character varying(30) NOT NULL, "actionFieldCodeBefore" character varying(20) NOT NULL, "actionFieldCodeAfter" character varying(20) NOT NULL, "leadDepartmentCodeBefore" character varying(20) NOT NULL, "leadDepartmentCodeAfter" character varying(20) NOT NULL, "reason" text NOT NULL DEFAULT '', "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_a965e197ae8e6cc927f717fabdb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_32c65d1537a1d95dea26d22e83" ON "measure_history" ("revisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_612c552e19b79e58db7ea5edb0" ON "measure_history" ("measureId") `,
    );
    await queryRunner.query(`ALTER TABLE "departments" ADD "retiredOn" date`);
    await queryRunner.query(`ALTER TABLE "action_fields" ADD "retiredOn" date`);
    await queryRunner.query(`ALTER TABLE "frameworks" ADD "fileVersion" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "frameworks" ADD "fileContent" text`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" ADD "framework" text`);
    for (const table of VERSIONED)
      await queryRunner.query(
        `CREATE CONSTRAINT TRIGGER "${table}_version" AFTER INSERT OR UPDATE OR DELETE ON "${table}"
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "data_version_bump"()`,
      );
    await fillSnapshotFrameworks(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...VERSIONED].reverse())
      await queryRunner.query(`DROP TRIGGER "${table}_version" ON "${table}"`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" DROP COLUMN "framework"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "fileContent"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "fileVersion"`);
    await queryRunner.query(`ALTER TABLE "action_fields" DROP COLUMN "retiredOn"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP COLUMN "retiredOn"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_612c552e19b79e58db7ea5edb0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_32c65d1537a1d95dea26d22e83"`);
    await queryRunner.query(`DROP TABLE "measure_history"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e77aabb8c0ad04bd05ccbeafe4"`);
    await queryRunner.query(`DROP TABLE "framework_revisions"`);
  }
}
