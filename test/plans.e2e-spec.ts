/**
 * Several plans in one installation: the plans are listed with their words; once there are two, a list of
 * plan-bound records must say which plan it is about (frameworkId) and then shows that plan's records only;
 * codes repeat across plans; an unknown plan is 404.
 */
import { ActionField } from '../src/framework/action-field.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { newMeasure } from './factories/measure.factory.js';
import { addPlan } from './factories/plan.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Plan {
  id: number;
  code: string;
  name: string;
  region: string;
  vocabulary: Record<string, string>;
}

/** The routes that list plan-bound records. */
const LISTS = [
  '/api/measures',
  '/api/goals',
  '/api/action-fields',
  '/api/reporting-cycles',
  '/api/governance/bodies',
  '/api/governance/cadence',
  '/api/meetings',
  '/api/decisions',
  '/api/indicators',
  '/api/reports',
  '/api/dashboard',
  '/api/framework',
  '/api/status-reports',
];

describe('several plans in one installation', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let bremen: Plan;
  let bremenTotal: number;
  let bremenMeasureCode: string;
  let second: { id: number; goalId: number; fieldId: number };

  const get = (path: string, token = viewer) => t.http.get(path).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    viewer = await t.login('steuerung@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  it('with one plan, lists answer without frameworkId as before, and the plan is listed with its words', async () => {
    for (const path of LISTS) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const plans = (await get('/api/frameworks').expect(200)).body as Plan[];
    expect(plans).toHaveLength(1);
    bremen = plans[0];
    expect(bremen.vocabulary).toMatchObject({
      goal: 'Ziel',
      field: 'Handlungsfeld',
      measure: 'Maßnahme',
      organisation: 'Ressort',
      body: 'Gremium',
      report: 'Umsetzungsbericht',
    });
    expect((await get(`/api/frameworks/${bremen.id}`).expect(200)).body).toEqual(bremen);
    // The sign-in page names the demo accounts this installation holds: not those of plans it does not load.
    const login = (await t.http.get('/anmelden').expect(200)).text;
    expect(login).toContain('soziales@demo.local');
    expect(login).not.toContain('regiopol@demo.local');
    const dashboard = (await get('/api/dashboard').expect(200)).body as { totals: { total: number } };
    bremenTotal = dashboard.totals.total;
    expect(bremenTotal).toBeGreaterThan(0);
    const measures = (await get('/api/measures?pageSize=1').expect(200)).body as {
      items: { code: string }[];
    };
    bremenMeasureCode = measures.items[0].code;
  });

  it('a second plan: its own goal, field, measure and cycle, with codes the first plan uses too', async () => {
    const manager = t.dataSource.manager;
    const plan = await addPlan(manager, {
      code: 'regiopolregion-test',
      name: 'Handlungsprogramm Regiopolregion',
      region: 'Regiopolregion',
      targetGroups: ['Frauen'],
    });
    const goal = await manager.save(
      manager.create(Goal, {
        frameworkId: plan.id,
        code: '2.1',
        title: 'Teilhabe in der Region',
        description: '',
      }),
    );
    const field = await manager.save(
      manager.create(ActionField, { frameworkId: plan.id, code: '3.1', title: 'Sprache', description: '' }),
    );
    second = { id: plan.id, goalId: goal.id, fieldId: field.id };

    const departments = (await get('/api/departments').expect(200)).body as { id: number; code: string }[];
    const lead = departments.find((d) => d.code === 'ASJI')!.id;
    const created = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send({
        ...newMeasure(
          {
            goals: { '2.1': goal.id, '2.2': goal.id },
            fields: { '3.1': field.id },
            departments: { ASJI: lead },
          },
          {
            code: bremenMeasureCode,
            goalIds: [goal.id],
            participatingDepartmentIds: [],
            targetGroups: ['Frauen'],
          },
        ),
      })
      .expect(201);
    expect(created.body).toMatchObject({
      code: bremenMeasureCode,
      actionFieldId: field.id,
      frameworkId: plan.id,
    });
    // Within one plan a code stays unique.
    const again = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(
        newMeasure(
          {
            goals: { '2.1': goal.id, '2.2': goal.id },
            fields: { '3.1': field.id },
            departments: { ASJI: lead },
          },
          { code: bremenMeasureCode, goalIds: [goal.id], participatingDepartmentIds: [], targetGroups: [] },
        ),
      )
      .expect(409);
    expect(again.body.code).toBe('MEASURE.CODE_EXISTS');

    const bremenCycles = (await get(`/api/reporting-cycles?frameworkId=${bremen.id}`).expect(200)).body as {
      code: string;
      periodStart: string;
      periodEnd: string;
      inputDeadline: string;
    }[];
    const { code, periodStart, periodEnd, inputDeadline } = bremenCycles[0];
    // The same code and the same period as a cycle of the first plan: each plan keeps its own calendar.
    const cycle = await t.http
      .post('/api/reporting-cycles')
      .auth(admin, { type: 'bearer' })
      .send({ frameworkId: plan.id, code, name: `Bericht ${code}`, periodStart, periodEnd, inputDeadline })
      .expect(201);
    expect(cycle.body).toMatchObject({ frameworkId: plan.id, code });

    // Roles are per plan: the viewer reads the second plan once it holds a role there too.
    const users = (await t.http.get('/api/users?pageSize=100').auth(admin, { type: 'bearer' }).expect(200))
      .body as { items: { id: number; email: string; version: number; memberships: object[] }[] };
    const account = users.items.find((u) => u.email === 'steuerung@demo.local')!;
    await t.http
      .patch(`/api/users/${account.id}`)
      .auth(admin, { type: 'bearer' })
      .send({
        version: account.version,
        memberships: [...account.memberships, { frameworkId: plan.id, role: 'viewer' }],
      })
      .expect(200);
    viewer = (
      await t.http
        .post('/api/auth/login')
        .send({ email: 'steuerung@demo.local', password: 'demo1234' })
        .expect(200)
    ).body.accessToken as string;
  });

  it('lists both plans', async () => {
    const plans = (await get('/api/frameworks').expect(200)).body as Plan[];
    expect(plans.map((p) => [p.id, p.code, p.region])).toEqual([
      [bremen.id, bremen.code, bremen.region],
      [second.id, 'regiopolregion-test', 'Regiopolregion'],
    ]);
    expect(plans[1].vocabulary.goal).toBe('Ziel');
  });

  it('a list without frameworkId is refused with FRAMEWORK.PLAN_REQUIRED once there are two plans', async () => {
    for (const path of LISTS) {
      const res = await get(path);
      expect({ path, status: res.status, code: res.body.code, message: res.body.message }).toEqual({
        path,
        status: 400,
        code: 'FRAMEWORK.PLAN_REQUIRED',
        message: 'Diese Installation führt mehrere Pläne; bitte frameworkId angeben.',
      });
    }
    const cycle = await t.http
      .post('/api/reporting-cycles')
      .auth(admin, { type: 'bearer' })
      .send({
        code: '2040-2041',
        name: 'Bericht 2040–2041',
        periodStart: '2040-01-01',
        periodEnd: '2041-12-31',
        inputDeadline: '2041-12-31',
      })
      .expect(400);
    expect(cycle.body.code).toBe('FRAMEWORK.PLAN_REQUIRED');
  });

  it('with frameworkId, each list holds that plan’s records only', async () => {
    const measures = (await get(`/api/measures?frameworkId=${second.id}`).expect(200)).body as {
      items: { code: string; frameworkId: number }[];
      total: number;
    };
    expect(measures.total).toBe(1);
    expect(measures.items.map((m) => [m.code, m.frameworkId])).toEqual([[bremenMeasureCode, second.id]]);
    const bremenMeasures = (
      await get(`/api/measures?frameworkId=${bremen.id}&q=${bremenMeasureCode}`).expect(200)
    ).body as { items: { code: string; frameworkId: number }[] };
    expect(bremenMeasures.items.every((m) => m.frameworkId === bremen.id)).toBe(true);

    const goals = (await get(`/api/goals?frameworkId=${second.id}`).expect(200)).body as { id: number }[];
    expect(goals.map((g) => g.id)).toEqual([second.goalId]);
    const bremenGoals = (await get(`/api/goals?frameworkId=${bremen.id}`).expect(200)).body as {
      code: string;
    }[];
    expect(bremenGoals.map((g) => g.code)).toEqual(['2.1', '2.2', '2.3', '2.4']);
    const fields = (await get(`/api/action-fields?frameworkId=${second.id}`).expect(200)).body as {
      id: number;
      measureCount: number;
    }[];
    expect(fields).toEqual([expect.objectContaining({ id: second.fieldId, measureCount: 1 })]);

    const cycles = (await get(`/api/reporting-cycles?frameworkId=${second.id}`).expect(200)).body as {
      frameworkId: number;
    }[];
    expect(cycles.map((c) => c.frameworkId)).toEqual([second.id]);
    const bremenCycles = (await get(`/api/reporting-cycles?frameworkId=${bremen.id}`).expect(200)).body as {
      frameworkId: number;
    }[];
    expect(bremenCycles.length).toBeGreaterThan(1);
    expect(bremenCycles.every((c) => c.frameworkId === bremen.id)).toBe(true);

    const dashboard = (await get(`/api/dashboard?frameworkId=${second.id}`).expect(200)).body as {
      totals: { total: number };
      byGoal: { id: number }[];
      byActionField: { id: number }[];
      stale: { total: number };
    };
    expect(dashboard.totals.total).toBe(1);
    expect(dashboard.byGoal.map((g) => g.id)).toEqual([second.goalId]);
    expect(dashboard.byActionField.map((f) => f.id)).toEqual([second.fieldId]);
    const bremenDashboard = (await get(`/api/dashboard?frameworkId=${bremen.id}`).expect(200)).body as {
      totals: { total: number };
    };
    expect(bremenDashboard.totals.total).toBe(bremenTotal);

    expect((await get(`/api/governance/bodies?frameworkId=${second.id}`).expect(200)).body).toEqual([]);
    expect((await get(`/api/indicators?frameworkId=${second.id}`).expect(200)).body).toEqual([]);
    expect((await get(`/api/meetings?frameworkId=${second.id}`).expect(200)).body.total).toBe(0);
    expect((await get(`/api/framework?frameworkId=${second.id}`).expect(200)).body.code).toBe(
      'regiopolregion-test',
    );
  });

  it('a status report is judged by the cycle of its measure’s plan, not by another plan’s cycle of the same dates', async () => {
    // The second plan's cycle has the period of a Bremen cycle that is closed or published in the demo.
    const [cycle] = (await get(`/api/reporting-cycles?frameworkId=${second.id}`).expect(200)).body as {
      id: number;
      version: number;
      periodStart: string;
      state: string;
    }[];
    const [bremenCycle] = (await get(`/api/reporting-cycles?frameworkId=${bremen.id}`).expect(200)).body as {
      periodStart: string;
      state: string;
    }[];
    expect(bremenCycle.periodStart).toBe(cycle.periodStart);
    expect(['closed', 'published']).toContain(bremenCycle.state);
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/transition`)
      .auth(admin, { type: 'bearer' })
      .send({ to: 'collecting', version: cycle.version })
      .expect(200);
    const [measure] = (
      (await get(`/api/measures?frameworkId=${second.id}`).expect(200)).body as { items: { id: number }[] }
    ).items;
    const day = cycle.periodStart.replace(/-01-01$/, '-06-30');
    const report = {
      status: 'in_progress',
      progress: 40,
      summary: 'Stand im Plan der Region',
      reportedAt: day,
    };
    const accepted = await t.http
      .post(`/api/measures/${measure.id}/status-reports`)
      .auth(admin, { type: 'bearer' })
      .send(report);
    expect({ status: accepted.status, body: accepted.body as unknown }).toMatchObject({ status: 201 });
    // The review lists read one plan's reports.
    const listed = (
      await get(`/api/status-reports?frameworkId=${second.id}&reviewState=accepted`, admin).expect(200)
    ).body as { items: { measureId: number }[] };
    expect(listed.items.map((r) => r.measureId)).toEqual([measure.id]);
    // The Bremen measure on the same day meets Bremen's finished cycle and is refused as before.
    const bremenMeasure = (
      (await get(`/api/measures?frameworkId=${bremen.id}&q=${bremenMeasureCode}`).expect(200)).body as {
        items: { id: number }[];
      }
    ).items[0];
    const refused = await t.http
      .post(`/api/measures/${bremenMeasure.id}/status-reports`)
      .auth(admin, { type: 'bearer' })
      .send(report);
    expect(refused.status).toBe(409);
  });

  it('a measure stays within its plan: another plan’s field or goal is refused', async () => {
    const measures = (await get(`/api/measures?frameworkId=${second.id}`).expect(200)).body as {
      items: { id: number; version: number }[];
    };
    const bremenFields = (await get(`/api/action-fields?frameworkId=${bremen.id}`).expect(200)).body as {
      id: number;
    }[];
    const res = await t.http
      .patch(`/api/measures/${measures.items[0].id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: measures.items[0].version, actionFieldId: bremenFields[0].id })
      .expect(400);
    expect(JSON.stringify(res.body.details)).toContain('gehört zu einem anderen Rahmenkonzept');
  });

  it('an unknown plan is 404 FRAMEWORK.NOT_FOUND; a frameworkId that is no id is 400', async () => {
    for (const path of [
      '/api/measures?frameworkId=999999',
      '/api/dashboard?frameworkId=999999',
      '/api/frameworks/999999',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 404,
        code: 'FRAMEWORK.NOT_FOUND',
      });
    }
    const bad = await get('/api/measures?frameworkId=abc').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
