import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PLAN_BOUND_TABLES, planOfExistingRows } from '../plan-of-existing-rows.js';

/**
 * Several plans in one installation: every plan-bound row carries its plan (`frameworkId`, a foreign key to
 * frameworks), and a code is unique per plan rather than in the whole table. SQLite changes neither a unique
 * constraint nor a NOT NULL column without a default in place, so each table is built anew (new table, copy, drop,
 * rename) with the rows already there given the one framework the installation ran (plan-of-existing-rows.ts).
 * Dropping a table drops its triggers and indexes, and a trigger on another table that reads it (the status counts
 * of measure_goals read measures) would stop the rename: every trigger is taken down first and put back at the end
 * exactly as it was (its own SQL), the indexes likewise, and the AUTOINCREMENT counters are kept, so no id is used
 * twice.
 */
type Table = (typeof PLAN_BOUND_TABLES)[number];

/** The tables' columns and constraints after this migration (as the entities generate them). */
const AFTER: Record<Table, string> = {
  goals: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), "frameworkId" integer NOT NULL, CONSTRAINT "UQ_6618f417d2db4f798e54c92785b" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_e84c0a7c173e33ad89c14223064" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  action_fields: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), "retiredOn" date, "frameworkId" integer NOT NULL, CONSTRAINT "UQ_496bc9f140b940658f81e5d420b" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_cd6436ff329e12315bc214fb7c9" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  governance_bodies: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(60) NOT NULL, "name" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "minMeetingsPerYear" integer NOT NULL DEFAULT (0), "maxMeetingsPerYear" integer, "members" text NOT NULL, "sortOrder" integer NOT NULL DEFAULT (0), "frameworkId" integer NOT NULL, CONSTRAINT "UQ_1bbb19cb056d3542526a96746ae" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_0dc0396b416fcdfbdca6e7b9f63" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  reporting_cycles: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" varchar(20) NOT NULL DEFAULT ('planned'), "reopenReason" text NOT NULL DEFAULT (''), "closedAt" datetime, "publishedAt" datetime, "version" integer NOT NULL, "unpublishReason" text NOT NULL DEFAULT (''), "unpublishedAt" datetime, "publicReportTexts" boolean NOT NULL DEFAULT (0), "frameworkId" integer NOT NULL, CONSTRAINT "UQ_96e66b1cdd164f0d69e33dc98d0" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_263b27e36fd671d4030cefda42e" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  indicators: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(300) NOT NULL, "definition" text NOT NULL DEFAULT (''), "unit" varchar(30) NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "actionFieldId" integer, "direction" varchar(20) NOT NULL DEFAULT ('neutral'), "baselineYear" integer, "baselineValue" double precision, "baselineNote" varchar(300) NOT NULL DEFAULT (''), "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, "frameworkId" integer NOT NULL, CONSTRAINT "UQ_5fc2dc51a267f0fe07e6fb39af0" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_8b59c42dd7a9050574cddeea730" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_393cc5608ff3d3afe59ed061c1f" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  measures: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" varchar(20) NOT NULL DEFAULT ('active'), "lifecycleReason" text NOT NULL DEFAULT (''), "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" varchar(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "sortKey" varchar(160) NOT NULL DEFAULT (''), "frameworkId" integer NOT NULL, CONSTRAINT "UQ_920f47ab0412cd74744f5eabe3d" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_17336e85232b4476f4f282d4a80" FOREIGN KEY ("leadDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_bd0d8a2e112580b2a040c0af04f" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d3354bc22872b1ab80dde27e5a2" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  meetings: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" varchar(200) NOT NULL, "place" varchar(200) NOT NULL DEFAULT (''), "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT (''), "minutesSummary" text NOT NULL DEFAULT (''), "participationType" varchar(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "frameworkId" integer NOT NULL, CONSTRAINT "FK_0a2aba1d879a6ecb167763f093e" FOREIGN KEY ("bodyId") REFERENCES "governance_bodies" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_3926c2579215d98317eb6d2a1fb" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  decisions: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "meetingId" integer NOT NULL, "kind" varchar(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" varchar(20) NOT NULL DEFAULT ('open'), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "frameworkId" integer NOT NULL, CONSTRAINT "FK_4945eab6bfeba4524e0f77e24a0" FOREIGN KEY ("responsibleDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_578c7b04a5782188e6aa33f5cda" FOREIGN KEY ("meetingId") REFERENCES "meetings" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_10bee90f5318e95285e0c458315" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  framework_revisions: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "effectiveDate" date NOT NULL, "reason" text NOT NULL, "authorId" integer, "authorName" varchar(400) NOT NULL, "versionBefore" varchar(40) NOT NULL, "versionAfter" varchar(40) NOT NULL, "source" varchar(10) NOT NULL, "changes" text NOT NULL, "effects" text NOT NULL, "appliedAt" datetime NOT NULL DEFAULT (datetime('now')), "frameworkId" integer NOT NULL, CONSTRAINT "FK_334746f06b2a7f76c5761e55266" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  implementation_reports: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "cycleCode" varchar(40) NOT NULL, "fileName" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "draft" boolean NOT NULL, "containsExampleData" boolean NOT NULL, "measureCount" integer NOT NULL, "generatedById" integer, "generatedBy" varchar(254) NOT NULL DEFAULT (''), "generatedAt" datetime NOT NULL DEFAULT (datetime('now')), "format" varchar(8) NOT NULL DEFAULT ('xlsx'), "frameworkId" integer NOT NULL, CONSTRAINT "FK_8b6928471f9ece6ab4bbfa2c68a" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
};

/** The same before it, for `down`. */
const BEFORE: Record<Table, string> = {
  goals: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_0712df78785549b7c74f6077cc7" UNIQUE ("code"))`,
  action_fields: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(20) NOT NULL, "title" varchar(300) NOT NULL, "description" text NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), "retiredOn" date, CONSTRAINT "UQ_a2521c6a7a1d568fc65fb4ebf31" UNIQUE ("code"))`,
  governance_bodies: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(60) NOT NULL, "name" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "minMeetingsPerYear" integer NOT NULL DEFAULT (0), "maxMeetingsPerYear" integer, "members" text NOT NULL, "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_614697ebcf6875544c1ed97a361" UNIQUE ("code"))`,
  reporting_cycles: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(40) NOT NULL, "name" varchar(200) NOT NULL, "periodStart" date NOT NULL, "periodEnd" date NOT NULL, "inputDeadline" date NOT NULL, "publicationTarget" date, "state" varchar(20) NOT NULL DEFAULT ('planned'), "reopenReason" text NOT NULL DEFAULT (''), "closedAt" datetime, "publishedAt" datetime, "version" integer NOT NULL, "unpublishReason" text NOT NULL DEFAULT (''), "unpublishedAt" datetime, "publicReportTexts" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_853ac335523c85da75b3fe945ff" UNIQUE ("code"))`,
  indicators: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(300) NOT NULL, "definition" text NOT NULL DEFAULT (''), "unit" varchar(30) NOT NULL DEFAULT (''), "source" varchar(300) NOT NULL DEFAULT (''), "actionFieldId" integer, "direction" varchar(20) NOT NULL DEFAULT ('neutral'), "baselineYear" integer, "baselineValue" double precision, "baselineNote" varchar(300) NOT NULL DEFAULT (''), "targetYear" integer, "targetValue" double precision, "groups" text NOT NULL, "version" integer NOT NULL, CONSTRAINT "UQ_7908c77362d20f1c428d49bfe4b" UNIQUE ("code"), CONSTRAINT "FK_8b59c42dd7a9050574cddeea730" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  measures: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(30) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "actionFieldId" integer NOT NULL, "leadDepartmentId" integer NOT NULL, "level" varchar(20) NOT NULL, "targetGroups" text NOT NULL, "plannedStart" date, "plannedEnd" date, "budget" double precision, "lifecycle" varchar(20) NOT NULL DEFAULT ('active'), "lifecycleReason" text NOT NULL DEFAULT (''), "mergedIntoId" integer, "lifecycleDecisionId" integer, "status" varchar(20), "progress" integer, "statusDate" date, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "sortKey" varchar(160) NOT NULL DEFAULT (''), CONSTRAINT "UQ_486660a87d2511ed51cedc1e6a1" UNIQUE ("code"), CONSTRAINT "FK_bd0d8a2e112580b2a040c0af04f" FOREIGN KEY ("actionFieldId") REFERENCES "action_fields" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_17336e85232b4476f4f282d4a80" FOREIGN KEY ("leadDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  meetings: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "bodyId" integer NOT NULL, "date" date NOT NULL, "title" varchar(200) NOT NULL, "place" varchar(200) NOT NULL DEFAULT (''), "attendingDepartmentIds" text NOT NULL, "agenda" text NOT NULL DEFAULT (''), "minutesSummary" text NOT NULL DEFAULT (''), "participationType" varchar(20), "topicActionFieldIds" text NOT NULL, "participantCount" integer, "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_0a2aba1d879a6ecb167763f093e" FOREIGN KEY ("bodyId") REFERENCES "governance_bodies" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  decisions: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "meetingId" integer NOT NULL, "kind" varchar(20) NOT NULL, "text" text NOT NULL, "responsibleDepartmentId" integer NOT NULL, "dueDate" date, "state" varchar(20) NOT NULL DEFAULT ('open'), "isExample" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_578c7b04a5782188e6aa33f5cda" FOREIGN KEY ("meetingId") REFERENCES "meetings" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_4945eab6bfeba4524e0f77e24a0" FOREIGN KEY ("responsibleDepartmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
  framework_revisions: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "effectiveDate" date NOT NULL, "reason" text NOT NULL, "authorId" integer, "authorName" varchar(400) NOT NULL, "versionBefore" varchar(40) NOT NULL, "versionAfter" varchar(40) NOT NULL, "source" varchar(10) NOT NULL, "changes" text NOT NULL, "effects" text NOT NULL, "appliedAt" datetime NOT NULL DEFAULT (datetime('now')))`,
  implementation_reports: `("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "cycleId" integer NOT NULL, "cycleCode" varchar(40) NOT NULL, "fileName" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "draft" boolean NOT NULL, "containsExampleData" boolean NOT NULL, "measureCount" integer NOT NULL, "generatedById" integer, "generatedBy" varchar(254) NOT NULL DEFAULT (''), "generatedAt" datetime NOT NULL DEFAULT (datetime('now')), "format" varchar(8) NOT NULL DEFAULT ('xlsx'))`,
};

