import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditEntriesOfPlan } from '../audit-entries-of-plan.js';

/**
 * The audit trail per plan: an entry names the plan it is about (`frameworkId`, null for the installation's own
 * business: accounts, sign-ins, organisations). A plain nullable column added in place (no rebuild, no trigger
 * touched); the entries already written are filed under the one plan the installation ran until now.
 */
export class AuditPlanSqlite1795400000960 implements MigrationInterface {
  name = 'AuditPlanSqlite1795400000960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_entries" ADD "frameworkId" integer`);
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_entries_plan" ON "audit_entries" ("frameworkId", "id") `,
    );
    await auditEntriesOfPlan(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_audit_entries_plan"`);
    await queryRunner.query(`ALTER TABLE "audit_entries" DROP COLUMN "frameworkId"`);
  }
}
