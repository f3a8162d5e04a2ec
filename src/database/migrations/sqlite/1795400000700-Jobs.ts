import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: long work (large reports, large plan imports) is queued in `jobs` and
 * taken up by exactly one instance, which renews its lease while it works. Not read by the dashboard, so no
 * data-version trigger.
 */
export class JobsSqlite1795400000700 implements MigrationInterface {
  name = 'JobsSqlite1795400000700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "jobs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(40) NOT NULL, "state" varchar(20) NOT NULL DEFAULT ('queued'), "payload" text NOT NULL DEFAULT ('{}'), "input" text, "step" varchar(200) NOT NULL DEFAULT (''), "progressDone" integer NOT NULL DEFAULT (0), "progressTotal" integer NOT NULL DEFAULT (0), "attempts" integer NOT NULL DEFAULT (0), "holder" varchar(100), "leaseUntil" bigint NOT NULL DEFAULT (0), "result" text, "error" text, "errorDetails" text, "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "startedAt" datetime, "finishedAt" datetime)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_jobs_state_lease" ON "jobs" ("state", "leaseUntil") `);
    await queryRunner.query(`CREATE INDEX "IDX_jobs_owner" ON "jobs" ("createdById", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_jobs_owner"`);
    await queryRunner.query(`DROP INDEX "IDX_jobs_state_lease"`);
    await queryRunner.query(`DROP TABLE "jobs"`);
  }
}
