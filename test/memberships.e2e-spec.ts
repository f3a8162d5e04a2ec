/**
 * Roles per plan: an account's rights are its memberships (plan, role, organisation). The same person edits for
 * ASJI in one plan and reads another; a plan's admin who is not an installation administrator manages no
 * accounts; the existing roles become memberships of the one plan when a database is upgraded; the account page
 * adds a membership by keyboard. Runs on SQLite and on PostgreSQL.
 */
import { addPlan } from './factories/plan.factory.js';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { buildDataSourceOptions } from '../src/database/database-options.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../src/database/migrations/index.js';
import { ActionField } from '../src/framework/action-field.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { expectNoAxeViolations, signInPage, startWebApp } from './helpers/browser.js';
import {
  databaseFingerprint,
  dropPostgresDatabase,
  ensurePostgresDatabase,
  type TestApp,
  testDatabasePath,
} from './helpers/test-app.js';

interface Membership {
  frameworkId: number;
  role: string;
  departmentId: number | null;
}
interface Account {
  id: number;
  email: string;
  version: number;
  role: string;
  installationAdmin: boolean;
  memberships: Membership[];
}

const PASSWORD = 'Ein-gutes-Passwort-1';

describe('roles per plan', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let ids: Ids;
  let planA: number;
  let planB: { id: number; goalId: number; fieldId: number; measureId: number };

  const signIn = async (email: string, password = PASSWORD): Promise<string> =>
    (await t.http.post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken as string;

  async function createAccount(body: Record<string, unknown>): Promise<Account> {
    const res = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: `konto-${randomUUID()}@example.org`,
        displayName: 'Testkonto',
        password: PASSWORD,
        ...body,
      });
    expect(res.status).toBe(201);
    return res.body as Account;
  }

  beforeAll(async () => {
    ({ t, base, browser } = await startWebApp());
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
    [{ id: planA }] = await t.dataSource.query<{ id: number }[]>(`SELECT "id" FROM "frameworks"`);
    planA = Number(planA);
    // A second plan, written directly as test/plans.e2e-spec.ts does: its own goal, field and an ASJI measure.
    const manager = t.dataSource.manager;
    const plan = await addPlan(manager, {
      code: 'regierungscontrolling',
      name: 'Regierungscontrolling',
      region: 'Bremen',
    });
    const goal = await manager.save(
      manager.create(Goal, { frameworkId: plan.id, code: '2.1', title: 'Wirksam steuern', description: '' }),
    );
    const field = await manager.save(
      manager.create(ActionField, {
        frameworkId: plan.id,
        code: '3.1',
        title: 'Controlling',
        description: '',
      }),
    );
    const measure = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(
        newMeasure(
          {
            goals: { '2.1': goal.id, '2.2': goal.id },
            fields: { '3.1': field.id },
            departments: ids.departments,
          },
          { goalIds: [goal.id], participatingDepartmentIds: [], targetGroups: [] },
        ),
      )
      .expect(201);
    planB = { id: plan.id, goalId: goal.id, fieldId: field.id, measureId: measure.body.id as number };
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the same person edits for ASJI in one plan and reads the other, and writes nothing there', async () => {
    const account = await createAccount({
      memberships: [
        { frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI },
        { frameworkId: planB.id, role: 'viewer' },
      ],
    });
    expect(account).toMatchObject({
      installationAdmin: false,
      memberships: [
        { frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI },
        { frameworkId: planB.id, role: 'viewer', departmentId: null },
      ],
    });
    const token = await signIn(account.email);
    const me = (await t.http.get('/api/auth/me').auth(token, { type: 'bearer' }).expect(200)).body as Account;
    expect(me.memberships).toHaveLength(2);

    // Plan A: an ASJI measure, written as its editor.
    const own = (
      await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(newMeasure(ids)).expect(201)
    ).body as { id: number; version: number };
    await t.http
      .patch(`/api/measures/${own.id}`)
      .auth(token, { type: 'bearer' })
      .send({ version: own.version, description: 'Vom Ressort ergänzt.' })
      .expect(200);

    // Plan B: read, but not written, although ASJI leads the measure there too.
    const read = await t.http
      .get(`/api/measures/${planB.measureId}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(read.body).toMatchObject({ frameworkId: planB.id });
    const list = await t.http
      .get(`/api/measures?frameworkId=${planB.id}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect((list.body as { items: { id: number }[] }).items.map((m) => m.id)).toEqual([planB.measureId]);
    const before = await databaseFingerprint(t.dataSource);
    const write = await t.http
      .patch(`/api/measures/${planB.measureId}`)
      .auth(token, { type: 'bearer' })
      .send({ version: read.body.version, description: 'Nicht erlaubt.' })
      .expect(403);
    expect(write.body).toMatchObject({ code: 'ACCESS.ROLE' });
    await t.http
      .post(`/api/measures/${planB.measureId}/status-reports`)
      .auth(token, { type: 'bearer' })
      .send({ status: 'in_progress', progress: 10, summary: 'Nicht erlaubt.' })
      .expect(403);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    // A list without a plan, with roles in two plans: which plan must be said.
    const undecided = await t.http.get('/api/measures').auth(token, { type: 'bearer' }).expect(400);
    expect(undecided.body.code).toBe('FRAMEWORK.PLAN_REQUIRED');
  });

  it('without a membership in a plan, its records are refused with a German reason', async () => {
    const account = await createAccount({
      memberships: [{ frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI }],
    });
    const token = await signIn(account.email);
    const res = await t.http
      .get(`/api/measures/${planB.measureId}`)
      .auth(token, { type: 'bearer' })
      .expect(403);
    expect(res.body).toMatchObject({
      code: 'ACCESS.NO_MEMBERSHIP',
      message: 'Sie haben in diesem Plan keine Rolle.',
    });
    // The list of plans and the switcher offer only the plans it has a role in.
    const plans = await t.http.get('/plaene').set('Cookie', `${SESSION_COOKIE}=${token}`).expect(200);
    expect(plans.text).not.toContain('Regierungscontrolling');
    const adminPlans = await t.http.get('/plaene').set('Cookie', `${SESSION_COOKIE}=${admin}`).expect(200);
    expect(adminPlans.text).toContain('Regierungscontrolling');
    // Its only plan is the one it works in, without naming it.
    const list = await t.http.get('/api/measures?pageSize=1').auth(token, { type: 'bearer' }).expect(200);
    expect((list.body as { items: { frameworkId: number }[] }).items[0].frameworkId).toBe(planA);
  });

  it("a plan's admin who is not an installation administrator runs the plan but manages no accounts", async () => {
    const account = await createAccount({
      memberships: [{ frameworkId: planA, role: 'admin' }],
      installationAdmin: false,
    });
    expect(account).toMatchObject({ installationAdmin: false, role: 'admin' });
    const token = await signIn(account.email);
    const before = await databaseFingerprint(t.dataSource);
    for (const request of [
      t.http.get('/api/users'),
      t.http.get(`/api/users/${account.id}`),
      t.http
        .post('/api/users')
        .send({ email: 'x@example.org', displayName: 'X', role: 'viewer', password: PASSWORD }),
      t.http.patch(`/api/users/${account.id}`).send({ version: account.version, installationAdmin: true }),
    ]) {
      const res = await request.auth(token, { type: 'bearer' });
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'ACCESS.INSTALLATION_ADMIN',
      });
    }
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    const page = await t.http.get('/konten').set('Cookie', `${SESSION_COOKIE}=${token}`);
    expect(page.status).toBe(403);
    // The installation's mail and the other plans' audit entries and jobs are not its to see.
    for (const path of ['/api/notifications', '/api/audit?frameworkId=installation']) {
      const res = await t.http.get(path).auth(token, { type: 'bearer' });
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 403,
        code: 'ACCESS.INSTALLATION_ADMIN',
      });
    }
    const audit = (await t.http.get('/api/audit?pageSize=200').auth(token, { type: 'bearer' }).expect(200))
      .body as { items: { frameworkId: number | null }[] };
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((entry) => entry.frameworkId === planA)).toBe(true);
    await t.http.get(`/api/audit?frameworkId=${planB.id}`).auth(token, { type: 'bearer' }).expect(403);
    expect((await t.http.get('/api/jobs').auth(token, { type: 'bearer' }).expect(200)).body).toEqual([]);
    // A plan named twice must be the same plan: its role counts in the plan written to.
    const twice = await t.http
      .post(`/api/reporting-cycles?frameworkId=${planA}`)
      .auth(token, { type: 'bearer' })
      .send({
        frameworkId: planB.id,
        code: '2090',
        name: 'Bericht 2090',
        periodStart: '2090-01-01',
        periodEnd: '2090-12-31',
        inputDeadline: '2091-01-31',
      })
      .expect(404);
    expect(twice.body.code).toBe('ACCESS.OTHER_PLAN');
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    // In its plan it is the coordinating unit: it creates a measure there.
    await t.http.post('/api/measures').auth(token, { type: 'bearer' }).send(newMeasure(ids)).expect(201);
    // In the other plan it has no role.
    await t.http.get(`/api/measures/${planB.measureId}`).auth(token, { type: 'bearer' }).expect(403);
  });

  it("a plan's admin reviews a selection of reports only within its plan", async () => {
    // The second plan collects reports for 2026; an editor of ASJI there reports on its measure.
    const cycle = (
      await t.http
        .post('/api/reporting-cycles')
        .auth(admin, { type: 'bearer' })
        .send({
          frameworkId: planB.id,
          code: '2026',
          name: 'Bericht 2026',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          inputDeadline: '2027-01-31',
        })
        .expect(201)
    ).body as { id: number; version: number };
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/transition`)
      .auth(admin, { type: 'bearer' })
      .send({ to: 'collecting', version: cycle.version })
      .expect(200);
    const editor = await createAccount({
      memberships: [{ frameworkId: planB.id, role: 'editor', departmentId: ids.departments.ASJI }],
    });
    const report = (
      await t.http
        .post(`/api/measures/${planB.measureId}/status-reports`)
        .auth(await signIn(editor.email), { type: 'bearer' })
        .send({
          status: 'in_progress',
          progress: 30,
          summary: 'Stand im zweiten Plan',
          reportedAt: '2026-06-30',
        })
        .expect(201)
    ).body as { id: number; reviewState: string };
    expect(report.reviewState).toBe('submitted');

    // The admin of the first plan, who only reads the second, cannot accept it in a selection.
    const planAdmin = await createAccount({
      memberships: [
        { frameworkId: planA, role: 'admin' },
        { frameworkId: planB.id, role: 'viewer' },
      ],
      installationAdmin: false,
    });
    const planAdminToken = await signIn(planAdmin.email);
    const before = await databaseFingerprint(t.dataSource);
    const refused = await t.http
      .post('/api/status-reports/review')
      .auth(planAdminToken, { type: 'bearer' })
      .send({ ids: [report.id], decision: 'accept' })
      .expect(409);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ id: report.id, code: 'STATUS_REPORT.REVIEW_ADMIN_ONLY' }),
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    // An administrator of the second plan can.
    const accepted = await t.http
      .post('/api/status-reports/review')
      .auth(admin, { type: 'bearer' })
      .send({ ids: [report.id], decision: 'accept' })
      .expect(200);
    expect(accepted.body.items[0]).toMatchObject({ id: report.id, reviewState: 'accepted' });
  });

  it("a plan's admin's report job runs with its role in that plan", async () => {
    const [cycle] = (
      await t.http
        .get(`/api/reporting-cycles?frameworkId=${planB.id}`)
        .auth(admin, { type: 'bearer' })
        .expect(200)
    ).body as { id: number }[];
    // Admin of the second plan, reader of the first: the job must take the role in the report's plan.
    const planAdmin = await createAccount({
      memberships: [
        { frameworkId: planA, role: 'viewer' },
        { frameworkId: planB.id, role: 'admin' },
      ],
      installationAdmin: false,
    });
    const token = await signIn(planAdmin.email);
    const queued = await t.http
      .post(`/api/reporting-cycles/${cycle.id}/report?format=xlsx`)
      .auth(token, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .expect(202);
    let job = queued.body as { id: number; state: string; error: string | null };
    for (let i = 0; i < 600 && !['done', 'failed'].includes(job.state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await t.http.get(`/api/jobs/${job.id}`).auth(token, { type: 'bearer' }).expect(200))
        .body as typeof job;
    }
    expect({ state: job.state, error: job.error }).toEqual({ state: 'done', error: null });
  });

  it('a plan that does not exist is 404 for an installation administrator too, nothing written', async () => {
    const before = await databaseFingerprint(t.dataSource);
    const res = await t.http.post('/api/reporting-cycles').auth(admin, { type: 'bearer' }).send({
      frameworkId: 999_999,
      code: '2090',
      name: 'Bericht 2090',
      periodStart: '2090-01-01',
      periodEnd: '2090-12-31',
      inputDeadline: '2091-01-31',
    });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'FRAMEWORK.NOT_FOUND' });
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('checks memberships with German messages, and audits their writes', async () => {
    const res = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: `konto-${randomUUID()}@example.org`,
        displayName: 'Testkonto',
        password: PASSWORD,
        memberships: [
          { frameworkId: planA, role: 'editor' },
          { frameworkId: 999_999, role: 'viewer' },
          { frameworkId: planB.id, role: 'viewer', departmentId: ids.departments.ASJI },
        ],
      })
      .expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'memberships.0.departmentId', messages: ['ist für die Rolle editor ein Pflichtfeld'] },
      ]),
    );
    const service = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: `konto-${randomUUID()}@example.org`,
        displayName: 'Testkonto',
        password: PASSWORD,
        memberships: [
          { frameworkId: 999_999, role: 'viewer' },
          { frameworkId: planB.id, role: 'viewer', departmentId: ids.departments.ASJI },
        ],
      })
      .expect(400);
    expect(service.body.errors).toEqual([
      { field: 'memberships.0.frameworkId', messages: ['Plan 999999 gibt es nicht'] },
      {
        field: 'memberships.1.departmentId',
        messages: ['nur Konten der Rolle editor gehören zu einem Ressort'],
      },
    ]);

    const account = await createAccount({ memberships: [{ frameworkId: planA, role: 'viewer' }] });
    const changed = await t.http
      .patch(`/api/users/${account.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: account.version, memberships: [{ frameworkId: planB.id, role: 'viewer' }] })
      .expect(200);
    expect(changed.body.memberships).toEqual([{ frameworkId: planB.id, role: 'viewer', departmentId: null }]);
    const audit = await t.dataSource.query<{ action: string; entity: string }[]>(
      `SELECT "action", "entity" FROM "audit_entries" WHERE "entity" = 'Membership' ORDER BY "id"`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'delete']));
  });

  it('the account page adds a membership in the second plan by keyboard, and stays accessible', async () => {
    const account = await createAccount({
      displayName: 'Kollege Zwei Pläne',
      memberships: [{ frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI }],
    });
    const { context, page } = await signInPage(browser, base, 'admin@demo.local');
    await page.goto(`${base}/konten?frameworkId=${planA}`);
    await expectNoAxeViolations(page);
    await page.goto(`${base}/konten/${account.id}?frameworkId=${planA}`);
    await expectNoAxeViolations(page);
    const group = page.getByRole('group', { name: 'Plan: Regierungscontrolling' });
    const role = group.getByLabel('Rolle', { exact: true });
    await role.focus();
    await page.keyboard.press('ArrowDown'); // "keine Rolle" → the first role…
    await role.selectOption('viewer');
    expect(await role.inputValue()).toBe('viewer');
    await group.getByLabel('Ressort (nur für Ressort-Konten)').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/konten\?rolle=\d+$/);
    expect(((await page.locator('[role="status"]').first().textContent()) ?? '').trim()).toMatch(
      // With several plans, every plan's role in its words.
      /^Rollen von Kollege Zwei Pläne geändert: Rahmenkonzept gesellschaftliche Teilhabe und Diversity: Ressort \(Bearbeitung\), .*; Regierungscontrolling: Lesezugriff\.$/,
    );
    await expectNoAxeViolations(page);
    expect(await page.locator('table').textContent()).toContain('Regierungscontrolling: Lesezugriff');
    const after = (await t.http.get(`/api/users/${account.id}`).auth(admin, { type: 'bearer' }).expect(200))
      .body as Account;
    expect(after.memberships).toEqual([
      { frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI },
      { frameworkId: planB.id, role: 'viewer', departmentId: null },
    ]);

    // A new account with a role in the second plan only: the fieldset per plan of the form for new accounts.
    await page.goto(`${base}/konten`);
    await page.getByLabel('E-Mail-Adresse').fill('nur-controlling@example.org');
    await page.getByLabel('Name', { exact: true }).fill('Nur Controlling');
    await page
      .getByRole('group', { name: 'Plan: Regierungscontrolling' })
      .getByLabel('Rolle', { exact: true })
      .selectOption('viewer');
    await page.getByLabel('Erstes Passwort').fill(PASSWORD);
    await page.getByLabel('Erstes Passwort').press('Enter');
    await page.waitForURL(/\/konten\?angelegt=\d+$/);
    await expectNoAxeViolations(page);
    const created = await t.dataSource.query<{ frameworkId: number; role: string }[]>(
      `SELECT m."frameworkId", m."role" FROM "memberships" m JOIN "users" u ON u."id" = m."userId" WHERE u."email" = 'nur-controlling@example.org'`,
    );
    expect(created.map((m) => ({ frameworkId: Number(m.frameworkId), role: m.role }))).toEqual([
      { frameworkId: planB.id, role: 'viewer' },
    ]);
    await context.close();
  });
});

