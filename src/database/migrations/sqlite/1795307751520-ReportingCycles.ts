import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportingCyclesSqlite1795307751520 implements MigrationInterface {
  name = 'ReportingCyclesSqlite1795307751520';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_item_goals" ("itemId" integer NOT NULL, "goalId" integer NOT NULL, PRIMARY KEY ("itemId", "goalId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_202b6a696e65080261bb196ca7" ON "cycle_snapshot_item_goals" ("goalId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshots" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "takenAt" datetime NOT NULL DEFAULT (datetime('now')), "takenById" integer, "measureCount" integer NOT NULL, "supersededAt" datetime)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1b3c522ea5034d3313781a233d" ON "cycle_snapshots" ("cycleId", "supersededAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "snapshotId" integer NOT NULL, "measureId" integer NOT NULL, "code" varchar(30) NOT NULL, "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "lifecycle" varchar(20) NOT NULL, "isExample" boolean NOT NULL DEFAULT (0), "targetGroups" text NOT NULL, "reportId" integer, "status" varchar(20), "progress" integer, "reportedAt" date, "summary" text NOT NULL DEFAULT (''), "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "master" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_67caf18edcc8d4624ae7ecd9ae" ON "cycle_snapshot_items" ("snapshotId", "measureId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(`DROP INDEX "IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_status_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "status" varchar(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "reportedAt" date NOT NULL, "authorId" integer, "reviewState" varchar(20) NOT NULL DEFAULT ('submitted'), "reviewComment" text NOT NULL DEFAULT (''), "reviewedById" integer, "reviewedAt" datetime, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "correctsReportId" integer, CONSTRAINT "FK_7009d4f44f4a25f35a1ab24d64d" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_status_reports"("id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "isExample", "createdAt") SELECT "id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "isExample", "createdAt" FROM "status_reports"`,
    );
    await queryRunner.query(`DROP TABLE "status_reports"`);
    await queryRunner.query(`ALTER TABLE "temporary_status_reports" RENAME TO "status_reports"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports" ("measureId", "reportedAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports" ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_reporting_cycles" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" varchar(20) NOT NULL DEFAULT ('planned'), "version" integer NOT NULL, "reopenReason" text NOT NULL DEFAULT (''), "closedAt" datetime, "publishedAt" datetime, CONSTRAINT "UQ_853ac335523c85da75b3fe945ff" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_reporting_cycles"("id", "code", "name", "periodStart", "periodEnd", "inputDeadline", "publicationTarget", "state", "version") SELECT "id", "code", "name", "periodStart", "periodEnd", "inputDeadline", "publicationTarget", "state", "version" FROM "reporting_cycles"`,
    );
    await queryRunner.query(`DROP TABLE "reporting_cycles"`);
    await queryRunner.query(`ALTER TABLE "temporary_reporting_cycles" RENAME TO "reporting_cycles"`);
    await queryRunner.query(`DROP INDEX "IDX_1b3c522ea5034d3313781a233d"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_cycle_snapshots" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "takenAt" datetime NOT NULL DEFAULT (datetime('now')), "takenById" integer, "measureCount" integer NOT NULL, "supersededAt" datetime, CONSTRAINT "FK_f757ac1211bb3dbcaf565597706" FOREIGN KEY ("cycleId") REFERENCES "reporting_cycles" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_cycle_snapshots"("id", "cycleId", "takenAt", "takenById", "measureCount", "supersededAt") SELECT "id", "cycleId", "takenAt", "takenById", "measureCount", "supersededAt" FROM "cycle_snapshots"`,
    );
    await queryRunner.query(`DROP TABLE "cycle_snapshots"`);
    await queryRunner.query(`ALTER TABLE "temporary_cycle_snapshots" RENAME TO "cycle_snapshots"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_1b3c522ea5034d3313781a233d" ON "cycle_snapshots" ("cycleId", "supersededAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_67caf18edcc8d4624ae7ecd9ae"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_cycle_snapshot_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "snapshotId" integer NOT NULL, "measureId" integer NOT NULL, "code" varchar(30) NOT NULL, "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "lifecycle" varchar(20) NOT NULL, "isExample" boolean NOT NULL DEFAULT (0), "targetGroups" text NOT NULL, "reportId" integer, "status" varchar(20), "progress" integer, "reportedAt" date, "summary" text NOT NULL DEFAULT (''), "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "master" text NOT NULL, CONSTRAINT "FK_f33a6167d0d3d7b8470ed7bd97b" FOREIGN KEY ("snapshotId") REFERENCES "cycle_snapshots" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_cycle_snapshot_items"("id", "snapshotId", "measureId", "code", "actionFieldId", "leadDepartmentId", "level", "lifecycle", "isExample", "targetGroups", "reportId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps", "master") SELECT "id", "snapshotId", "measureId", "code", "actionFieldId", "leadDepartmentId", "level", "lifecycle", "isExample", "targetGroups", "reportId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps", "master" FROM "cycle_snapshot_items"`,
    );
    await queryRunner.query(`DROP TABLE "cycle_snapshot_items"`);
    await queryRunner.query(`ALTER TABLE "temporary_cycle_snapshot_items" RENAME TO "cycle_snapshot_items"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_67caf18edcc8d4624ae7ecd9ae" ON "cycle_snapshot_items" ("snapshotId", "measureId") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_67caf18edcc8d4624ae7ecd9ae"`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshot_items" RENAME TO "temporary_cycle_snapshot_items"`);
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "snapshotId" integer NOT NULL, "measureId" integer NOT NULL, "code" varchar(30) NOT NULL, "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "lifecycle" varchar(20) NOT NULL, "isExample" boolean NOT NULL DEFAULT (0), "targetGroups" text NOT NULL, "reportId" integer, "status" varchar(20), "progress" integer, "reportedAt" date, "summary" text NOT NULL DEFAULT (''), "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "master" text NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "cycle_snapshot_items"("id", "snapshotId", "measureId", "code", "actionFieldId", "leadDepartmentId", "level", "lifecycle", "isExample", "targetGroups", "reportId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps", "master") SELECT "id", "snapshotId", "measureId", "code", "actionFieldId", "leadDepartmentId", "level", "lifecycle", "isExample", "targetGroups", "reportId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps", "master" FROM "temporary_cycle_snapshot_items"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_cycle_snapshot_items"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_67caf18edcc8d4624ae7ecd9ae" ON "cycle_snapshot_items" ("snapshotId", "measureId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_1b3c522ea5034d3313781a233d"`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" RENAME TO "temporary_cycle_snapshots"`);
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshots" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "takenAt" datetime NOT NULL DEFAULT (datetime('now')), "takenById" integer, "measureCount" integer NOT NULL, "supersededAt" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "cycle_snapshots"("id", "cycleId", "takenAt", "takenById", "measureCount", "supersededAt") SELECT "id", "cycleId", "takenAt", "takenById", "measureCount", "supersededAt" FROM "temporary_cycle_snapshots"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_cycle_snapshots"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_1b3c522ea5034d3313781a233d" ON "cycle_snapshots" ("cycleId", "supersededAt") `,
    );
    await queryRunner.query(`ALTER TABLE "reporting_cycles" RENAME TO "temporary_reporting_cycles"`);
    await queryRunner.query(
      `CREATE TABLE "reporting_cycles" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" varchar(20) NOT NULL DEFAULT ('planned'), "version" integer NOT NULL, CONSTRAINT "UQ_853ac335523c85da75b3fe945ff" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "reporting_cycles"("id", "code", "name", "periodStart", "periodEnd", "inputDeadline", "publicationTarget", "state", "version") SELECT "id", "code", "name", "periodStart", "periodEnd", "inputDeadline", "publicationTarget", "state", "version" FROM "temporary_reporting_cycles"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_reporting_cycles"`);
    await queryRunner.query(`DROP INDEX "IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(`DROP INDEX "IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(`ALTER TABLE "status_reports" RENAME TO "temporary_status_reports"`);
    await queryRunner.query(
      `CREATE TABLE "status_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "status" varchar(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "reportedAt" date NOT NULL, "authorId" integer, "reviewState" varchar(20) NOT NULL DEFAULT ('submitted'), "reviewComment" text NOT NULL DEFAULT (''), "reviewedById" integer, "reviewedAt" datetime, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_7009d4f44f4a25f35a1ab24d64d" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "status_reports"("id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "isExample", "createdAt") SELECT "id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "isExample", "createdAt" FROM "temporary_status_reports"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_status_reports"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports" ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports" ("measureId", "reportedAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_67caf18edcc8d4624ae7ecd9ae"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_items"`);
    await queryRunner.query(`DROP INDEX "IDX_1b3c522ea5034d3313781a233d"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshots"`);
    await queryRunner.query(`DROP INDEX "IDX_202b6a696e65080261bb196ca7"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_item_goals"`);
  }
}
