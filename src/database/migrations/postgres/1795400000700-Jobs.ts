import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: long work (large reports, large plan imports) is queued in `jobs` and
 * taken up by exactly one instance (`FOR UPDATE SKIP LOCKED`), which renews its lease while it works. Not read
 * by the dashboard, so no data-version trigger.
 */
export class JobsPostgres1795400000700 implements MigrationInterface {
  name = 'JobsPostgres1795400000700';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "jobs" ("id" SERIAL NOT NULL, "kind" character varying(40) NOT NULL, "state" character varying(20) NOT NULL DEFAULT 'queued', "payload" text NOT NULL DEFAULT '{}', "input" text, "step" character varying(200) NOT NULL DEFAULT '', "progressDone" integer NOT NULL DEFAULT '0', "progressTotal" integer NOT NULL DEFAULT '0', "attempts" integer NOT NULL DEFAULT '0', "holder" character varying(100), "leaseUntil" bigint NOT NULL DEFAULT '0', "result" text, "error" text, "errorDetails" text, "createdById" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "startedAt" TIMESTAMP, "finishedAt" TIMESTAMP, CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_jobs_state_lease" ON "jobs" ("state", "leaseUntil") `);
    await queryRunner.query(`CREATE INDEX "IDX_jobs_owner" ON "jobs" ("createdById", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_jobs_owner"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_jobs_state_lease"`);
    await queryRunner.query(`DROP TABLE "jobs"`);
  }
}