describe('upgrading a database with accounts to roles per plan', () => {
  const location = testDatabasePath('migrations-memberships');
  const onPostgres = location.startsWith('postgres');
  const options = buildDataSourceOptions({
    DATABASE_URL: onPostgres ? location : undefined,
    DATABASE_PATH: onPostgres ? 'unused.sqlite' : location,
  });
  const all = onPostgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
  const memberships = all.findIndex((m) => (new m() as { name: string }).name.endsWith('1795400000950'));
  let db: DataSource;

  beforeAll(async () => {
    if (onPostgres) await ensurePostgresDatabase(location);
    // The database as the release before roles per plan left it: one plan, accounts with a role each.
    const previous = new DataSource({ ...options, migrations: all.slice(0, memberships) });
    await previous.initialize();
    await previous.runMigrations();
    const insert = (sql: string) => previous.query(sql);
    await insert(
      `INSERT INTO "frameworks" ("code", "name", "region", "adopted", "version", "targetGroups", "sourceFile") VALUES ('bremen', 'Rahmenkonzept', 'Bremen', '2021-10', '1.0', '[]', 'bremen.json')`,
    );
    await insert(
      `INSERT INTO "departments" ("code", "name") VALUES ('SKB', 'Kinder und Bildung'), ('ASJI', 'Soziales')`,
    );
    const user = (email: string, role: string, department: string) =>
      insert(
        `INSERT INTO "users" ("email", "displayName", "role", "departmentId", "passwordHash", "version") VALUES ('${email}', '${email}', '${role}', ${department}, 'x', 1)`,
      );
    await user('admin@example.org', 'admin', 'NULL');
    await user('soziales@example.org', 'editor', '2');
    await user('steuerung@example.org', 'viewer', 'NULL');
    await previous.destroy();
    db = new DataSource(options);
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    if (onPostgres) await dropPostgresDatabase(location);
  });

  it('gives every account its role in the one plan as a membership, and makes the admins installation administrators', async () => {
    const [plan] = await db.query<{ id: number }[]>(`SELECT "id" FROM "frameworks"`);
    const rows = await db.query<Record<string, unknown>[]>(
      `SELECT u."email", u."role", u."departmentId", u."installationAdmin", m."frameworkId", m."role" AS "memberRole", m."departmentId" AS "memberDepartment"
         FROM "users" u LEFT JOIN "memberships" m ON m."userId" = u."id" ORDER BY u."id"`,
    );
    const flag = (v: unknown) => v === true || v === 1;
    expect(
      rows.map((r) => ({
        email: r.email,
        role: r.role,
        installationAdmin: flag(r.installationAdmin),
        plan: Number(r.frameworkId),
        memberRole: r.memberRole,
        memberDepartment: r.memberDepartment === null ? null : Number(r.memberDepartment),
      })),
    ).toEqual([
      {
        email: 'admin@example.org',
        role: 'admin',
        installationAdmin: true,
        plan: Number(plan.id),
        memberRole: 'admin',
        memberDepartment: null,
      },
      {
        email: 'soziales@example.org',
        role: 'editor',
        installationAdmin: false,
        plan: Number(plan.id),
        memberRole: 'editor',
        memberDepartment: 2,
      },
      {
        email: 'steuerung@example.org',
        role: 'viewer',
        installationAdmin: false,
        plan: Number(plan.id),
        memberRole: 'viewer',
        memberDepartment: null,
      },
    ]);
  });
});
