import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participation formats belong to the body (governance_bodies.participationFormats) and a meeting stores its
 * format by name: Bremen's body "beteiligungsformate" gets its two formats where none are set yet, and meetings
 * stored with the code "uebergreifend" get the name "übergreifend" ("themenspezifisch" is both).
 */
export class ParticipationFormatsPostgres1795400000970 implements MigrationInterface {
  name = 'ParticipationFormatsPostgres1795400000970';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "governance_bodies" SET "participationFormats" = '["übergreifend","themenspezifisch"]' WHERE "code" = 'beteiligungsformate' AND ("participationFormats" IS NULL OR "participationFormats" = '[]')`,
    );
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'übergreifend' WHERE "participationType" = 'uebergreifend'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'uebergreifend' WHERE "participationType" = 'übergreifend'`,
    );
  }
}
