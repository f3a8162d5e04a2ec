import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Umsetzungsbericht as PDF and DOCX beside the workbook: each generated file records its format. */
export class ReportDocumentsPostgres1795400000300 implements MigrationInterface {
  name = 'ReportDocumentsPostgres1795400000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "implementation_reports" ADD "format" character varying(8) NOT NULL DEFAULT 'xlsx'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "implementation_reports" DROP COLUMN "format"`);
  }
}
