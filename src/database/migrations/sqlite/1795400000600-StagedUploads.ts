import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: a workbook checked in a preview is kept in the database until
 * "Übernehmen" (at most 30 minutes), so that any instance applies it and a restart loses nothing. Not read by
 * the dashboard, so no data-version trigger.
 */
export class StagedUploadsSqlite1795400000600 implements MigrationInterface {
  name = 'StagedUploadsSqlite1795400000600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staged_uploads" ("key" varchar(64) PRIMARY KEY NOT NULL, "ownerId" integer NOT NULL, "kind" varchar(40) NOT NULL, "size" integer NOT NULL, "expiresAt" bigint NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "content" blob NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "staged_uploads"`);
  }
}
