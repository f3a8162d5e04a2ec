import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data version that changes with every committed write to the tables the dashboard reads, in the same
 * transaction, so that identical dashboard requests between two changes can share one computation without
 * ever answering from older data. The triggers are deferred to the commit, so the version row is the last
 * lock a transaction takes (no lock-order conflict with the rows it changed), and only the first change of a
 * transaction moves the version.
 */
const TABLES = [
  'action_fields',
  'cycle_snapshot_item_goals',
  'cycle_snapshot_items',
  'cycle_snapshots',
  'decision_measures',
  'decision_state_changes',
  'decisions',
  'departments',
  'frameworks',
  'goals',
  'governance_bodies',
  'indicator_values',
  'indicators',
  'measure_changes',
  'measure_goals',
  'measure_participating_departments',
  'measures',
  'meetings',
  'reporting_cycles',
  'status_reports',
];

export class DataVersionPostgres1795313932768 implements MigrationInterface {
  name = 'DataVersionPostgres1795313932768';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "data_version" ("id" integer NOT NULL, "version" bigint NOT NULL, CONSTRAINT "PK_data_version" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "data_version" ("id", "version") VALUES (1, 1)`);
    await queryRunner.query(`CREATE FUNCTION "data_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('monitor.version_moved', true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1;
    PERFORM set_config('monitor.version_moved', txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$`);
    for (const table of TABLES)
      await queryRunner.query(
        `CREATE CONSTRAINT TRIGGER "${table}_version" AFTER INSERT OR UPDATE OR DELETE ON "${table}"
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "data_version_bump"()`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse())
      await queryRunner.query(`DROP TRIGGER "${table}_version" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION "data_version_bump"()`);
    await queryRunner.query(`DROP TABLE "data_version"`);
  }
}
