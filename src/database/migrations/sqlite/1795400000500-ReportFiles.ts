import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances on one database: the bytes of every generated report (workbook, PDF, DOCX) are kept in
 * the database in pieces of 1 MiB, so that any instance serves any report. Reports generated before this
 * migration have no pieces; their download falls back to the file in REPORTS_DIR. Not read by the dashboard,
 * so no data-version trigger.
 */
export class ReportFilesSqlite1795400000500 implements MigrationInterface {
  name = 'ReportFilesSqlite1795400000500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_file_chunks" ("reportId" integer NOT NULL, "chunkIndex" integer NOT NULL, "content" blob NOT NULL, CONSTRAINT "FK_report_file_chunks_report" FOREIGN KEY ("reportId") REFERENCES "implementation_reports" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("reportId", "chunkIndex"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_file_chunks"`);
  }
}