/** Tables without a code: a plain index on the plan, for the lists filtered by it. */
const INDEXES = [
  `CREATE INDEX "IDX_334746f06b2a7f76c5761e5526" ON "framework_revisions" ("frameworkId") `,
  `CREATE INDEX "IDX_3926c2579215d98317eb6d2a1f" ON "meetings" ("frameworkId") `,
  `CREATE INDEX "IDX_10bee90f5318e95285e0c45831" ON "decisions" ("frameworkId") `,
  `CREATE INDEX "IDX_8b6928471f9ece6ab4bbfa2c68" ON "implementation_reports" ("frameworkId") `,
];
const INDEX_NAMES = INDEXES.map((sql) => /"(IDX_\w+)"/.exec(sql)?.[1] ?? '');

type Row = Record<string, unknown>;

/**
 * Builds `table` anew with `definition`, copying the columns both versions have; `frameworkId`, new, is set to
 * `plan` in every row. Its indexes (but `skipIndexes`) and its AUTOINCREMENT counter are kept.
 */
async function rebuild(
  queryRunner: QueryRunner,
  table: Table,
  definition: string,
  plan: number | null,
  skipIndexes: string[],
): Promise<void> {
  const rows = async (sql: string, parameters?: unknown[]): Promise<Row[]> =>
    (await queryRunner.query(sql, parameters)) as Row[];
  const indexes = (
    await rows(
      `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = ? AND "sql" IS NOT NULL`,
      [table],
    )
  ).filter((index) => !skipIndexes.includes(String(index.name)));
  const [counter] = await rows(`SELECT "seq" FROM "sqlite_sequence" WHERE "name" = ?`, [table]);
  const temporary = `temporary_${table}`;
  await queryRunner.query(`CREATE TABLE "${temporary}" ${definition}`);
  const old = new Set((await rows(`PRAGMA table_info("${table}")`)).map((c) => String(c.name)));
  const columns = (await rows(`PRAGMA table_info("${temporary}")`)).map((c) => String(c.name));
  const copied = columns.filter((c) => old.has(c)).map((c) => `"${c}"`);
  const filled = columns.includes('frameworkId') && !old.has('frameworkId');
  const target = [...copied, ...(filled ? ['"frameworkId"'] : [])].join(', ');
  const source = [...copied, ...(filled ? [plan === null ? 'NULL' : String(plan)] : [])].join(', ');
  await queryRunner.query(`INSERT INTO "${temporary}" (${target}) SELECT ${source} FROM "${table}"`);
  await queryRunner.query(`DROP TABLE "${table}"`);
  await queryRunner.query(`ALTER TABLE "${temporary}" RENAME TO "${table}"`);
  for (const index of indexes) await queryRunner.query(String(index.sql));
  if (counter)
    await queryRunner.query(`UPDATE "sqlite_sequence" SET "seq" = MAX("seq", ?) WHERE "name" = ?`, [
      Number(counter.seq),
      table,
    ]);
}

/** Runs `work` with every trigger of the database taken down, and puts them back as they were. */
async function withoutTriggers(queryRunner: QueryRunner, work: () => Promise<void>): Promise<void> {
  const triggers = (await queryRunner.query(
    `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'trigger' ORDER BY "rowid"`,
  )) as { name: string; sql: string }[];
  for (const trigger of triggers) await queryRunner.query(`DROP TRIGGER "${trigger.name}"`);
  await work();
  for (const trigger of triggers) await queryRunner.query(trigger.sql);
}

export class PlansSqlite1795400000800 implements MigrationInterface {
  name = 'PlansSqlite1795400000800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const plan = await planOfExistingRows(queryRunner);
    await withoutTriggers(queryRunner, async () => {
      for (const table of PLAN_BOUND_TABLES)
        await rebuild(queryRunner, table, AFTER[table], plan?.id ?? null, []);
    });
    for (const sql of INDEXES) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await withoutTriggers(queryRunner, async () => {
      for (const table of [...PLAN_BOUND_TABLES].reverse())
        await rebuild(queryRunner, table, BEFORE[table], null, INDEX_NAMES);
    });
  }
}
