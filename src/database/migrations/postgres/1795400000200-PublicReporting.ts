import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Öffentliches Berichtswesen: a cycle's publication can be taken back (reason and time kept on the cycle), the
 * accepted reports' obstacles and next steps may be published with a cycle, and the plan decides whether the
 * budget is public (with a version for its settings).
 */
export class PublicReportingPostgres1795400000200 implements MigrationInterface {
  name = 'PublicReportingPostgres1795400000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reporting_cycles" ADD "unpublishReason" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" ADD "unpublishedAt" TIMESTAMP`);
    await queryRunner.query(
      `ALTER TABLE "reporting_cycles" ADD "publicReportTexts" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE "frameworks" ADD "publicBudget" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "frameworks" ADD "settingsVersion" integer NOT NULL DEFAULT '1'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "settingsVersion"`);
    await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "publicBudget"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "publicReportTexts"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "unpublishedAt"`);
    await queryRunner.query(`ALTER TABLE "reporting_cycles" DROP COLUMN "unpublishReason"`);
  }
}
