import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participation formats belong to the body (governance_bodies.participationFormats) and a meeting stores its
 * format by name: Bremen's body "beteiligungsformate" gets its two formats where none are set yet, and meetings
 * stored with the code "uebergreifend" get the name "übergreifend" ("themenspezifisch" is both). The dashboard
 * now counts by area: a change of areas or of a measure's areas moves the data version, as every table it
 * reads does; so does a change of the organisations taking part in a plan (framework_departments).
 */
const AREA_TABLES = ['areas', 'measure_areas', 'framework_departments'];

export class ParticipationFormatsPostgres1795400000970 implements MigrationInterface {
  name = 'ParticipationFormatsPostgres1795400000970';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of AREA_TABLES)
      await queryRunner.query(
        `CREATE CONSTRAINT TRIGGER "${table}_version" AFTER INSERT OR UPDATE OR DELETE ON "${table}"
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "data_version_bump"()`,
      );
    await queryRunner.query(
      `UPDATE "governance_bodies" SET "participationFormats" = '["übergreifend","themenspezifisch"]' WHERE "code" = 'beteiligungsformate' AND ("participationFormats" IS NULL OR "participationFormats" = '[]')`,
    );
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'übergreifend' WHERE "participationType" = 'uebergreifend'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of AREA_TABLES) await queryRunner.query(`DROP TRIGGER "${table}_version" ON "${table}"`);
    await queryRunner.query(
      `UPDATE "meetings" SET "participationType" = 'uebergreifend' WHERE "participationType" = 'übergreifend'`,
    );
  }
}
