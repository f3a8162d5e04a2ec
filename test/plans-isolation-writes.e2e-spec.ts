/**
 * Writes stay within their plan: a decision, a meeting, a measure, a merge, an Erfassungsvorlage and a
 * Fortschreibung of one plan name no record of another plan, nor organisations the plan does not take part in,
 * and a plan does not split, merge or change an organisation that other plans also use. Each refusal leaves the
 * database as it was. Runs on SQLite and on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { ActionField } from '../src/framework/action-field.entity.js';
import { FrameworkDepartment } from '../src/framework/area.entity.js';
import { Department } from '../src/framework/department.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { addPlan } from './factories/plan.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';

const PASSWORD = 'Ein-gutes-Passwort-1';

interface MeasureRow {
  id: number;
  code: string;
  title: string;
  version: number;
}

describe('writes stay within their plan', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let planA: number;
  let planB: { id: number; goalId: number; fieldId: number; measure: MeasureRow; departmentId: number };
  let measureA: MeasureRow;

  const post = (path: string, body: unknown, token = admin) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body as object);

  /** The write is refused with the status and the message, and the database is unchanged. */
  async function refused(
    write: () => PromiseLike<{ status: number; body: { message?: string; errors?: unknown[] } }>,
    status: number,
    message: string,
  ): Promise<void> {
    const before = await databaseFingerprint(t.dataSource);
    const res = await write();
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(message);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
    [{ id: planA }] = await t.dataSource.query<{ id: number }[]>(`SELECT "id" FROM "frameworks"`);
    planA = Number(planA);
    // A second plan, written directly as test/memberships.e2e-spec.ts does: its own goal and field; ASJI from
    // the shared directory and an organisation of its own take part in it.
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
    const own = await manager.save(
      manager.create(Department, {
        code: 'RCS',
        name: 'Stabsstelle Regierungscontrolling',
        description: '',
        kind: 'office',
        sortOrder: 99,
        retiredOn: null,
      }),
    );
    await manager.insert(FrameworkDepartment, [
      { frameworkId: plan.id, departmentId: ids.departments.ASJI, sortOrder: 1 },
      { frameworkId: plan.id, departmentId: own.id, sortOrder: 2 },
    ]);
    const measureB = (
      await post(
        '/api/measures',
        newMeasure(
          { goals: { '2.1': goal.id }, fields: { '3.1': field.id }, departments: ids.departments },
          { goalIds: [goal.id], participatingDepartmentIds: [own.id], targetGroups: [] },
        ),
      ).expect(201)
    ).body as MeasureRow;
    planB = { id: plan.id, goalId: goal.id, fieldId: field.id, measure: measureB, departmentId: own.id };
    measureA = (await post('/api/measures', newMeasure(ids)).expect(201)).body as MeasureRow;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function bodyOfPlanA(code?: string): Promise<number> {
    const bodies = (
      await t.http
        .get(`/api/governance/bodies?frameworkId=${planA}`)
        .auth(admin, { type: 'bearer' })
        .expect(200)
    ).body as { id: number; code: string; participationFormats: string[] }[];
    return (code ? bodies.find((b) => b.code === code) : bodies.find((b) => b.participationFormats?.length))!
      .id;
  }

  async function decisionOfPlanA(): Promise<number> {
    const meeting = await post('/api/meetings', {
      bodyId: await bodyOfPlanA('steuerungsrunde'),
      date: '2025-03-12',
      title: 'Sitzung der Steuerungsrunde',
    }).expect(201);
    const decision = await post('/api/decisions', {
      meetingId: meeting.body.id,
      kind: 'change',
      text: 'Die Maßnahme wird angepasst.',
      responsibleDepartmentId: ids.departments.ASJI,
    }).expect(201);
    return decision.body.id as number;
  }

  it('a decision links and carries out only measures of its own plan', async () => {
    const meeting = await post('/api/meetings', {
      bodyId: await bodyOfPlanA('steuerungsrunde'),
      date: '2025-03-13',
      title: 'Sitzung der Steuerungsrunde',
    }).expect(201);
    await refused(
      () =>
        post('/api/decisions', {
          meetingId: meeting.body.id,
          kind: 'change',
          text: 'Die Maßnahme des anderen Plans wird angepasst.',
          responsibleDepartmentId: ids.departments.ASJI,
          measureIds: [planB.measure.id],
        }),
      400,
      'gehören zu einem anderen Rahmenkonzept als die Sitzung',
    );

    const decision = await decisionOfPlanA();
    const apply = (body: Record<string, unknown>) => post(`/api/decisions/${decision}/apply`, body);
    await refused(
      () => apply({ action: 'discontinue', measureId: planB.measure.id, version: planB.measure.version }),
      404,
      `Maßnahme ${planB.measure.id} wurde nicht gefunden`,
    );
    await refused(
      () =>
        apply({
          action: 'merge',
          measureId: measureA.id,
          version: measureA.version,
          mergedIntoId: planB.measure.id,
        }),
      400,
      'Die Zielmaßnahme gehört zu einem anderen Rahmenkonzept',
    );
    await refused(
      () =>
        apply({
          action: 'create',
          measure: newMeasure(
            {
              goals: { '2.1': planB.goalId },
              fields: { '3.1': planB.fieldId },
              departments: ids.departments,
            },
            { goalIds: [planB.goalId], participatingDepartmentIds: [], targetGroups: [] },
          ),
        }),
      400,
      'gehört zu einem anderen Rahmenkonzept als der Beschluss',
    );
  });

  it('a measure is not merged into a measure of another plan', async () => {
    await refused(
      () =>
        post(`/api/measures/${measureA.id}/lifecycle`, {
          version: measureA.version,
          lifecycle: 'merged',
          reason: 'Zusammengeführt',
          mergedIntoId: planB.measure.id,
        }),
      400,
      'Die Zielmaßnahme gehört zu einem anderen Rahmenkonzept',
    );
  });

  it('a measure names only organisations that take part in its plan', async () => {
    await refused(
      () => post('/api/measures', newMeasure(ids, { leadDepartmentId: planB.departmentId })),
      400,
      'Ressort RCS nimmt an diesem Rahmenkonzept nicht teil',
    );
    await refused(
      () => post('/api/measures', newMeasure(ids, { participatingDepartmentIds: [planB.departmentId] })),
      400,
      'Ressort RCS nimmt an diesem Rahmenkonzept nicht teil',
    );
    await refused(
      () =>
        t.http
          .patch(`/api/measures/${planB.measure.id}`)
          .auth(admin, { type: 'bearer' })
          .send({ version: planB.measure.version, participatingDepartmentIds: [ids.departments.SKB] }),
      400,
      'Ressort SKB nimmt an diesem Rahmenkonzept nicht teil',
    );
  });

  it("a meeting names only its plan's action fields and organisations", async () => {
    const bodyId = await bodyOfPlanA();
    const body = (
      await t.http.get(`/api/governance/bodies/${bodyId}`).auth(admin, { type: 'bearer' }).expect(200)
    ).body as { participationFormats: string[] };
    await refused(
      () =>
        post('/api/meetings', {
          bodyId,
          date: '2025-04-02',
          title: 'Beteiligungswerkstatt',
          participationType: body.participationFormats[0],
          topicActionFieldIds: [planB.fieldId],
        }),
      400,
      'gehören zu einem anderen Rahmenkonzept',
    );
    await refused(
      () =>
        post('/api/meetings', {
          bodyId,
          date: '2025-04-02',
          title: 'Beteiligungswerkstatt',
          attendingDepartmentIds: [planB.departmentId],
        }),
      400,
      'nehmen an diesem Rahmenkonzept nicht teil',
    );
  });

  it("an Erfassungsvorlage of one plan's cycle reports on no measure of another plan", async () => {
    // An editor for ASJI in this plan who only reads the other, where ASJI leads a measure too.
    const email = `konto-${randomUUID()}@example.org`;
    await post('/api/users', {
      email,
      displayName: 'Testkonto',
      password: PASSWORD,
      memberships: [
        { frameworkId: planA, role: 'editor', departmentId: ids.departments.ASJI },
        { frameworkId: planB.id, role: 'viewer' },
      ],
    }).expect(201);
    const editor = (await t.http.post('/api/auth/login').send({ email, password: PASSWORD }).expect(200)).body
      .accessToken as string;
    const cycles = (
      await t.http
        .get(`/api/reporting-cycles?frameworkId=${planA}`)
        .auth(admin, { type: 'bearer' })
        .expect(200)
    ).body as { id: number; state: string }[];
    const collecting = cycles.find((c) => c.state === 'collecting')!;
    const template = (
      await t.http
        .get(`/api/reporting-cycles/${collecting.id}/templates/${ids.departments.ASJI}`)
        .auth(editor, { type: 'bearer' })
        .buffer(true)
        .parse(binaryParser)
        .expect(200)
    ).body as Buffer;
    // The first row is rewritten to name the other plan's measure, in the data and in the hidden sheet.
    const workbook = await readWorkbook(template);
    const data = workbook.getWorksheet('Meldungen')!;
    const meta = workbook.getWorksheet('_vorlage')!;
    let metaRow: ExcelJS.Row | undefined;
    meta.eachRow((row) => {
      if (row.getCell(1).text === '2') metaRow = row;
    });
    const b = planB.measure;
    for (const [column, value] of [
      [2, b.id],
      [3, b.code],
      [4, b.title],
      [5, b.version],
    ] as const)
      metaRow!.getCell(column).value = value;
    data.getCell(2, 1).value = b.id;
    data.getCell(2, 2).value = b.code;
    data.getCell(2, 3).value = b.title;
    data.getCell(2, 8).value = 'in Umsetzung';
    data.getCell(2, 9).value = 50;
    data.getCell(2, 10).value = 'Gemeldet über die Vorlage des anderen Plans.';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    await refused(
      () =>
        t.http
          .post(`/api/reporting-cycles/${collecting.id}/imports`)
          .auth(editor, { type: 'bearer' })
          .field('dryRun', 'false')
          .attach('file', file, 'vorlage.xlsx'),
      400,
      'Diese Maßnahme gibt es nicht mehr',
    );
    // The same person reports on the other plan's measure directly: refused, it only reads there.
    await refused(() => post(`/api/measures/${b.id}/status-reports`, newReport(), editor), 403, '');
  });

  it('a plan does not split, merge or change an organisation that other plans also use', async () => {
    const version = async (): Promise<string> =>
      (
        (await t.http.get(`/api/framework?frameworkId=${planA}`).auth(admin, { type: 'bearer' }).expect(200))
          .body as { version: string }
      ).version;
    const revise = async (change: Record<string, unknown>) =>
      post('/api/framework/revisions', {
        frameworkId: planA,
        expectedVersion: await version(),
        effectiveDate: '2026-03-01',
        reason: 'Neuordnung',
        versionLabel: 'Fortschreibung 2026',
        changes: [change],
      });
    await refused(
      () =>
        revise({
          kind: 'split_department',
          code: 'ASJI',
          parts: [
            { code: 'AS', name: 'Arbeit und Soziales' },
            { code: 'JI', name: 'Jugend und Integration' },
          ],
        }),
      400,
      'nimmt auch an „Regierungscontrolling“ teil; es wird nicht von einem Plan aus geteilt',
    );
    await refused(
      () => revise({ kind: 'merge_departments', codes: ['SKB', 'ASJI'], into: { code: 'SKB' } }),
      400,
      'es wird nicht von einem Plan aus zusammengelegt',
    );
    // The name and description stay as they are unless named: only the one field changes.
    const asji = await t.dataSource.manager.findOneByOrFail(Department, { code: 'ASJI' });
    const same = { name: asji.name, description: asji.description };
    for (const change of [{ departmentKind: 'other' }, { description: 'Neu beschrieben' }, { sortOrder: 42 }])
      await refused(
        () => revise({ kind: 'update_department', code: 'ASJI', ...same, ...change }),
        400,
        'wird nicht von einem Plan aus geändert',
      );
    // An organisation of this plan alone is still changed by it.
    await revise({ kind: 'update_department', code: 'SKB', description: 'Neu beschrieben' }).then((res) =>
      expect(res.status).toBe(201),
    );
  });
});
