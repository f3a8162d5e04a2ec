import type { QueryRunner } from 'typeorm';

/**
 * For the Memberships migration: an account's role and department become its membership in the plan the
 * installation ran (the first framework row; the Plans migration made every row belong to it), and the
 * coordinating unit's admins become installation administrators, who keep managing accounts. An installation
 * without a plan has no membership to fill. Plain SQL, so that later changes of the entities do not change
 * what the migration does.
 */
export async function membershipsOfExistingUsers(queryRunner: QueryRunner, trueValue: string): Promise<void> {
  await queryRunner.query(`UPDATE "users" SET "installationAdmin" = ${trueValue} WHERE "role" = 'admin'`);
  const [plan] = (await queryRunner.query(`SELECT "id" FROM "frameworks" ORDER BY "id" LIMIT 1`)) as {
    id: number | string;
  }[];
  if (!plan) return;
  await queryRunner.query(
    `INSERT INTO "memberships" ("userId", "frameworkId", "role", "departmentId")
     SELECT "id", ${Number(plan.id)}, "role", CASE WHEN "role" = 'editor' THEN "departmentId" ELSE NULL END
       FROM "users" ORDER BY "id"`,
  );
}
