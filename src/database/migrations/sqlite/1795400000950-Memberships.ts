import type { MigrationInterface, QueryRunner } from 'typeorm';
import { membershipsOfExistingUsers } from '../memberships-of-existing-users.js';

/**
 * Roles per plan: an account's rights are its memberships (plan, role, organisation), and installation
 * administrators manage accounts and plans. The existing roles become memberships of the one plan
 * (memberships-of-existing-users.ts); `users.role` and `users.departmentId` stay. `users` gains its column in
 * place (ALTER TABLE … ADD COLUMN), so its indexes stay as they are. Not read by the dashboard, so no
 * data-version trigger.
 */
export class MembershipsSqlite1795400000950 implements MigrationInterface {
  name = 'MembershipsSqlite1795400000950';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "memberships" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "userId" integer NOT NULL, "frameworkId" integer NOT NULL, "role" varchar(10) NOT NULL, "departmentId" integer, CONSTRAINT "UQ_06b58c4efb90b9d39d37d56c0ac" UNIQUE ("userId", "frameworkId"), CONSTRAINT "FK_187d573e43b2c2aa3960df20b78" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_5190afe25893aa3310cb37a6cb0" FOREIGN KEY ("frameworkId") REFERENCES "frameworks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_474373c7d3a7d050cc9c35cba2a" FOREIGN KEY ("departmentId") REFERENCES "departments" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5190afe25893aa3310cb37a6cb" ON "memberships" ("frameworkId") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD COLUMN "installationAdmin" boolean NOT NULL DEFAULT (0)`,
    );
    await membershipsOfExistingUsers(queryRunner, '1');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "installationAdmin"`);
    await queryRunner.query(`DROP INDEX "IDX_5190afe25893aa3310cb37a6cb"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
  }
}
