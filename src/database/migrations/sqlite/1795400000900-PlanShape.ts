import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each plan says its own shape: its words, levels, measure-code rule and reporting rhythm (frameworks), a body's
 * cadence in weeks and its participation formats (governance_bodies), the areas measures may name (areas,
 * measure_areas), and the organisations out of the shared directory that take part (framework_departments).
 * New columns are added in place (no table rebuild: the triggers on these tables stay as they are); every
 * organisation of an existing database takes part in its plan.
 */
export class PlanShapeSqlite1795400000900 implements MigrationInterface {
  name = 'PlanShapeSqlite1795400000900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of [
      `"vocabulary" text`,
      `"levels" text`,
      `"measureCodePattern" varchar(200)`,
      `"measureCodeExample" varchar(30)`,
      `"reportingRhythmMonths" integer NOT NULL DEFAULT (24)`,
      `"reportingRhythmLabel" varchar(100) NOT NULL DEFAULT ('alle zwei Jahre')`,
    ])
      await queryRunner.query(`ALTER TABLE "frameworks" ADD COLUMN ${column}`);
    for (const column of [
      `"intervalWeeksMin" integer`,
      `"intervalWeeksMax" integer`,
      `"participationFormats" text`,
    ])
      await queryRunner.query(`ALTER TABLE "governance_bodies" ADD COLUMN ${column}`);
    await queryRunner.query(
      `CREATE TABLE "areas" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "frameworkId" integer NOT NULL, "code" varchar(30) NOT NULL, "name" varchar(200) NOT NULL, "levelCode" varchar(30), "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "UQ_4602344add19b7bd10316c5921c" UNIQUE ("frameworkId", "code"), CONSTRAINT "FK_b7164439c6ac0a90c1c63ff2cd5" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_areas" ("measureId" integer NOT NULL, "areaId" integer NOT NULL, CONSTRAINT "FK_8f12bd552a737aa975a8107c72c" FOREIGN KEY ("measureId") REFERENCES "measures" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_48910e730cebf48e82c6f1a3344" FOREIGN KEY ("areaId") REFERENCES "areas" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("measureId", "areaId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_measure_areas_area" ON "measure_areas" ("areaId") `);
    await queryRunner.query(
      `CREATE TABLE "framework_departments" ("frameworkId" integer NOT NULL, "departmentId" integer NOT NULL, "sortOrder" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_1d1038b92052b5d19c4a5c6474c" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_a0c33f86b34d3a08a9a573c5911" FOREIGN KEY ("departmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("frameworkId", "departmentId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_framework_departments_department" ON "framework_departments" ("departmentId") `,
    );
    await queryRunner.query(
      `INSERT INTO "framework_departments" ("frameworkId", "departmentId", "sortOrder") SELECT f."id", d."id", d."sortOrder" FROM "frameworks" f CROSS JOIN "departments" d`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_framework_departments_department"`);
    await queryRunner.query(`DROP TABLE "framework_departments"`);
    await queryRunner.query(`DROP INDEX "IDX_measure_areas_area"`);
    await queryRunner.query(`DROP TABLE "measure_areas"`);
    await queryRunner.query(`DROP TABLE "areas"`);
    for (const column of ['participationFormats', 'intervalWeeksMax', 'intervalWeeksMin'])
      await queryRunner.query(`ALTER TABLE "governance_bodies" DROP COLUMN "${column}"`);
    for (const column of [
      'reportingRhythmLabel',
      'reportingRhythmMonths',
      'measureCodeExample',
      'measureCodePattern',
      'levels',
      'vocabulary',
    ])
      await queryRunner.query(`ALTER TABLE "frameworks" DROP COLUMN "${column}"`);
  }
}
