import type { QueryRunner } from 'typeorm';

/**
 * For the AuditPlan migration: the entries written before it are about the one plan the installation ran
 * (its first framework row), except those about the installation itself (accounts, sign-ins, organisations,
 * mail), which stay without a plan. Entity names as the trail files them, written out here so that later
 * changes of the code do not change what the migration does.
 */
const INSTALLATION = [
  'User',
  'Session',
  'LoginFailure',
  'Department',
  'NotificationLog',
  'JobLock',
  'RateLimitCounter',
];

export async function auditEntriesOfPlan(queryRunner: QueryRunner): Promise<void> {
  const [plan] = (await queryRunner.query(`SELECT "id" FROM "frameworks" ORDER BY "id" LIMIT 1`)) as {
    id: number | string;
  }[];
  if (!plan) return;
  await queryRunner.query(
    `UPDATE "audit_entries" SET "frameworkId" = ${Number(plan.id)} WHERE "entity" NOT IN (${INSTALLATION.map((e) => `'${e}'`).join(', ')})`,
  );
}
