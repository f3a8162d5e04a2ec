import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImplementationReportsSqlite1795308064235 implements MigrationInterface {
  name = 'ImplementationReportsSqlite1795308064235';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "implementation_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "cycleCode" varchar(40) NOT NULL, "fileName" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "draft" boolean NOT NULL, "containsExampleData" boolean NOT NULL, "measureCount" integer NOT NULL, "generatedById" integer, "generatedBy" varchar(254) NOT NULL DEFAULT (''), "generatedAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b3cd76cd53bd2da4b7a3cdf307" ON "implementation_reports" ("cycleId", "generatedAt") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_b3cd76cd53bd2da4b7a3cdf307"`);
    await queryRunner.query(`DROP TABLE "implementation_reports"`);
  }
}
