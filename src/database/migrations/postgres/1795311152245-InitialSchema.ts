import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaPostgres1795311152245 implements MigrationInterface {
  name = 'InitialSchemaPostgres1795311152245';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_entries" ("id" SERIAL NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "userId" integer, "userEmail" character varying(254) NOT NULL DEFAULT '', "action" character varying(40) NOT NULL, "entity" character varying(60) NOT NULL, "entityId" character varying(60) NOT NULL DEFAULT '', "changes" text NOT NULL, "note" character varying(500) NOT NULL DEFAULT '', "ipAddress" character varying(64) NOT NULL DEFAULT '', "requestId" character varying(64) NOT NULL DEFAULT '', CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_20d78b0de44d6a04036df62479" ON "audit_entries"  ("createdAt") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4f0f7e8fb23df1aaf97a382da5" ON "audit_entries"  ("userId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_76d3b3045a9f72063f99f51d4d" ON "audit_entries"  ("entity", "entityId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "departments" ("id" SERIAL NOT NULL, "code" character varying(20) NOT NULL, "name" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "kind" character varying(10) NOT NULL DEFAULT 'senate', "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_91fddbe23e927e1e525c152baa3" UNIQUE ("code"), CONSTRAINT "PK_839517a681a86bb84cbcc6a1e9d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "email" character varying(254) NOT NULL, "displayName" character varying(120) NOT NULL, "role" character varying(10) NOT NULL, "departmentId" integer, "passwordHash" character varying(100) NOT NULL, "active" boolean NOT NULL DEFAULT true, "tokenGeneration" integer NOT NULL DEFAULT '0', "isDemo" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "action_fields" ("id" SERIAL NOT NULL, "code" character varying(20) NOT NULL, "title" character varying(300) NOT NULL, "description" text NOT NULL DEFAULT '', "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_a2521c6a7a1d568fc65fb4ebf31" UNIQUE ("code"), CONSTRAINT "PK_27cf53061bd4193e3461133730f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "frameworks" ("id" SERIAL NOT NULL, "code" character varying(60) NOT NULL, "name" character varying(300) NOT NULL, "region" character varying(200) NOT NULL, "adopted" character varying(10) NOT NULL, "version" character varying(40) NOT NULL, "staleAfterDays" integer NOT NULL DEFAULT '180', "targetGroups" text NOT NULL, "sourceFile" character varying(500) NOT NULL, "demoMode" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_f15481d9c9c9e7136883fe96cd3" UNIQUE ("code"), CONSTRAINT "PK_23e178ce62668c9ce2036b7a3c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "goals" ("id" SERIAL NOT NULL, "code" character varying(20) NOT NULL, "title" character varying(300) NOT NULL, "description" text NOT NULL DEFAULT '', "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_0712df78785549b7c74f6077cc7" UNIQUE ("code"), CONSTRAINT "PK_26e17b251afab35580dff769223" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "decision_state_changes" ("id" SERIAL NOT NULL, "decisionId" integer NOT NULL, "fromState" character varying(20), "toState" character varying(20) NOT NULL, "comment" text NOT NULL DEFAULT '', "userId" integer, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_1c19a282d8ca02fb1be8864867e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5d3f44f9443fb8f3d70ec7a279" ON "decision_state_changes"  ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measures" ("id" SERIAL NOT NULL, "code" character varying(30) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" character varying(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" character varying(20) NOT NULL DEFAULT 'active', "lifecycleReason" text NOT NULL DEFAULT '', "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" character varying(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_486660a87d2511ed51cedc1e6a1" UNIQUE ("code"), CONSTRAINT "PK_ec34a47385441849095def20546" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7b7def62c9d80cfbf3b88220e7" ON "measures"  ("status") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_44816ac33cda4e3a4dbbfa4967" ON "measures"  ("actionFieldId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0c851484f5e37102ee5e513131" ON "measures"  ("leadDepartmentId", "lifecycle") `,
    );
    await queryRunner.query(
      `CREATE TABLE "governance_bodies" ("id" SERIAL NOT NULL, "code" character varying(60) NOT NULL, "name" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "minMeetingsPerYear" integer NOT NULL DEFAULT '0', "maxMeetingsPerYear" integer, "members" text NOT NULL, "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_614697ebcf6875544c1ed97a361" UNIQUE ("code"), CONSTRAINT "PK_d05965c222fff3a0b83a60e55b5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "meetings" ("id" SERIAL NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" character varying(200) NOT NULL, "place" character varying(200) NOT NULL DEFAULT '', "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT '', "minutesSummary" text NOT NULL DEFAULT '', "participationType" character varying(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_aa73be861afa77eb4ed31f3ed57" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_18c9b3aa865efdc8bd39cbdea7" ON "meetings"  ("bodyId", "date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "decisions" ("id" SERIAL NOT NULL, "meetingId" integer NOT NULL, "kind" character varying(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" character varying(20) NOT NULL DEFAULT 'open', "isExample" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_48eee6fa229cd5e43648f6a2ec3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4945eab6bfeba4524e0f77e24a" ON "decisions"  ("responsibleDepartmentId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_54e1df670e6b3a2ab787fc39bf" ON "decisions"  ("state", "dueDate") `,
    );
    await queryRunner.query(
      `CREATE TABLE "indicators" ("id" SERIAL NOT NULL, "code" character varying(30) NOT NULL, "name" character varying(300) NOT NULL, "definition" text NOT NULL DEFAULT '', "unit" character varying(30) NOT NULL DEFAULT '', "source" character varying(300) NOT NULL DEFAULT '', "actionFieldId" integer, "direction" character varying(20) NOT NULL DEFAULT 'neutral', "baselineYear" integer, "baselineValue" double precision, "baselineNote" character varying(300) NOT NULL DEFAULT '', "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, CONSTRAINT "UQ_7908c77362d20f1c428d49bfe4b" UNIQUE ("code"), CONSTRAINT "PK_6e24383c110600564187e92042e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8b59c42dd7a9050574cddeea73" ON "indicators"  ("actionFieldId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "indicator_values" ("id" SERIAL NOT NULL, "indicatorId" integer NOT NULL, "year" integer NOT NULL, "group" character varying(60) NOT NULL, "value" double precision NOT NULL, "note" character varying(300) NOT NULL DEFAULT '', "isExample" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_611038cccc7a74de92fed3da44d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cbcac71048325e2f1c3b3a945f" ON "indicator_values"  ("indicatorId", "year", "group") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_changes" ("id" SERIAL NOT NULL, "measureId" integer NOT NULL, "kind" character varying(20) NOT NULL, "decisionId" integer, "reason" text NOT NULL DEFAULT '', "summary" text NOT NULL DEFAULT '', "userId" integer, "isExample" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_9a78693e0efa4f30727919d7272" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f8e05cd0eb7beaefc9f4314047" ON "measure_changes"  ("createdAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4c8f18a9cc9b3f4aadff36c9bf" ON "measure_changes"  ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_820f14899e746a673865d6b651" ON "measure_changes"  ("measureId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "status_reports" ("id" SERIAL NOT NULL, "measureId" integer NOT NULL, "status" character varying(20) NOT NULL, "progress" integer NOT NULL, "summary" text NOT NULL, "obstacles" text NOT NULL DEFAULT '', "nextSteps" text NOT NULL DEFAULT '', "reportedAt" date NOT NULL, "authorId" integer, "reviewState" character varying(20) NOT NULL DEFAULT 'submitted', "reviewComment" text NOT NULL DEFAULT '', "reviewedById" integer, "reviewedAt" TIMESTAMP, "correctsReportId" integer, "isExample" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_5b303afd85233dce17c88c519ca" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5b162efaca2df3e7c2a35ce6e6" ON "status_reports"  ("reportedAt") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_467ffc3ad7edca9b599f8d589c" ON "status_reports"  ("reviewState") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63293e5e8de291095ce6b02af6" ON "status_reports"  ("measureId", "reportedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_item_goals" ("itemId" integer NOT NULL, "goalId" integer NOT NULL, CONSTRAINT "PK_33132d80f55500fb9ea83db8f1a" PRIMARY KEY ("itemId", "goalId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_202b6a696e65080261bb196ca7" ON "cycle_snapshot_item_goals"  ("goalId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting_cycles" ("id" SERIAL NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" character varying(20) NOT NULL DEFAULT 'planned', "reopenReason" text NOT NULL DEFAULT '', "closedAt" TIMESTAMP, "publishedAt" TIMESTAMP, "version" integer NOT NULL, CONSTRAINT "UQ_853ac335523c85da75b3fe945ff" UNIQUE ("code"), CONSTRAINT "PK_e4af10c1755bd11881d1081a33d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshots" ("id" SERIAL NOT NULL, "cycleId" integer NOT NULL, "takenAt" TIMESTAMP NOT NULL DEFAULT now(), "takenById" integer, "measureCount" integer NOT NULL, "supersededAt" TIMESTAMP, CONSTRAINT "PK_7966a2305db9aff59625d654a69" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1b3c522ea5034d3313781a233d" ON "cycle_snapshots"  ("cycleId", "supersededAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cycle_snapshot_items" ("id" SERIAL NOT NULL, "snapshotId" integer NOT NULL, "measureId" integer NOT NULL, "code" character varying(30) NOT NULL, "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" character varying(20) NOT NULL, "lifecycle" character varying(20) NOT NULL, "isExample" boolean NOT NULL DEFAULT false, "targetGroups" text NOT NULL, "reportId" integer, "status" character varying(20), "progress" integer, "reportedAt" date, "summary" text NOT NULL DEFAULT '', "obstacles" text NOT NULL DEFAULT '', "nextSteps" text NOT NULL DEFAULT '', "master" text NOT NULL, CONSTRAINT "PK_5d5b5fa3b90d83736a5770882de" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_67caf18edcc8d4624ae7ecd9ae" ON "cycle_snapshot_items"  ("snapshotId", "measureId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "implementation_reports" ("id" SERIAL NOT NULL, "cycleId" integer NOT NULL, "cycleCode" character varying(40) NOT NULL, "fileName" character varying(200) NOT NULL, "sha256" character varying(64) NOT NULL, "sizeBytes" integer NOT NULL, "draft" boolean NOT NULL, "containsExampleData" boolean NOT NULL, "measureCount" integer NOT NULL, "generatedById" integer, "generatedBy" character varying(254) NOT NULL DEFAULT '', "generatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_059c5d213f05c2514104667a9e7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b3cd76cd53bd2da4b7a3cdf307" ON "implementation_reports"  ("cycleId", "generatedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_goals" ("measureId" integer NOT NULL, "goalId" integer NOT NULL, CONSTRAINT "PK_1e3167fc6ba09afef6fb1aab64a" PRIMARY KEY ("measureId", "goalId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fac938e41eb18e5824dd1a1d10" ON "measure_goals"  ("measureId") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a543f7fda3783f06a9ffbd5960" ON "measure_goals"  ("goalId") `);
    await queryRunner.query(
      `CREATE TABLE "measure_participating_departments" ("measureId" integer NOT NULL, "departmentId" integer NOT NULL, CONSTRAINT "PK_46705c5d6f47282528023b43944" PRIMARY KEY ("measureId", "departmentId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_42fdba5ce46c6407bf3eeaf5b8" ON "measure_participating_departments"  ("measureId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_eb0d3e6423e33f97856e0c940f" ON "measure_participating_departments"  ("departmentId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "decision_measures" ("decisionId" integer NOT NULL, "measureId" integer NOT NULL, CONSTRAINT "PK_4b111ce96629dde1dd5e9a0fa04" PRIMARY KEY ("decisionId", "measureId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_af2eb20b237646f95d3bf21d4e" ON "decision_measures"  ("decisionId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_defd23e8903264c411075204e6" ON "decision_measures"  ("measureId") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_554d853741f2083faaa5794d2ae" FOREIGN KEY ("departmentId") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "FK_bd0d8a2e112580b2a040c0af04f" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "FK_17336e85232b4476f4f282d4a80" FOREIGN KEY ("leadDepartmentId") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "FK_0a2aba1d879a6ecb167763f093e" FOREIGN KEY ("bodyId") REFERENCES "governance_bodies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "decisions" ADD CONSTRAINT "FK_578c7b04a5782188e6aa33f5cda" FOREIGN KEY ("meetingId") REFERENCES "meetings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "decisions" ADD CONSTRAINT "FK_4945eab6bfeba4524e0f77e24a0" FOREIGN KEY ("responsibleDepartmentId") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicators" ADD CONSTRAINT "FK_8b59c42dd7a9050574cddeea730" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "indicator_values" ADD CONSTRAINT "FK_4d57dcc8bd0b410481b456cff10" FOREIGN KEY ("indicatorId") REFERENCES "indicators"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "status_reports" ADD CONSTRAINT "FK_7009d4f44f4a25f35a1ab24d64d" FOREIGN KEY ("measureId") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cycle_snapshots" ADD CONSTRAINT "FK_f757ac1211bb3dbcaf565597706" FOREIGN KEY ("cycleId") REFERENCES "reporting_cycles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cycle_snapshot_items" ADD CONSTRAINT "FK_f33a6167d0d3d7b8470ed7bd97b" FOREIGN KEY ("snapshotId") REFERENCES "cycle_snapshots"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_goals" ADD CONSTRAINT "FK_fac938e41eb18e5824dd1a1d10f" FOREIGN KEY ("measureId") REFERENCES "measures"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_goals" ADD CONSTRAINT "FK_a543f7fda3783f06a9ffbd5960c" FOREIGN KEY ("goalId") REFERENCES "goals"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_participating_departments" ADD CONSTRAINT "FK_42fdba5ce46c6407bf3eeaf5b82" FOREIGN KEY ("measureId") REFERENCES "measures"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_participating_departments" ADD CONSTRAINT "FK_eb0d3e6423e33f97856e0c940f3" FOREIGN KEY ("departmentId") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "decision_measures" ADD CONSTRAINT "FK_af2eb20b237646f95d3bf21d4e3" FOREIGN KEY ("decisionId") REFERENCES "decisions"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "decision_measures" ADD CONSTRAINT "FK_defd23e8903264c411075204e64" FOREIGN KEY ("measureId") REFERENCES "measures"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "decision_measures" DROP CONSTRAINT "FK_defd23e8903264c411075204e64"`,
    );
    await queryRunner.query(
      `ALTER TABLE "decision_measures" DROP CONSTRAINT "FK_af2eb20b237646f95d3bf21d4e3"`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_participating_departments" DROP CONSTRAINT "FK_eb0d3e6423e33f97856e0c940f3"`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_participating_departments" DROP CONSTRAINT "FK_42fdba5ce46c6407bf3eeaf5b82"`,
    );
    await queryRunner.query(`ALTER TABLE "measure_goals" DROP CONSTRAINT "FK_a543f7fda3783f06a9ffbd5960c"`);
    await queryRunner.query(`ALTER TABLE "measure_goals" DROP CONSTRAINT "FK_fac938e41eb18e5824dd1a1d10f"`);
    await queryRunner.query(
      `ALTER TABLE "cycle_snapshot_items" DROP CONSTRAINT "FK_f33a6167d0d3d7b8470ed7bd97b"`,
    );
    await queryRunner.query(`ALTER TABLE "cycle_snapshots" DROP CONSTRAINT "FK_f757ac1211bb3dbcaf565597706"`);
    await queryRunner.query(`ALTER TABLE "status_reports" DROP CONSTRAINT "FK_7009d4f44f4a25f35a1ab24d64d"`);
    await queryRunner.query(
      `ALTER TABLE "indicator_values" DROP CONSTRAINT "FK_4d57dcc8bd0b410481b456cff10"`,
    );
    await queryRunner.query(`ALTER TABLE "indicators" DROP CONSTRAINT "FK_8b59c42dd7a9050574cddeea730"`);
    await queryRunner.query(`ALTER TABLE "decisions" DROP CONSTRAINT "FK_4945eab6bfeba4524e0f77e24a0"`);
    await queryRunner.query(`ALTER TABLE "decisions" DROP CONSTRAINT "FK_578c7b04a5782188e6aa33f5cda"`);
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "FK_0a2aba1d879a6ecb167763f093e"`);
    await queryRunner.query(`ALTER TABLE "measures" DROP CONSTRAINT "FK_17336e85232b4476f4f282d4a80"`);
    await queryRunner.query(`ALTER TABLE "measures" DROP CONSTRAINT "FK_bd0d8a2e112580b2a040c0af04f"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_554d853741f2083faaa5794d2ae"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_defd23e8903264c411075204e6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_af2eb20b237646f95d3bf21d4e"`);
    await queryRunner.query(`DROP TABLE "decision_measures"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eb0d3e6423e33f97856e0c940f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_42fdba5ce46c6407bf3eeaf5b8"`);
    await queryRunner.query(`DROP TABLE "measure_participating_departments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a543f7fda3783f06a9ffbd5960"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fac938e41eb18e5824dd1a1d10"`);
    await queryRunner.query(`DROP TABLE "measure_goals"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b3cd76cd53bd2da4b7a3cdf307"`);
    await queryRunner.query(`DROP TABLE "implementation_reports"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_67caf18edcc8d4624ae7ecd9ae"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1b3c522ea5034d3313781a233d"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshots"`);
    await queryRunner.query(`DROP TABLE "reporting_cycles"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_202b6a696e65080261bb196ca7"`);
    await queryRunner.query(`DROP TABLE "cycle_snapshot_item_goals"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_63293e5e8de291095ce6b02af6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_467ffc3ad7edca9b599f8d589c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5b162efaca2df3e7c2a35ce6e6"`);
    await queryRunner.query(`DROP TABLE "status_reports"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_820f14899e746a673865d6b651"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4c8f18a9cc9b3f4aadff36c9bf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f8e05cd0eb7beaefc9f4314047"`);
    await queryRunner.query(`DROP TABLE "measure_changes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cbcac71048325e2f1c3b3a945f"`);
    await queryRunner.query(`DROP TABLE "indicator_values"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8b59c42dd7a9050574cddeea73"`);
    await queryRunner.query(`DROP TABLE "indicators"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_54e1df670e6b3a2ab787fc39bf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4945eab6bfeba4524e0f77e24a"`);
    await queryRunner.query(`DROP TABLE "decisions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_18c9b3aa865efdc8bd39cbdea7"`);
    await queryRunner.query(`DROP TABLE "meetings"`);
    await queryRunner.query(`DROP TABLE "governance_bodies"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c851484f5e37102ee5e513131"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_44816ac33cda4e3a4dbbfa4967"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7b7def62c9d80cfbf3b88220e7"`);
    await queryRunner.query(`DROP TABLE "measures"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5d3f44f9443fb8f3d70ec7a279"`);
    await queryRunner.query(`DROP TABLE "decision_state_changes"`);
    await queryRunner.query(`DROP TABLE "goals"`);
    await queryRunner.query(`DROP TABLE "frameworks"`);
    await queryRunner.query(`DROP TABLE "action_fields"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "departments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_76d3b3045a9f72063f99f51d4d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f0f7e8fb23df1aaf97a382da5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_20d78b0de44d6a04036df62479"`);
    await queryRunner.query(`DROP TABLE "audit_entries"`);
  }
}
