import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data version that changes with every committed write to the tables the dashboard reads, in the same
 * transaction (triggers), so that identical dashboard requests between two changes can share one computation
 * without ever answering from older data. On SQLite the version is a fresh random number rather than a
 * counter: a transaction that rolls back must not leave a number that a later write would produce again.
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
const OPERATIONS = ['insert', 'update', 'delete'];

export class DataVersionSqlite1795313932768 implements MigrationInterface {
  name = 'DataVersionSqlite1795313932768';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "data_version" ("id" integer PRIMARY KEY NOT NULL, "version" bigint NOT NULL)`,
    );
    await queryRunner.query(`INSERT INTO "data_version" ("id", "version") VALUES (1, random())`);
    for (const table of TABLES)
      for (const operation of OPERATIONS)
        await queryRunner.query(
          `CREATE TRIGGER "${table}_version_${operation}" AFTER ${operation.toUpperCase()} ON "${table}"
           BEGIN UPDATE "data_version" SET "version" = random() WHERE "id" = 1; END`,
        );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse())
      for (const operation of OPERATIONS)
        await queryRunner.query(`DROP TRIGGER "${table}_version_${operation}"`);
    await queryRunner.query(`DROP TABLE "data_version"`);
  }
}
