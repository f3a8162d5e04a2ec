import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: a workbook checked in a preview is kept in the database until
 * "Übernehmen" (at most 30 minutes), so that any instance applies it and a restart loses nothing. Not read by
 * the dashboard, so no data-version trigger.
 */
export class StagedUploadsPostgres1795400000600 implements MigrationInterface {
  name = 'StagedUploadsPostgres1795400000600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staged_uploads" ("key" character varying(64) NOT NULL, "ownerId" integer NOT NULL, "kind" character varying(40) NOT NULL, "size" integer NOT NULL, "expiresAt" bigint NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "content" bytea NOT NULL, CONSTRAINT "PK_staged_uploads" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "staged_uploads"`);
  }
}
