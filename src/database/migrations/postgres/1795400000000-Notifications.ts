import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders by e-mail: the notification log (one row per account and event), the job lease table, and the
 * accounts' digest setting. Neither new table is read by the dashboard, so neither carries a data-version
 * trigger.
 */
export class NotificationsPostgres1795400000000 implements MigrationInterface {
  name = 'NotificationsPostgres1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job_locks" ("name" character varying(60) NOT NULL, "holder" character varying(100) NOT NULL, "leaseUntil" bigint NOT NULL, CONSTRAINT "PK_812f3927444814105513843d4e0" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_log" ("id" SERIAL NOT NULL, "userId" integer NOT NULL, "recipient" character varying(254) NOT NULL, "eventKey" character varying(200) NOT NULL, "kind" character varying(40) NOT NULL, "subject" character varying(300) NOT NULL, "textBody" text NOT NULL, "htmlBody" text NOT NULL, "state" character varying(20) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "lastError" text NOT NULL DEFAULT '', "nextAttemptAt" TIMESTAMP, "sentAt" TIMESTAMP, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_6f761cfbbd064e0f326960877d6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4d5c24591bddd34d855c3d97db" ON "notification_log" ("state", "nextAttemptAt") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c14bcc26bc1d08b502e8d9a936" ON "notification_log" ("userId", "eventKey") `,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "digestEmails" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(
      `ALTER TABLE "notification_log" ADD CONSTRAINT "FK_2f40110b0e8bd7f9e6ec23c930d" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_log" DROP CONSTRAINT "FK_2f40110b0e8bd7f9e6ec23c930d"`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "digestEmails"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c14bcc26bc1d08b502e8d9a936"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4d5c24591bddd34d855c3d97db"`);
    await queryRunner.query(`DROP TABLE "notification_log"`);
    await queryRunner.query(`DROP TABLE "job_locks"`);
  }
}
