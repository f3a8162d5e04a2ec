import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PLAN_BOUND_TABLES, planOfExistingRows } from '../plan-of-existing-rows.js';

/**
 * Several plans in one installation: every plan-bound row carries its plan (`frameworkId`, a foreign key to
 * frameworks), and a code is unique per plan rather than in the whole table. The rows already there belong to the
 * one framework the installation ran (plan-of-existing-rows.ts): the column is added with that plan as its default,
 * which fills every row without writing one (so no trigger fires), and the default is dropped at once.
 */
const UNIQUE_CODES: { table: string; before: string; after: string }[] = [
  {
    table: 'action_fields',
    before: 'UQ_a2521c6a7a1d568fc65fb4ebf31',
    after: 'UQ_496bc9f140b940658f81e5d420b',
  },
  { table: 'goals', before: 'UQ_0712df78785549b7c74f6077cc7', after: 'UQ_6618f417d2db4f798e54c92785b' },
  { table: 'measures', before: 'UQ_486660a87d2511ed51cedc1e6a1', after: 'UQ_920f47ab0412cd74744f5eabe3d' },
  {
    table: 'governance_bodies',
    before: 'UQ_614697ebcf6875544c1ed97a361',
    after: 'UQ_1bbb19cb056d3542526a96746ae',
  },
  { table: 'indicators', before: 'UQ_7908c77362d20f1c428d49bfe4b', after: 'UQ_5fc2dc51a267f0fe07e6fb39af0' },
  {
    table: 'reporting_cycles',
    before: 'UQ_853ac335523c85da75b3fe945ff',
    after: 'UQ_96e66b1cdd164f0d69e33dc98d0',
  },
];
/** Tables without a code: a plain index on the plan, for the lists filtered by it. */
const INDEXES: { table: string; name: string }[] = [
  { table: 'framework_revisions', name: 'IDX_334746f06b2a7f76c5761e5526' },
  { table: 'meetings', name: 'IDX_3926c2579215d98317eb6d2a1f' },
  { table: 'decisions', name: 'IDX_10bee90f5318e95285e0c45831' },
  { table: 'implementation_reports', name: 'IDX_8b6928471f9ece6ab4bbfa2c68' },
];
const FOREIGN_KEYS: Record<(typeof PLAN_BOUND_TABLES)[number], string> = {
  goals: 'FK_e84c0a7c173e33ad89c14223064',
  action_fields: 'FK_cd6436ff329e12315bc214fb7c9',
  governance_bodies: 'FK_0dc0396b416fcdfbdca6e7b9f63',
  reporting_cycles: 'FK_263b27e36fd671d4030cefda42e',
  indicators: 'FK_393cc5608ff3d3afe59ed061c1f',
  measures: 'FK_d3354bc22872b1ab80dde27e5a2',
  meetings: 'FK_3926c2579215d98317eb6d2a1fb',
  decisions: 'FK_10bee90f5318e95285e0c458315',
  framework_revisions: 'FK_334746f06b2a7f76c5761e55266',
  implementation_reports: 'FK_8b6928471f9ece6ab4bbfa2c68a',
};

export class PlansPostgres1795400000800 implements MigrationInterface {
  name = 'PlansPostgres1795400000800';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const plan = await planOfExistingRows(queryRunner);
    // A plan row written just now: its deferred data-version trigger runs before the tables are altered.
    if (plan?.created) await queryRunner.query(`SET CONSTRAINTS ALL IMMEDIATE`);
    for (const table of PLAN_BOUND_TABLES) {
      if (plan) {
        await queryRunner.query(
          `ALTER TABLE "${table}" ADD "frameworkId" integer NOT NULL DEFAULT ${plan.id}`,
        );
        await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "frameworkId" DROP DEFAULT`);
      } else {
        await queryRunner.query(`ALTER TABLE "${table}" ADD "frameworkId" integer NOT NULL`);
      }
    }
    for (const { table, before, after } of UNIQUE_CODES) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${before}"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${after}" UNIQUE ("frameworkId", "code")`,
      );
    }
    for (const { table, name } of INDEXES)
      await queryRunner.query(`CREATE INDEX "${name}" ON "${table}" ("frameworkId") `);
    for (const table of PLAN_BOUND_TABLES)
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${FOREIGN_KEYS[table]}" FOREIGN KEY ("frameworkId") REFERENCES "frameworks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...PLAN_BOUND_TABLES].reverse())
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${FOREIGN_KEYS[table]}"`);
    for (const { name } of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX "public"."${name}"`);
    for (const { table, before, after } of [...UNIQUE_CODES].reverse()) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${after}"`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${before}" UNIQUE ("code")`);
    }
    for (const table of [...PLAN_BOUND_TABLES].reverse())
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "frameworkId"`);
  }
}
