/**
 * The measure list filtered to a cycle's due measures and their reporting state
 * (GET /api/measures?cycleId=…&due=…) lists exactly the measures that the cycle's completeness counts
 * (GET /api/reporting-cycles/:id/completeness), per department and state, so that every completeness figure of
 * the dashboard can lead to the list that shows it. The OpenAPI document describes both query parameters.
 */
import { frameworkIds, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Completeness {
  departmentId: number;
  departmentCode: string;
  due: number;
  reported: number;
  accepted: number;
  awaitingReview: number;
  returned: number;
  missing: number;
}

const STATES = {
  all: 'due',
  reported: 'reported',
  accepted: 'accepted',
  awaitingReview: 'awaitingReview',
  returned: 'returned',
  missing: 'missing',
} as const;

describe('the measure list by cycle and reporting state', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
  });
  afterAll(() => t.close());

  const get = async <T>(path: string, status = 200): Promise<T> =>
    (await t.http.get(path).auth(admin, { type: 'bearer' }).expect(status)).body as T;
  const listed = async (query: string): Promise<{ total: number; codes: string[] }> => {
    const page = await get<{ total: number; items: { code: string }[] }>(
      `/api/measures?pageSize=200&${query}`,
    );
    return { total: page.total, codes: page.items.map((m) => m.code) };
  };

  it('gives, per department and state, the totals of the cycle’s completeness', async () => {
    const cycles =
      await get<{ id: number; code: string; state: string; periodEnd: string }[]>('/api/reporting-cycles');
    const collecting = cycles.find((c) => c.state === 'collecting')!;
    // In the collecting cycle: one report awaiting review and one returned, beside the demo's accepted ones.
    const ids = await frameworkIds(t, admin);
    const due = await listed(`cycleId=${collecting.id}&leadDepartmentId=${ids.departments.ASJI}`);
    expect(due.total).toBeGreaterThan(1);
    const [first, second] = due.codes;
    const measures = await get<{ items: { id: number; code: string }[] }>('/api/measures?pageSize=200');
    const idOf = (code: string): number => measures.items.find((m) => m.code === code)!.id;
    const editor = await t.login('soziales@demo.local');
    // The latest day of the period that has passed: the reports are the latest ones of the period.
    const day = [collecting.periodEnd, new Date().toISOString().slice(0, 10)].sort()[0];
    const submit = async (code: string): Promise<number> =>
      (
        (
          await t.http
            .post(`/api/measures/${idOf(code)}/status-reports`)
            .auth(editor, { type: 'bearer' })
            .send(newReport({ reportedAt: day }))
            .expect(201)
        ).body as { id: number }
      ).id;
    await submit(first);
    const returned = await submit(second);
    await t.http
      .post(`/api/status-reports/${returned}/review`)
      .auth(admin, { type: 'bearer' })
      .send({ decision: 'return', comment: 'Bitte den Sachstand ergänzen.' })
      .expect(200);

    const seen: Record<string, number> = {};
    for (const cycle of cycles) {
      const rows = await get<Completeness[]>(`/api/reporting-cycles/${cycle.id}/completeness`);
      for (const [due, field] of Object.entries(STATES)) {
        // Every department's count, and the sum over all of them without a department filter.
        const mismatches = [];
        for (const row of rows) {
          const list = await listed(`cycleId=${cycle.id}&due=${due}&leadDepartmentId=${row.departmentId}`);
          if (list.total !== row[field])
            mismatches.push({
              cycle: cycle.code,
              department: row.departmentCode,
              due,
              list: list.total,
              completeness: row[field],
            });
          seen[due] = (seen[due] ?? 0) + row[field];
        }
        expect(mismatches).toEqual([]);
        const total = rows.reduce((sum, row) => sum + row[field], 0);
        expect({
          cycle: cycle.code,
          due,
          total: (await listed(`cycleId=${cycle.id}&due=${due}`)).total,
        }).toEqual({
          cycle: cycle.code,
          due,
          total,
        });
      }
      // Without a state, the cycle's due measures.
      expect((await listed(`cycleId=${cycle.id}`)).total).toBe(rows.reduce((sum, row) => sum + row.due, 0));
    }
    // Every state occurs, so that none of the comparisons above was vacuous.
    for (const due of Object.keys(STATES))
      expect({ due, count: seen[due] > 0 }).toEqual({ due, count: true });
    // The two reports of this test land where they belong.
    expect((await listed(`cycleId=${collecting.id}&due=awaitingReview`)).codes).toContain(first);
    expect((await listed(`cycleId=${collecting.id}&due=returned`)).codes).toEqual([second]);
    expect((await listed(`cycleId=${collecting.id}&due=missing`)).codes).not.toContain(first);
  });

  it('combines with the other filters, refuses a state without a cycle, and knows no unknown cycle', async () => {
    const cycles = await get<{ id: number }[]>('/api/reporting-cycles');
    const all = await listed(`cycleId=${cycles[0].id}`);
    const withStatus = await listed(`cycleId=${cycles[0].id}&status=completed`);
    expect(withStatus.total).toBeLessThan(all.total);
    expect(withStatus.codes.every((c) => all.codes.includes(c))).toBe(true);
    const refused = await get<{ code: string; details: { field: string; messages: string[] }[] }>(
      '/api/measures?due=missing',
      400,
    );
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(refused.details).toEqual([
      { field: 'due', messages: ['gilt nur zusammen mit cycleId (dem Berichtszyklus)'] },
    ]);
    const wrong = await get<{ details: { field: string }[] }>(
      `/api/measures?cycleId=${cycles[0].id}&due=late`,
      400,
    );
    expect(wrong.details.map((d) => d.field)).toEqual(['due']);
    expect((await listed('cycleId=999999')).total).toBe(0);
  });

  it('describes cycleId and due in the OpenAPI document', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        { get: { parameters: { name: string; in: string; schema: { enum?: string[] } }[] } }
      >;
    };
    const parameters = document.paths['/api/measures'].get.parameters;
    const byName = Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
    expect(byName.cycleId).toBeDefined();
    expect(byName.due.schema.enum).toEqual([
      'all',
      'reported',
      'accepted',
      'awaitingReview',
      'returned',
      'missing',
    ]);
    expect(byName.lifecycle.schema.enum).toContain('counted');
  });
});
