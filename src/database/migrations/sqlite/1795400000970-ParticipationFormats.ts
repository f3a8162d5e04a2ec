import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participation formats belong to the body (governance_bodies.participationFormats) and a meeting stores its
 * format by name: Bremen's body "beteiligungsformate" gets its two formats where none are set yet, and meetings
 * stored with the code "uebergreifend" get the name "übergreifend" ("themenspezifisch" is both). The dashboard
 * now counts by area: a change of areas or of a measure's areas moves the data version, as every table it
 * reads does; so does a change of the organisations taking part in a plan (framework_departments).
 */
const AREA_TABLES = ['areas', 'measure_areas', 'framework_departments'];

export class ParticipationFormatsSqlite1795400000970 implements MigrationInterface {
  name = 'ParticipationFormatsSqlite1795400000970';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of AREA_TABLES)
      for (const operation of ['insert', 'update', 'delete'])
        await queryRunner.query(
          `CREATE TRIGGER IF NOT EXISTS "${table}_version_${operation}" AFTER ${operation.toUpperCase()} ON "${table}"
           BEGIN UPDATE "data_version" SET "version" = random() WHERE "id" = 1; END`,
        );
    await queryRunner.query(
      `UPDATE "governance_bodies" SET "participationFormats" = '["übergreifend","themenspezifisch"]' WHERE "code" = 'beteiligungsformate' AND ("participationFormats" IS NULL OR "participationFormats" = '[]')`,
    );
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'übergreifend' WHERE "participationType" = 'uebergreifend'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of AREA_TABLES)
      for (const operation of ['insert', 'update', 'delete'])
        await queryRunner.query(`DROP TRIGGER "${table}_version_${operation}"`);
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'uebergreifend' WHERE "participationType" = 'übergreifend'`,
    );
  }
}
