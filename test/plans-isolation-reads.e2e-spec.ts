/**
 * Reads stay within the request's plan: with two plans in one installation, naming a record of the other plan
 * (a cycle on the dashboard, a body's meetings, a meeting's or measure's decisions, a cycle's reports) finds
 * nothing; the public pages and the open data are each plan's own, also when two plans publish a cycle with
 * the same code.
 */
import { ActionField } from '../src/framework/action-field.entity.js';
import { Framework } from '../src/framework/framework.entity.js';
import { Goal } from '../src/framework/goal.entity.js';
import { GovernanceBody } from '../src/governance/governance-body.entity.js';
import { ImplementationReport } from '../src/reporting/implementation-report.entity.js';
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { addPlan } from './factories/plan.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
  periodStart: string;
  periodEnd: string;
  inputDeadline: string;
}

describe('reads stay within the request plan', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let a: { id: number; code: string };
  let b: { id: number; code: string; measureId: number; cycle: Cycle; meetingId: number; bodyId: number };
  let aCycle: Cycle;

  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' });
  const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);

  async function publish(cycle: Cycle): Promise<Cycle> {
    let current = cycle;
    const steps = ['planned', 'collecting', 'reviewing', 'closed', 'published'];
    for (const to of steps.slice(steps.indexOf(cycle.state) + 1)) {
      const res = await post(`/api/reporting-cycles/${current.id}/transition`, {
        to,
        version: current.version,
      });
      if (res.status !== 200)
        throw new Error(`${current.code} → ${to}: ${res.status} ${JSON.stringify(res.body)}`);
      current = res.body as Cycle;
    }
    return current;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
    const framework = (await get('/api/framework').expect(200)).body as { id: number; code: string };
    a = { id: framework.id, code: framework.code };
    // Only the first plan makes budgets public.
    await t.dataSource.manager.update(Framework, { id: a.id }, { publicBudget: true });
    const manager = t.dataSource.manager;
    const plan = await addPlan(manager, {
      code: 'zweitplan-test',
      name: 'Handlungsprogramm Zweitregion',
      region: 'Zweitregion',
      targetGroups: ['Frauen'],
    });
    const goal = await manager.save(
      manager.create(Goal, { frameworkId: plan.id, code: '2.1', title: 'Teilhabe', description: '' }),
    );
    const field = await manager.save(
      manager.create(ActionField, { frameworkId: plan.id, code: '3.1', title: 'Sprache', description: '' }),
    );
    const measure = (
      await post(
        '/api/measures',
        newMeasure(
          { ...ids, goals: { '2.1': goal.id }, fields: { '3.1': field.id } },
          {
            code: '3.1-92',
            title: 'Sprachkurs Zweitregion',
            plannedStart: '2022-01-01',
            goalIds: [goal.id],
            actionFieldId: field.id,
            participatingDepartmentIds: [],
            targetGroups: ['Frauen'],
            budget: 22222,
          },
        ),
      ).expect(201)
    ).body as { id: number; frameworkId: number };
    expect(measure.frameworkId).toBe(plan.id);

    const cyclesA = (await get(`/api/reporting-cycles?frameworkId=${a.id}`).expect(200)).body as Cycle[];
    // The example data's published cycle: the second plan publishes a cycle with the same code.
    aCycle = cyclesA.find((c) => c.state === 'published')!;
    const { code, periodStart, periodEnd, inputDeadline } = aCycle;
    const cycle = (
      await post('/api/reporting-cycles', {
        frameworkId: plan.id,
        code,
        name: `Bericht ${code}`,
        periodStart,
        periodEnd,
        inputDeadline,
      }).expect(201)
    ).body as Cycle;

    const body = await manager.save(
      manager.create(GovernanceBody, {
        frameworkId: plan.id,
        code: 'lenkungskreis',
        name: 'Lenkungskreis Zweitregion',
        description: '',
        minMeetingsPerYear: 1,
        maxMeetingsPerYear: 4,
        members: [],
        participationFormats: [],
        sortOrder: 1,
      }),
    );
    const meeting = (
      await post('/api/meetings', { bodyId: body.id, date: '2025-03-03', title: 'Lenkungskreis B' }).expect(
        201,
      )
    ).body as { id: number; frameworkId: number };
    expect(meeting.frameworkId).toBe(plan.id);
    await post('/api/decisions', {
      meetingId: meeting.id,
      kind: 'other',
      text: 'Beschluss der Zweitregion',
      measureIds: [measure.id],
      responsibleDepartmentId: ids.departments.ASJI,
      dueDate: '2026-12-31',
    }).expect(201);
    await manager.save(
      manager.create(ImplementationReport, {
        frameworkId: plan.id,
        cycleId: cycle.id,
        cycleCode: cycle.code,
        fileName: 'bericht-zweitregion.xlsx',
        format: 'xlsx',
        sha256: '0'.repeat(64),
        sizeBytes: 1,
        draft: true,
        containsExampleData: false,
        measureCount: 1,
        generatedById: null,
        generatedBy: 'Test',
      }),
    );
    b = {
      id: plan.id,
      code: plan.code,
      measureId: measure.id,
      cycle,
      meetingId: meeting.id,
      bodyId: body.id,
    };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the dashboard does not find a cycle of another plan than the request plan', async () => {
    const res = await get(`/api/dashboard?frameworkId=${a.id}&cycleId=${b.cycle.id}`).expect(404);
    expect(res.body.code).toBe('CYCLE.NOT_FOUND');
    // Without a plan named, two plans make the plan a required choice, also with a cycle.
    expect((await get(`/api/dashboard?cycleId=${b.cycle.id}`).expect(400)).body.code).toBe(
      'FRAMEWORK.PLAN_REQUIRED',
    );
    await get(`/api/dashboard?frameworkId=${b.id}&cycleId=${b.cycle.id}`).expect(200);
  });

  it('meetings and decisions of another plan are not listed by body, meeting or measure', async () => {
    const meetings = (await get(`/api/meetings?frameworkId=${a.id}&bodyId=${b.bodyId}`).expect(200)).body;
    expect(meetings).toMatchObject({ items: [], total: 0 });
    expect((await get(`/api/meetings?bodyId=${b.bodyId}`).expect(400)).body.code).toBe(
      'FRAMEWORK.PLAN_REQUIRED',
    );
    const own = (await get(`/api/meetings?frameworkId=${b.id}&bodyId=${b.bodyId}`).expect(200)).body as {
      items: { id: number }[];
    };
    expect(own.items.map((m) => m.id)).toEqual([b.meetingId]);

    for (const filter of [`meetingId=${b.meetingId}`, `measureId=${b.measureId}`]) {
      const other = (await get(`/api/decisions?frameworkId=${a.id}&${filter}`).expect(200)).body;
      expect({ filter, ...other }).toMatchObject({ filter, items: [], total: 0 });
      expect((await get(`/api/decisions?${filter}`).expect(400)).body.code).toBe('FRAMEWORK.PLAN_REQUIRED');
      const mine = (await get(`/api/decisions?frameworkId=${b.id}&${filter}`).expect(200)).body as {
        total: number;
      };
      expect({ filter, total: mine.total }).toEqual({ filter, total: 1 });
    }
    // A meeting's own page lists its decisions, whichever plan it is in.
    const meeting = (await get(`/api/meetings/${b.meetingId}?frameworkId=${b.id}`)).body as {
      decisions?: unknown[];
    };
    expect(meeting.decisions).toHaveLength(1);
  });

  it('the reports of a cycle of another plan are not listed', async () => {
    expect((await get(`/api/reports?frameworkId=${a.id}&cycleId=${b.cycle.id}`).expect(200)).body).toEqual(
      [],
    );
    expect((await get(`/api/reports?cycleId=${b.cycle.id}`).expect(400)).body.code).toBe(
      'FRAMEWORK.PLAN_REQUIRED',
    );
    const own = (await get(`/api/reports?frameworkId=${b.id}&cycleId=${b.cycle.id}`).expect(200)).body as {
      fileName: string;
    }[];
    expect(own.map((r) => r.fileName)).toEqual(['bericht-zweitregion.xlsx']);
  });

  describe('public pages and open data of two plans with a published cycle of the same code', () => {
    beforeAll(async () => {
      aCycle = await publish(aCycle);
      b.cycle = await publish(b.cycle);
    }, 60_000);

    it('the public index lists each plan with its own published cycles', async () => {
      const html = (await t.http.get('/oeffentlich').expect(200)).text;
      expect(html).toContain('Handlungsprogramm Zweitregion');
      expect(html).toContain(`href="/oeffentlich/${a.code}/${aCycle.code}"`);
      expect(html).toContain(`href="/oeffentlich/${b.code}/${b.cycle.code}"`);
      const own = (await t.http.get(`/oeffentlich/${b.code}`).expect(200)).text;
      expect(own).toContain(`href="/oeffentlich/${b.code}/${b.cycle.code}"`);
      expect(own).not.toContain(`href="/oeffentlich/${a.code}/`);
    });

    it("each plan's public pages show its own measures, and its own budget choice", async () => {
      const first = (
        (await t.http.get(`/api/public/cycles/${aCycle.code}/measures.json?plan=${a.code}`).expect(200))
          .body as {
          measures: { code: string; title: string }[];
        }
      ).measures[0];
      const pageA = (await t.http.get(`/oeffentlich/${a.code}/${aCycle.code}/massnahmen`).expect(200)).text;
      expect(pageA).toContain(first.title);
      expect(pageA).not.toContain('Sprachkurs Zweitregion');
      const pageB = (await t.http.get(`/oeffentlich/${b.code}/${b.cycle.code}/massnahmen`).expect(200)).text;
      expect(pageB).toContain('Sprachkurs Zweitregion');
      expect(pageB).not.toContain(first.title);
      const overviewB = (await t.http.get(`/oeffentlich/${b.code}/${b.cycle.code}`).expect(200)).text;
      expect(overviewB).toContain(`/api/public/cycles/${b.cycle.code}/measures.json?plan=${b.code}"`);
      expect(overviewB).toContain(`/api/public/cycles/${b.cycle.code}/measures.csv?plan=${b.code}"`);
      const measureB = (
        await t.http.get(`/oeffentlich/${b.code}/${b.cycle.code}/massnahmen/3.1-92`).expect(200)
      ).text;
      expect(measureB).toContain('Sprachkurs Zweitregion');
      expect(measureB).not.toMatch(/22[.\s]?222/);
      await t.http.get(`/oeffentlich/${b.code}/${b.cycle.code}/massnahmen/${first.code}`).expect(404);
      await t.http.get(`/oeffentlich/unbekannt-plan/${b.cycle.code}`).expect(404);
    });

    it('the open data name the plan when two plans publish a cycle with the same code', async () => {
      const cycles = (await t.http.get('/api/public/cycles').expect(200)).body as {
        plan: string;
        code: string;
      }[];
      expect(cycles.map((c) => `${c.plan}/${c.code}`).sort()).toEqual(
        [`${a.code}/${aCycle.code}`, `${b.code}/${b.cycle.code}`].sort(),
      );
      const onlyB = (await t.http.get(`/api/public/cycles?plan=${b.code}`).expect(200)).body as {
        plan: string;
      }[];
      expect(onlyB.map((c) => c.plan)).toEqual([b.code]);

      for (const file of ['measures.json', 'measures.csv']) {
        const ambiguous = await t.http.get(`/api/public/cycles/${aCycle.code}/${file}`).expect(400);
        expect(ambiguous.body.message).toContain('mehreren Rahmenkonzepten');
      }
      const jsonA = (
        await t.http.get(`/api/public/cycles/${aCycle.code}/measures.json?plan=${a.code}`).expect(200)
      ).body as {
        metadata: { plan: { code: string } };
        measures: { code: string; title: string; budget?: number | null }[];
      };
      expect(jsonA.metadata.plan.code).toBe(a.code);
      // The first plan makes budgets public, the second does not.
      expect(jsonA.measures.length).toBeGreaterThan(0);
      for (const m of jsonA.measures) expect(m).toHaveProperty('budget');
      expect(jsonA.measures.map((m) => m.code)).not.toContain('3.1-92');
      const jsonB = (
        await t.http.get(`/api/public/cycles/${b.cycle.code}/measures.json?plan=${b.code}`).expect(200)
      ).body as {
        metadata: { plan: { code: string } };
        measures: { code: string; budget?: number | null }[];
      };
      expect(jsonB.metadata.plan.code).toBe(b.code);
      expect(jsonB.measures.map((m) => m.code)).toEqual(['3.1-92']);
      expect(jsonB.measures[0]).not.toHaveProperty('budget');
      const csvB = (
        await t.http.get(`/api/public/cycles/${b.cycle.code}/measures.csv?plan=${b.code}`).expect(200)
      ).text;
      expect(csvB).toContain('Sprachkurs Zweitregion');
      expect(csvB).not.toContain(jsonA.measures[0].title);
    });
  });
});
