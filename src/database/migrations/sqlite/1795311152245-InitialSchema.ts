import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1795311152245 implements MigrationInterface {
  name = 'InitialSchemaSqlite1795311152245';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entries" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "userId" integer, "userEmail" varchar(254) NOT NULL DEFAULT (''), "action" varchar(40) NOT NULL, "entity" varchar(60) NOT NULL, "entityId" varchar(60) NOT NULL DEFAULT (''), "changes" text NOT NULL, "note" varchar(500) NOT NULL DEFAULT (''), "ipAddress" varchar(64) NOT NULL DEFAULT (''), "requestId" varchar(64) NOT NULL DEFAULT (''))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_20d78b0de44d6a04036df62479" ON "audit_entries" ("createdAt") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4f0f7e8fb23df1aaf97a382da5" ON "audit_entries" ("userId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_76d3b3045a9f72063f99f51d4d" ON "audit_entries" ("entity", "entityId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "departments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "name" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "kind" varchar(10) NOT NULL DEFAULT ('senate'), "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_91fddbe23e927e1e525c152baa3" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "email" varchar(254) NOT NULL, "displayName" varchar(120) NOT NULL, "role" varchar(10) NOT NULL, "departmentId" integer, "passwordHash" varchar(100) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "tokenGeneration" integer NOT NULL DEFAULT (0), "isDemo" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "action_fields" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_a2521c6a7a1d568fc65fb4ebf31" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "frameworks" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(60) NOT NULL, "name" varchar(300) NOT NULL, "region" varchar(200) NOT NULL, "adopted" varchar(10) NOT NULL, "version" varchar(40) NOT NULL, "staleAfterDays" integer NOT NULL DEFAULT (180), "targetGroups" text NOT NULL, "sourceFile" varchar(500) NOT NULL, "demoMode" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_f15481d9c9c9e7136883fe96cd3" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "goals" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_0712df78785549b7c74f6077cc7" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "decision_state_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "decisionId" integer NOT NULL, "fromState" varchar(20), "toState" varchar(20) NOT NULL, "comment" text NOT NULL DEFAULT (''), "userId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5d3f44f9443fb8f3d70ec7a279" ON "decision_state_changes" ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measures" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" varchar(20) NOT NULL DEFAULT ('active'), "lifecycleReason" text NOT NULL DEFAULT (''), "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" varchar(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_486660a87d2511ed51cedc1e6a1" UNIQUE ("code"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7b7def62c9d80cfbf3b88220e7" ON "measures" ("status") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_44816ac33cda4e3a4dbbfa4967" ON "measures" ("actionFieldId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0c851484f5e37102ee5e513131" ON "measures" ("leadDepartmentId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE TABLE "governance_bodies" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(60) NOT NULL, "name" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "minMeetingsPerYear" integer NOT NULL DEFAULT (0), "maxMeetingsPerYear" integer, "members" text NOT NULL, "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_614697ebcf6875544c1ed97a361" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "meetings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" varchar(200) NOT NULL, "place" varchar(200) NOT NULL DEFAULT (''), "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT (''), "minutesSummary" text NOT NULL DEFAULT (''), "participationType" varchar(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_18c9b3aa865efdc8bd39cbdea7" ON "meetings" ("bodyId", "date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "decisions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "meetingId" integer NOT NULL, "kind" varchar(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" varchar(20) NOT NULL DEFAULT ('open'), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4945eab6bfeba4524e0f77e24a" ON "decisions" ("responsibleDepartmentId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_54e1df670e6b3a2ab787fc39bf" ON "decisions" ("state", "dueDate") `,
    );
    await queryRunner.query(
      `CREATE TABLE "indicators" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(300) NOT NULL, "definition" text NOT NULL DEFAULT (''), "unit" varchar(30) NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "actionFieldId" integer, "direction" varchar(20) NOT NULL DEFAULT ('neutral'), "baselineYear" integer, "baselineValue" double precision, "baselineNote" varchar(300) NOT NULL DEFAULT (''), "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, CONSTRAINT "UQ_7908c77362d20f1c428d49bfe4b" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8b59c42dd7a9050574cddeea73" ON "indicators" ("actionFieldId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "indicator_values" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "indicatorId" integer NOT NULL, "year" integer NOT NULL, "group" varchar(60) NOT NULL, "value" double precision NOT NULL, "note" varchar(300) NOT NULL DEFAULT (''), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cbcac71048325e2f1c3b3a945f" ON "indicator_values" ("indicatorId", "year", "group") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "kind" varchar(20) NOT NULL, "decisionId" integer, "reason" text NOT NULL DEFAULT (''), "summary" text NOT NULL DEFAULT (''), "userId" integer, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f8e05cd0eb7beaefc9f4314047" ON "measure_changes" ("createdAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4c8f18a9cc9b3f4aadff36c9bf" ON "measure_changes" ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_820f14899e746a673865d6b651" ON "measure_changes" ("measureId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "status_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "status" varchar(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "reportedAt" date NOT NULL, "authorId" integer, "reviewState" varchar(20) NOT NULL DEFAULT ('submitted'), "reviewComment" text NOT NULL DEFAULT (''), "reviewedById" integer, "reviewedAt" datetime, "correctsReportId" integer, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5b162efaca2df3e7c2a35ce6e6" ON "status_reports" ("reportedAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports" ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports" ("measureId", "reportedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_item_goals" ("itemId" integer NOT NULL, "goalId" integer NOT NULL, PRIMARY KEY ("itemId", "goalId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_202b6a696e65080261bb196ca7" ON "cycle_snapshot_item_goals" ("goalId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting_cycles" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" varchar(20) NOT NULL DEFAULT ('planned'), "reopenReason" text NOT NULL DEFAULT (''), "closedAt" datetime, "publishedAt" datetime, "version" integer NOT NULL, CONSTRAINT "UQ_853ac335523c85da75b3fe945ff" UNIQUE ("code"))`,
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
    await queryRunner.query(
      `CREATE TABLE "implementation_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "cycleCode" varchar(40) NOT NULL, "fileName" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "draft" boolean NOT NULL, "containsExampleData" boolean NOT NULL, "measureCount" integer NOT NULL, "generatedById" integer, "generatedBy" varchar(254) NOT NULL DEFAULT (''), "generatedAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b3cd76cd53bd2da4b7a3cdf307" ON "implementation_reports" ("cycleId", "generatedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_goals" ("measureId" integer NOT NULL, "goalId" integer NOT NULL, PRIMARY KEY ("measureId", "goalId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fac938e41eb18e5824dd1a1d10" ON "measure_goals" ("measureId") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a543f7fda3783f06a9ffbd5960" ON "measure_goals" ("goalId") `);
    await queryRunner.query(
      `CREATE TABLE "measure_participating_departments" ("measureId" integer NOT NULL, "departmentId" integer NOT NULL, PRIMARY KEY ("measureId", "departmentId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8" ON "measure_participating_departments" ("measureId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_eb0d3e6423e33f97856e0c940f" ON "measure_participating_departments" ("departmentId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "decision_measures" ("decisionId" integer NOT NULL, "measureId" integer NOT NULL, PRIMARY KEY ("decisionId", "measureId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_af2eb20b237646f95d3bf21d4e" ON "decision_measures" ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_defd23e8903264c411075204e6" ON "decision_measures" ("measureId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "email" varchar(254) NOT NULL, "displayName" varchar(120) NOT NULL, "role" varchar(10) NOT NULL, "departmentId" integer, "passwordHash" varchar(100) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "tokenGeneration" integer NOT NULL DEFAULT (0), "isDemo" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "FK_554d853741f2083faaa5794d2ae" FOREIGN KEY ("departmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_users"("id", "email", "displayName", "role", "departmentId", "passwordHash", "active", "tokenGeneration", "isDemo", "version", "createdAt", "updatedAt") SELECT "id", "email", "displayName", "role", "departmentId", "passwordHash", "active", "tokenGeneration", "isDemo", "version", "createdAt", "updatedAt" FROM "users"`,
    );
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
    await queryRunner.query(`DROP INDEX "IDX_7b7def62c9d80cfbf3b88220e7"`);
    await queryRunner.query(`DROP INDEX "IDX_44816ac33cda4e3a4dbbfa4967"`);
    await queryRunner.query(`DROP INDEX "IDX_0c851484f5e37102ee5e513131"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_measures" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" varchar(20) NOT NULL DEFAULT ('active'), "lifecycleReason" text NOT NULL DEFAULT (''), "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" varchar(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_486660a87d2511ed51cedc1e6a1" UNIQUE ("code"), CONSTRAINT "FK_bd0d8a2e112580b2a040c0af04f" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_17336e85232b4476f4f282d4a80" FOREIGN KEY ("leadDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_measures"("id", "code", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "mergedIntoId", "lifecycleDecisionId", "status", "progress", "statusDate", "isExample", "version", "createdAt", "updatedAt") SELECT "id", "code", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "mergedIntoId", "lifecycleDecisionId", "status", "progress", "statusDate", "isExample", "version", "createdAt", "updatedAt" FROM "measures"`,
    );
    await queryRunner.query(`DROP TABLE "measures"`);
    await queryRunner.query(`ALTER TABLE "temporary_measures" RENAME TO "measures"`);
    await queryRunner.query(`CREATE INDEX "IDX_7b7def62c9d80cfbf3b88220e7" ON "measures" ("status") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_44816ac33cda4e3a4dbbfa4967" ON "measures" ("actionFieldId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0c851484f5e37102ee5e513131" ON "measures" ("leadDepartmentId", "lifecycle") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_18c9b3aa865efdc8bd39cbdea7"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_meetings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" varchar(200) NOT NULL, "place" varchar(200) NOT NULL DEFAULT (''), "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT (''), "minutesSummary" text NOT NULL DEFAULT (''), "participationType" varchar(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_0a2aba1d879a6ecb167763f093e" FOREIGN KEY ("bodyId") REFERENCES "governance_bodies" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_meetings"("id", "bodyId", "date", "title", "place", "attendingDepartmentIds", "agenda", "minutesSummary", "participationType", "topicActionFieldIds", "participantCount", "isExample", "version", "createdAt") SELECT "id", "bodyId", "date", "title", "place", "attendingDepartmentIds", "agenda", "minutesSummary", "participationType", "topicActionFieldIds", "participantCount", "isExample", "version", "createdAt" FROM "meetings"`,
    );
    await queryRunner.query(`DROP TABLE "meetings"`);
    await queryRunner.query(`ALTER TABLE "temporary_meetings" RENAME TO "meetings"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_18c9b3aa865efdc8bd39cbdea7" ON "meetings" ("bodyId", "date") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_4945eab6bfeba4524e0f77e24a"`);
    await queryRunner.query(`DROP INDEX "IDX_54e1df670e6b3a2ab787fc39bf"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_decisions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "meetingId" integer NOT NULL, "kind" varchar(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" varchar(20) NOT NULL DEFAULT ('open'), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_578c7b04a5782188e6aa33f5cda" FOREIGN KEY ("meetingId") REFERENCES "meetings" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_4945eab6bfeba4524e0f77e24a0" FOREIGN KEY ("responsibleDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_decisions"("id", "meetingId", "kind", "text", "responsibleDepartmentId", "dueDate", "state", "isExample", "version", "createdAt") SELECT "id", "meetingId", "kind", "text", "responsibleDepartmentId", "dueDate", "state", "isExample", "version", "createdAt" FROM "decisions"`,
    );
    await queryRunner.query(`DROP TABLE "decisions"`);
    await queryRunner.query(`ALTER TABLE "temporary_decisions" RENAME TO "decisions"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_4945eab6bfeba4524e0f77e24a" ON "decisions" ("responsibleDepartmentId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_54e1df670e6b3a2ab787fc39bf" ON "decisions" ("state", "dueDate") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_8b59c42dd7a9050574cddeea73"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_indicators" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(300) NOT NULL, "definition" text NOT NULL DEFAULT (''), "unit" varchar(30) NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "actionFieldId" integer, "direction" varchar(20) NOT NULL DEFAULT ('neutral'), "baselineYear" integer, "baselineValue" double precision, "baselineNote" varchar(300) NOT NULL DEFAULT (''), "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, CONSTRAINT "UQ_7908c77362d20f1c428d49bfe4b" UNIQUE ("code"), CONSTRAINT "FK_8b59c42dd7a9050574cddeea730" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_indicators"("id", "code", "name", "definition", "unit", "source", "actionFieldId", "direction", "baselineYear", "baselineValue", "baselineNote", "targetYear", "targetValue", "groups", "version") SELECT "id", "code", "name", "definition", "unit", "source", "actionFieldId", "direction", "baselineYear", "baselineValue", "baselineNote", "targetYear", "targetValue", "groups", "version" FROM "indicators"`,
    );
    await queryRunner.query(`DROP TABLE "indicators"`);
    await queryRunner.query(`ALTER TABLE "temporary_indicators" RENAME TO "indicators"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_8b59c42dd7a9050574cddeea73" ON "indicators" ("actionFieldId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_cbcac71048325e2f1c3b3a945f"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_indicator_values" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "indicatorId" integer NOT NULL, "year" integer NOT NULL, "group" varchar(60) NOT NULL, "value" double precision NOT NULL, "note" varchar(300) NOT NULL DEFAULT (''), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_4d57dcc8bd0b410481b456cff10" FOREIGN KEY ("indicatorId") REFERENCES "indicators" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_indicator_values"("id", "indicatorId", "year", "group", "value", "note", "isExample", "version", "createdAt") SELECT "id", "indicatorId", "year", "group", "value", "note", "isExample", "version", "createdAt" FROM "indicator_values"`,
    );
    await queryRunner.query(`DROP TABLE "indicator_values"`);
    await queryRunner.query(`ALTER TABLE "temporary_indicator_values" RENAME TO "indicator_values"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cbcac71048325e2f1c3b3a945f" ON "indicator_values" ("indicatorId", "year", "group") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_5b162efaca2df3e7c2a35ce6e6"`);
    await queryRunner.query(`DROP INDEX "IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(`DROP INDEX "IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_status_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "status" varchar(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "reportedAt" date NOT NULL, "authorId" integer, "reviewState" varchar(20) NOT NULL DEFAULT ('submitted'), "reviewComment" text NOT NULL DEFAULT (''), "reviewedById" integer, "reviewedAt" datetime, "correctsReportId" integer, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_7009d4f44f4a25f35a1ab24d64d" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_status_reports"("id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "correctsReportId", "isExample", "createdAt") SELECT "id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "correctsReportId", "isExample", "createdAt" FROM "status_reports"`,
    );
    await queryRunner.query(`DROP TABLE "status_reports"`);
    await queryRunner.query(`ALTER TABLE "temporary_status_reports" RENAME TO "status_reports"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_5b162efaca2df3e7c2a35ce6e6" ON "status_reports" ("reportedAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports" ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports" ("measureId", "reportedAt") `,
    );
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
    await queryRunner.query(`DROP INDEX "IDX_fac938e41eb18e5824dd1a1d10"`);
    await queryRunner.query(`DROP INDEX "IDX_a543f7fda3783f06a9ffbd5960"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_measure_goals" ("measureId" integer NOT NULL, "goalId" integer NOT NULL, CONSTRAINT "FK_fac938e41eb18e5824dd1a1d10f" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_a543f7fda3783f06a9ffbd5960c" FOREIGN KEY ("goalId") REFERENCES "goals" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("measureId", "goalId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_measure_goals"("measureId", "goalId") SELECT "measureId", "goalId" FROM "measure_goals"`,
    );
    await queryRunner.query(`DROP TABLE "measure_goals"`);
    await queryRunner.query(`ALTER TABLE "temporary_measure_goals" RENAME TO "measure_goals"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_fac938e41eb18e5824dd1a1d10" ON "measure_goals" ("measureId") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a543f7fda3783f06a9ffbd5960" ON "measure_goals" ("goalId") `);
    await queryRunner.query(`DROP INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8"`);
    await queryRunner.query(`DROP INDEX "IDX_eb0d3e6423e33f97856e0c940f"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_measure_participating_departments" ("measureId" integer NOT NULL, "departmentId" integer NOT NULL, CONSTRAINT "FK_42fdba5ce46c6407bf3eeaf5b82" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_eb0d3e6423e33f97856e0c940f3" FOREIGN KEY ("departmentId") REFERENCES "departments" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("measureId", "departmentId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_measure_participating_departments"("measureId", "departmentId") SELECT "measureId", "departmentId" FROM "measure_participating_departments"`,
    );
    await queryRunner.query(`DROP TABLE "measure_participating_departments"`);
    await queryRunner.query(
      `ALTER TABLE "temporary_measure_participating_departments" RENAME TO "measure_participating_departments"`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8" ON "measure_participating_departments" ("measureId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_eb0d3e6423e33f97856e0c940f" ON "measure_participating_departments" ("departmentId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_af2eb20b237646f95d3bf21d4e"`);
    await queryRunner.query(`DROP INDEX "IDX_defd23e8903264c411075204e6"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_decision_measures" ("decisionId" integer NOT NULL, "measureId" integer NOT NULL, CONSTRAINT "FK_af2eb20b237646f95d3bf21d4e3" FOREIGN KEY ("decisionId") REFERENCES "decisions" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_defd23e8903264c411075204e64" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("decisionId", "measureId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_decision_measures"("decisionId", "measureId") SELECT "decisionId", "measureId" FROM "decision_measures"`,
    );
    await queryRunner.query(`DROP TABLE "decision_measures"`);
    await queryRunner.query(`ALTER TABLE "temporary_decision_measures" RENAME TO "decision_measures"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_af2eb20b237646f95d3bf21d4e" ON "decision_measures" ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_defd23e8903264c411075204e6" ON "decision_measures" ("measureId") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_defd23e8903264c411075204e6"`);
    await queryRunner.query(`DROP INDEX "IDX_af2eb20b237646f95d3bf21d4e"`);
    await queryRunner.query(`ALTER TABLE "decision_measures" RENAME TO "temporary_decision_measures"`);
    await queryRunner.query(
      `CREATE TABLE "decision_measures" ("decisionId" integer NOT NULL, "measureId" integer NOT NULL, PRIMARY KEY ("decisionId", "measureId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "decision_measures"("decisionId", "measureId") SELECT "decisionId", "measureId" FROM "temporary_decision_measures"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_decision_measures"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_defd23e8903264c411075204e6" ON "decision_measures" ("measureId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_af2eb20b237646f95d3bf21d4e" ON "decision_measures" ("decisionId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_eb0d3e6423e33f97856e0c940f"`);
    await queryRunner.query(`DROP INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8"`);
    await queryRunner.query(
      `ALTER TABLE "measure_participating_departments" RENAME TO "temporary_measure_participating_departments"`,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_participating_departments" ("measureId" integer NOT NULL, "departmentId" integer NOT NULL, PRIMARY KEY ("measureId", "departmentId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "measure_participating_departments"("measureId", "departmentId") SELECT "measureId", "departmentId" FROM "temporary_measure_participating_departments"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_measure_participating_departments"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_eb0d3e6423e33f97856e0c940f" ON "measure_participating_departments" ("departmentId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8" ON "measure_participating_departments" ("measureId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_a543f7fda3783f06a9ffbd5960"`);
    await queryRunner.query(`DROP INDEX "IDX_fac938e41eb18e5824dd1a1d10"`);
    await queryRunner.query(`ALTER TABLE "measure_goals" RENAME TO "temporary_measure_goals"`);
    await queryRunner.query(
      `CREATE TABLE "measure_goals" ("measureId" integer NOT NULL, "goalId" integer NOT NULL, PRIMARY KEY ("measureId", "goalId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "measure_goals"("measureId", "goalId") SELECT "measureId", "goalId" FROM "temporary_measure_goals"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_measure_goals"`);
    await queryRunner.query(`CREATE INDEX "IDX_a543f7fda3783f06a9ffbd5960" ON "measure_goals" ("goalId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_fac938e41eb18e5824dd1a1d10" ON "measure_goals" ("measureId") `,
    );
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
    await queryRunner.query(`DROP INDEX "IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(`DROP INDEX "IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(`DROP INDEX "IDX_5b162efaca2df3e7c2a35ce6e6"`);
    await queryRunner.query(`ALTER TABLE "status_reports" RENAME TO "temporary_status_reports"`);
    await queryRunner.query(
      `CREATE TABLE "status_reports" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "measureId" integer NOT NULL, "status" varchar(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT (''), "nextSteps" text NOT NULL DEFAULT (''), "reportedAt" date NOT NULL, "authorId" integer, "reviewState" varchar(20) NOT NULL DEFAULT ('submitted'), "reviewComment" text NOT NULL DEFAULT (''), "reviewedById" integer, "reviewedAt" datetime, "correctsReportId" integer, "isExample" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "status_reports"("id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "correctsReportId", "isExample", "createdAt") SELECT "id", "measureId", "status", "progress", "summary", "obstacles", "nextSteps", "reportedAt", "authorId", "reviewState", "reviewComment", "reviewedById", "reviewedAt", "correctsReportId", "isExample", "createdAt" FROM "temporary_status_reports"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_status_reports"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports" ("measureId", "reportedAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports" ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5b162efaca2df3e7c2a35ce6e6" ON "status_reports" ("reportedAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_cbcac71048325e2f1c3b3a945f"`);
    await queryRunner.query(`ALTER TABLE "indicator_values" RENAME TO "temporary_indicator_values"`);
    await queryRunner.query(
      `CREATE TABLE "indicator_values" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "indicatorId" integer NOT NULL, "year" integer NOT NULL, "group" varchar(60) NOT NULL, "value" double precision NOT NULL, "note" varchar(300) NOT NULL DEFAULT (''), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "indicator_values"("id", "indicatorId", "year", "group", "value", "note", "isExample", "version", "createdAt") SELECT "id", "indicatorId", "year", "group", "value", "note", "isExample", "version", "createdAt" FROM "temporary_indicator_values"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_indicator_values"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cbcac71048325e2f1c3b3a945f" ON "indicator_values" ("indicatorId", "year", "group") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_8b59c42dd7a9050574cddeea73"`);
    await queryRunner.query(`ALTER TABLE "indicators" RENAME TO "temporary_indicators"`);
    await queryRunner.query(
      `CREATE TABLE "indicators" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(300) NOT NULL, "definition" text NOT NULL DEFAULT (''), "unit" varchar(30) NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "actionFieldId" integer, "direction" varchar(20) NOT NULL DEFAULT ('neutral'), "baselineYear" integer, "baselineValue" double precision, "baselineNote" varchar(300) NOT NULL DEFAULT (''), "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, CONSTRAINT "UQ_7908c77362d20f1c428d49bfe4b" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "indicators"("id", "code", "name", "definition", "unit", "source", "actionFieldId", "direction", "baselineYear", "baselineValue", "baselineNote", "targetYear", "targetValue", "groups", "version") SELECT "id", "code", "name", "definition", "unit", "source", "actionFieldId", "direction", "baselineYear", "baselineValue", "baselineNote", "targetYear", "targetValue", "groups", "version" FROM "temporary_indicators"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_indicators"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_8b59c42dd7a9050574cddeea73" ON "indicators" ("actionFieldId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_54e1df670e6b3a2ab787fc39bf"`);
    await queryRunner.query(`DROP INDEX "IDX_4945eab6bfeba4524e0f77e24a"`);
    await queryRunner.query(`ALTER TABLE "decisions" RENAME TO "temporary_decisions"`);
    await queryRunner.query(
      `CREATE TABLE "decisions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "meetingId" integer NOT NULL, "kind" varchar(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" varchar(20) NOT NULL DEFAULT ('open'), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "decisions"("id", "meetingId", "kind", "text", "responsibleDepartmentId", "dueDate", "state", "isExample", "version", "createdAt") SELECT "id", "meetingId", "kind", "text", "responsibleDepartmentId", "dueDate", "state", "isExample", "version", "createdAt" FROM "temporary_decisions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_decisions"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_54e1df670e6b3a2ab787fc39bf" ON "decisions" ("state", "dueDate") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4945eab6bfeba4524e0f77e24a" ON "decisions" ("responsibleDepartmentId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_18c9b3aa865efdc8bd39cbdea7"`);
    await queryRunner.query(`ALTER TABLE "meetings" RENAME TO "temporary_meetings"`);
    await queryRunner.query(
      `CREATE TABLE "meetings" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" varchar(200) NOT NULL, "place" varchar(200) NOT NULL DEFAULT (''), "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT (''), "minutesSummary" text NOT NULL DEFAULT (''), "participationType" varchar(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `INSERT INTO "meetings"("id", "bodyId", "date", "title", "place", "attendingDepartmentIds", "agenda", "minutesSummary", "participationType", "topicActionFieldIds", "participantCount", "isExample", "version", "createdAt") SELECT "id", "bodyId", "date", "title", "place", "attendingDepartmentIds", "agenda", "minutesSummary", "participationType", "topicActionFieldIds", "participantCount", "isExample", "version", "createdAt" FROM "temporary_meetings"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_meetings"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_18c9b3aa865efdc8bd39cbdea7" ON "meetings" ("bodyId", "date") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_0c851484f5e37102ee5e513131"`);
    await queryRunner.query(`DROP INDEX "IDX_44816ac33cda4e3a4dbbfa4967"`);
    await queryRunner.query(`DROP INDEX "IDX_7b7def62c9d80cfbf3b88220e7"`);
    await queryRunner.query(`ALTER TABLE "measures" RENAME TO "temporary_measures"`);
    await queryRunner.query(
      `CREATE TABLE "measures" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" varchar(20) NOT NULL DEFAULT ('active'), "lifecycleReason" text NOT NULL DEFAULT (''), "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" varchar(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_486660a87d2511ed51cedc1e6a1" UNIQUE ("code"))`,
    );
    await queryRunner.query(
      `INSERT INTO "measures"("id", "code", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "mergedIntoId", "lifecycleDecisionId", "status", "progress", "statusDate", "isExample", "version", "createdAt", "updatedAt") SELECT "id", "code", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups", "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "mergedIntoId", "lifecycleDecisionId", "status", "progress", "statusDate", "isExample", "version", "createdAt", "updatedAt" FROM "temporary_measures"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_measures"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_0c851484f5e37102ee5e513131" ON "measures" ("leadDepartmentId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_44816ac33cda4e3a4dbbfa4967" ON "measures" ("actionFieldId", "lifecycle") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7b7def62c9d80cfbf3b88220e7" ON "measures" ("status") `);
    await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "email" varchar(254) NOT NULL, "displayName" varchar(120) NOT NULL, "role" varchar(10) NOT NULL, "departmentId" integer, "passwordHash" varchar(100) NOT NULL, "active" boolean NOT NULL DEFAULT (1), "tokenGeneration" integer NOT NULL DEFAULT (0), "isDemo" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"))`,
    );
    await queryRunner.query(
      `INSERT INTO "users"("id", "email", "displayName", "role", "departmentId", "passwordHash", "active", "tokenGeneration", "isDemo", "version", "createdAt", "updatedAt") SELECT "id", "email", "displayName", "role", "departmentId", "passwordHash", "active", "tokenGeneration", "isDemo", "version", "createdAt", "updatedAt" FROM "temporary_users"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_users"`);
    await queryRunner.query(`DROP INDEX "IDX_defd23e8903264c411075204e6"`);
    await queryRunner.query(`DROP INDEX "IDX_af2eb20b237646f95d3bf21d4e"`);
    await queryRunner.query(`DROP TABLE "decision_measures"`);
    await queryRunner.query(`DROP INDEX "IDX_eb0d3e6423e33f97856e0c940f"`);
    await queryRunner.query(`DROP INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8"`);
    await queryRunner.query(`DROP TABLE "measure_participating_departments"`);
    await queryRunner.query(`DROP INDEX "IDX_a543f7fda3783f06a9ffbd5960"`);
    await queryRunner.query(`DROP INDEX "IDX_fac938e41eb18e5824dd1a1d10"`);
    await queryRunner.query(`DROP TABLE "measure_goals"`);
    await queryRunner.query(`DROP INDEX "IDX_b3cd76cd53bd2da4b7a3cdf307"`);
    await queryRunner.query(`DROP TABLE "implementation_reports"`);
    await queryRunner.query(`DROP INDEX "IDX_67caf18edcc8d4624ae7ecd9ae"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_items"`);
    await queryRunner.query(`DROP INDEX "IDX_1b3c522ea5034d3313781a233d"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshots"`);
    await queryRunner.query(`DROP TABLE "reporting_cycles"`);
    await queryRunner.query(`DROP INDEX "IDX_202b6a696e65080261bb196ca7"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_item_goals"`);
    await queryRunner.query(`DROP INDEX "IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(`DROP INDEX "IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(`DROP INDEX "IDX_5b162efaca2df3e7c2a35ce6e6"`);
    await queryRunner.query(`DROP TABLE "status_reports"`);
    await queryRunner.query(`DROP INDEX "IDX_820f14899e746a673865d6b651"`);
    await queryRunner.query(`DROP INDEX "IDX_4c8f18a9cc9b3f4aadff36c9bf"`);
    await queryRunner.query(`DROP INDEX "IDX_f8e05cd0eb7beaefc9f4314047"`);
    await queryRunner.query(`DROP TABLE "measure_changes"`);
    await queryRunner.query(`DROP INDEX "IDX_cbcac71048325e2f1c3b3a945f"`);
    await queryRunner.query(`DROP TABLE "indicator_values"`);
    await queryRunner.query(`DROP INDEX "IDX_8b59c42dd7a9050574cddeea73"`);
    await queryRunner.query(`DROP TABLE "indicators"`);
    await queryRunner.query(`DROP INDEX "IDX_54e1df670e6b3a2ab787fc39bf"`);
    await queryRunner.query(`DROP INDEX "IDX_4945eab6bfeba4524e0f77e24a"`);
    await queryRunner.query(`DROP TABLE "decisions"`);
    await queryRunner.query(`DROP INDEX "IDX_18c9b3aa865efdc8bd39cbdea7"`);
    await queryRunner.query(`DROP TABLE "meetings"`);
    await queryRunner.query(`DROP TABLE "governance_bodies"`);
    await queryRunner.query(`DROP INDEX "IDX_0c851484f5e37102ee5e513131"`);
    await queryRunner.query(`DROP INDEX "IDX_44816ac33cda4e3a4dbbfa4967"`);
    await queryRunner.query(`DROP INDEX "IDX_7b7def62c9d80cfbf3b88220e7"`);
    await queryRunner.query(`DROP TABLE "measures"`);
    await queryRunner.query(`DROP INDEX "IDX_5d3f44f9443fb8f3d70ec7a279"`);
    await queryRunner.query(`DROP TABLE "decision_state_changes"`);
    await queryRunner.query(`DROP TABLE "goals"`);
    await queryRunner.query(`DROP TABLE "frameworks"`);
    await queryRunner.query(`DROP TABLE "action_fields"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "departments"`);
    await queryRunner.query(`DROP INDEX "IDX_76d3b3045a9f72063f99f51d4d"`);
    await queryRunner.query(`DROP INDEX "IDX_4f0f7e8fb23df1aaf97a382da5"`);
    await queryRunner.query(`DROP INDEX "IDX_20d78b0de44d6a04036df62479"`);
    await queryRunner.query(`DROP TABLE "audit_entries"`);
  }
}
