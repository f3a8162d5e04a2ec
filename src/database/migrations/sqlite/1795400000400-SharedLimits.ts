import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: failed sign-ins and the open data's requests per address are counted in
 * the database, so every instance applies the same limit. Neither table is read by the dashboard, so neither
 * carries a data-version trigger.
 */
export class SharedLimitsSqlite1795400000400 implements MigrationInterface {
  name = 'SharedLimitsSqlite1795400000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "keyHash" varchar(64) NOT NULL, "failedAt" bigint NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_login_failures_time" ON "login_failures" ("failedAt") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_login_failures_key_time" ON "login_failures" ("keyHash", "failedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rate_limit_counters" ("scope" varchar(20) NOT NULL, "keyHash" varchar(64) NOT NULL, "minute" integer NOT NULL, "hits" integer NOT NULL, PRIMARY KEY ("scope", "keyHash", "minute"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_rate_limit_counters_minute" ON "rate_limit_counters" ("minute") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_rate_limit_counters_minute"`);
    await queryRunner.query(`DROP TABLE "rate_limit_counters"`);
    await queryRunner.query(`DROP INDEX "IDX_login_failures_key_time"`);
    await queryRunner.query(`DROP INDEX "IDX_login_failures_time"`);
    await queryRunner.query(`DROP TABLE "login_failures"`);
  }
}
