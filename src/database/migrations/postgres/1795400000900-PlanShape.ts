import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each plan says its own shape: its words, levels, measure-code rule and reporting rhythm (frameworks), a body's
 * cadence in weeks and its participation formats (governance_bodies), the areas measures may name (areas,
 * measure_areas), and the organisations out of the shared directory that take part (framework_departments).
 * Every organisation of an existing database takes part in its plan.
 */
export class PlanShapePostgres1795400000900 implements MigrationInterface {
  name = 'PlanShapePostgres1795400000900';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "frameworks" ADD "vocabulary" text, ADD "levels" text, ADD "measureCodePattern" character varying(200), ADD "measureCodeExample" character varying(30), ADD "reportingRhythmMonths" integer NOT NULL DEFAULT '24', ADD "reportingRhythmLabel" character varying(100) NOT NULL DEFAULT 'alle zwei Jahre'`,
    );
    await queryRunner.query(
      `ALTER TABLE "governance_bodies" ADD "intervalWeeksMin" integer, ADD "intervalWeeksMax" integer, ADD "participationFormats" text`,
    );
    await queryRunner.query(
      `CREATE TABLE "areas" ("id" SERIAL NOT NULL, "frameworkId" integer NOT NULL, "code" character varying(30) NOT NULL, "name" character varying(200) NOT NULL, "levelCode" character varying(30), "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_4602344add19b7bd10316c5921c" UNIQUE ("frameworkId", "code"), CONSTRAINT "PK_5110493f6342f34c978c084d0d6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "measure_areas" ("measureId" integer NOT NULL, "areaId" integer NOT NULL, CONSTRAINT "PK_2cb1fd82eaa8547ef03390de9f3" PRIMARY KEY ("measureId", "areaId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_measure_areas_area" ON "measure_areas" ("areaId") `);
    await queryRunner.query(
      `CREATE TABLE "framework_departments" ("frameworkId" integer NOT NULL, "departmentId" integer NOT NULL, "sortOrder" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_786f16a06e20e0f3921ce674b5b" PRIMARY KEY ("frameworkId", "departmentId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_framework_departments_department" ON "framework_departments" ("departmentId") `,
    );
    await queryRunner.query(
      `ALTER TABLE "areas" ADD CONSTRAINT "FK_b7164439c6ac0a90c1c63ff2cd5" FOREIGN KEY ("frameworkId") REFERENCES "frameworks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_areas" ADD CONSTRAINT "FK_8f12bd552a737aa975a8107c72c" FOREIGN KEY ("measureId") REFERENCES "measures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "measure_areas" ADD CONSTRAINT "FK_48910e730cebf48e82c6f1a3344" FOREIGN KEY ("areaId") REFERENCES "areas"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_departments" ADD CONSTRAINT "FK_1d1038b92052b5d19c4a5c6474c" FOREIGN KEY ("frameworkId") REFERENCES "frameworks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_departments" ADD CONSTRAINT "FK_a0c33f86b34d3a08a9a573c5911" FOREIGN KEY ("departmentId") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "framework_departments" ("frameworkId", "departmentId", "sortOrder") SELECT f."id", d."id", d."sortOrder" FROM "frameworks" f CROSS JOIN "departments" d`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "framework_departments"`);
    await queryRunner.query(`DROP TABLE "measure_areas"`);
    await queryRunner.query(`DROP TABLE "areas"`);
    await queryRunner.query(
      `ALTER TABLE "governance_bodies" DROP COLUMN "participationFormats", DROP COLUMN "intervalWeeksMax", DROP COLUMN "intervalWeeksMin"`,
    );
    await queryRunner.query(
      `ALTER TABLE "frameworks" DROP COLUMN "reportingRhythmLabel", DROP COLUMN "reportingRhythmMonths", DROP COLUMN "measureCodeExample", DROP COLUMN "measureCodePattern", DROP COLUMN "levels", DROP COLUMN "vocabulary"`,
    );
  }
}
