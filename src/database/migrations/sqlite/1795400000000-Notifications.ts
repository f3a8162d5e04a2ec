import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders by e-mail: the notification log (one row per account and event), the job lease table, and the
 * accounts' digest setting (added with ALTER TABLE, so the users table is not rebuilt). Neither new table is
 * read by the dashboard, so neither carries a data-version trigger.
 */
export class NotificationsSqlite1795400000000 implements MigrationInterface {
  name = 'NotificationsSqlite1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job_locks" ("name" varchar(60) PRIMARY KEY NOT NULL, "holder" varchar(100) NOT NULL, "leaseUntil" bigint NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "userId" integer NOT NULL, "recipient" varchar(254) NOT NULL, "eventKey" varchar(200) NOT NULL, "kind" varchar(40) NOT NULL, "subject" varchar(300) NOT NULL, "textBody" text NOT NULL, "htmlBody" text NOT NULL, "state" varchar(20) NOT NULL DEFAULT ('pending'), "attempts" integer NOT NULL DEFAULT (0), "lastError" text NOT NULL DEFAULT (''), "nextAttemptAt" datetime, "sentAt" datetime, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_2f40110b0e8bd7f9e6ec23c930d" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4d5c24591bddd34d855c3d97db" ON "notification_log" ("state", "nextAttemptAt") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c14bcc26bc1d08b502e8d9a936" ON "notification_log" ("userId", "eventKey") `,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "digestEmails" boolean NOT NULL DEFAULT (1)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "digestEmails"`);
    await queryRunner.query(`DROP INDEX "IDX_c14bcc26bc1d08b502e8d9a936"`);
    await queryRunner.query(`DROP INDEX "IDX_4d5c24591bddd34d855c3d97db"`);
    await queryRunner.query(`DROP TABLE "notification_log"`);
    await queryRunner.query(`DROP TABLE "job_locks"`);
  }
}
