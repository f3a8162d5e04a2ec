import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Öffentliches Berichtswesen: a cycle's publication can be taken back (reason and time kept on the cycle), the
 * accepted reports' obstacles and next steps may be published with a cycle, and the plan decides whether the
 * budget is public (with a version for its settings). Added with ALTER TABLE so the tables and their triggers
 * stay.
 */
export class PublicReportingSqlite1795400000200 implements MigrationInterface {
  name = 'PublicReportingSqlite1795400000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "reporting_cycles" ADD COLUMN "unpublishReason" text NOT NULL DEFAULT ('')`,
    );
    await queryRunner.query(`ALTER TABLE "reporting_cycles" ADD COLUMN "unpublishedAt" datetime`);
    await queryRunner.query(
      `ALTER TABLE "reporting_cycles" ADD COLUMN "publicReportTexts" boolean NOT NULL DEFAULT (0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "frameworks" ADD COLUMN "publicBudget" boolean NOT NULL DEFAULT (0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "frameworks" ADD COLUMN "settingsVersion" integer NOT NULL DEFAULT (1)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "settingsVersion"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "publicBudget"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "publicReportTexts"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "unpublishedAt"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "unpublishReason"`);
  }
}
