import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Umsetzungsbericht as PDF and DOCX beside the workbook: each generated file records its format. */
export class ReportDocumentsSqlite1795400000300 implements MigrationInterface {
  name = 'ReportDocumentsSqlite1795400000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "implementation_reports" ADD COLUMN "format" varchar(8) NOT NULL DEFAULT ('xlsx')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "implementation_reports" DROP COLUMN "format"`);
  }
}
