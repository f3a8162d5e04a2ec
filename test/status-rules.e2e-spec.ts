/**
 * One status rule for the list and the dashboard: for every status key, the measure list filtered by it names
 * exactly the measures the dashboard counts under it, in total and per action field and department. The data
 * holds each case that once made them differ: a discontinued measure whose last report said "in Umsetzung",
 * an active one whose report said "eingestellt", a merged one with a status, and one without any report.
 */
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const STATUS_KEYS = ['planned', 'in_progress', 'ongoing', 'completed', 'delayed', 'discontinued', 'none'];

interface Breakdown {
  counts: Record<string, number>;
}
interface Dashboard {
  totals: Breakdown;
  byActionField: (Breakdown & { id: number })[];
  byDepartment: (Breakdown & { id: number })[];
}

describe('status rule: measure list and dashboard agree', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
    const create = async (
      overrides: Record<string, unknown> = {},
    ): Promise<{ id: number; version: number }> =>
      (
        await t.http
          .post('/api/measures')
          .auth(admin, { type: 'bearer' })
          .send(newMeasure(ids, overrides))
          .expect(201)
      ).body as { id: number; version: number };
    const report = (id: number, status: string): Promise<unknown> =>
      t.http
        .post(`/api/measures/${id}/status-reports`)
        .auth(admin, { type: 'bearer' })
        .send(newReport({ status }))
        .expect(201);
    const lifecycle = async (id: number, body: Record<string, unknown>): Promise<void> => {
      const { version } = (await t.http.get(`/api/measures/${id}`).auth(admin, { type: 'bearer' })).body as {
        version: number;
      };
      await t.http
        .post(`/api/measures/${id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version, reason: 'Beschluss der Steuerungsrunde', ...body })
        .expect(200);
    };

    const discontinuedInProgress = await create();
    await report(discontinuedInProgress.id, 'in_progress');
    await lifecycle(discontinuedInProgress.id, { lifecycle: 'discontinued' });

    const reportedDiscontinued = await create({ actionFieldId: ids.fields['3.2'] });
    await report(reportedDiscontinued.id, 'discontinued');

    const target = await create({ actionFieldId: ids.fields['3.4'] });
    const merged = await create({ actionFieldId: ids.fields['3.4'] });
    await report(merged.id, 'completed');
    await lifecycle(merged.id, { lifecycle: 'merged', mergedIntoId: target.id });

    await create({ actionFieldId: ids.fields['3.5'] }); // no report
  });
  afterAll(() => t.close());

  const listTotal = async (query: string): Promise<number> =>
    (
      (await t.http.get(`/api/measures?pageSize=1&${query}`).auth(admin, { type: 'bearer' }).expect(200))
        .body as {
        total: number;
      }
    ).total;

  it('for every status key: in total, per action field and per lead department', async () => {
    const dashboard = (
      await t.http.get('/api/dashboard').auth(admin, { type: 'bearer' }).set('cache-control', 'no-cache')
    ).body as Dashboard;
    const compared: Record<string, [list: number, dashboard: number]> = {};
    for (const key of STATUS_KEYS) {
      compared[key] = [await listTotal(`status=${key}`), dashboard.totals.counts[key]];
      for (const field of dashboard.byActionField) {
        const list = await listTotal(`status=${key}&actionFieldId=${field.id}`);
        if (list || field.counts[key])
          compared[`${key} Handlungsfeld ${field.id}`] = [list, field.counts[key]];
      }
      for (const department of dashboard.byDepartment) {
        const list = await listTotal(`status=${key}&leadDepartmentId=${department.id}`);
        if (list || department.counts[key])
          compared[`${key} Ressort ${department.id}`] = [list, department.counts[key]];
      }
    }
    const disagreeing = Object.entries(compared).filter(([, [list, counted]]) => list !== counted);
    expect(disagreeing).toEqual([]);
    // The cases above are in the data: the comparison covers them.
    expect(compared.discontinued[0]).toBeGreaterThanOrEqual(2);
    expect(compared.none[0]).toBeGreaterThanOrEqual(1);
  });

  it('a discontinued measure shows as "eingestellt" in the list, whatever its last report said', async () => {
    const listed = (
      await t.http
        .get('/api/measures?pageSize=200&status=discontinued')
        .auth(admin, { type: 'bearer' })
        .expect(200)
    ).body as { items: { statusKey: string; status: string | null; lifecycle: string }[] };
    expect(listed.items.every((m) => m.statusKey === 'discontinued')).toBe(true);
    expect(listed.items.some((m) => m.lifecycle === 'discontinued' && m.status === 'in_progress')).toBe(true);
    expect(listed.items.some((m) => m.lifecycle === 'active' && m.status === 'discontinued')).toBe(true);
  });
});
