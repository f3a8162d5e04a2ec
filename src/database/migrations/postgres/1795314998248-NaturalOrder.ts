import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Natural order of measure codes (3.2-01 before 3.10-01): a sort key beside the code, on measures and on the
 * snapshot items, filled here for existing rows with the same rule as naturalSortKey() at the time. Added
 * with ALTER TABLE, so the measures table and its triggers stay as they are.
 */
const naturalSortKey = (code: string): string => code.replace(/\d+/g, (digits) => digits.padStart(8, '0'));

async function fill(queryRunner: QueryRunner, table: string): Promise<void> {
  const rows = (await queryRunner.query(`SELECT "id", "code" FROM "${table}"`)) as {
    id: number;
    code: string;
  }[];
  for (const row of rows)
    await queryRunner.query(`UPDATE "${table}" SET "sortKey" = $1 WHERE "id" = $2`, [
      naturalSortKey(row.code),
      row.id,
    ]);
}

export class NaturalOrderPostgres1795314998248 implements MigrationInterface {
  name = 'NaturalOrderPostgres1795314998248';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "measures" ADD COLUMN "sortKey" character varying(160) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "cycle_snapshot_items" ADD COLUMN "sortKey" character varying(160) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_404feed0ae8d845780a0d4c635" ON "measures" ("sortKey", "code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4db0d5086e98267950052fc142" ON "cycle_snapshot_items" ("snapshotId", "sortKey", "code") `,
    );
    await fill(queryRunner, 'measures');
    await fill(queryRunner, 'cycle_snapshot_items');
    // The data-version triggers are deferred to the commit; a later migration in the same transaction could
    // not alter these tables while their events wait, so they run now.
    await queryRunner.query('SET CONSTRAINTS ALL IMMEDIATE');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_4db0d5086e98267950052fc142"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_404feed0ae8d845780a0d4c635"`);
    await queryRunner.query(`ALTER TABLE "cycle_snapshot_items" DROP COLUMN "sortKey"`);
    await queryRunner.query(`ALTER TABLE "measures" DROP COLUMN "sortKey"`);
  }
}
