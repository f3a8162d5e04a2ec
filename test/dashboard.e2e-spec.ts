/**
 * Dashboard numbers against a small hand-built data set whose right answers are known, for every filter;
 * completeness, reminders before and after the deadline, stale measures, changes since the last cycle.
 */
import { jest } from '@jest/globals';
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { statusCountDrift } from './helpers/status-counts.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { todayInBremen } from '../src/common/dates.js';
import { CompletenessService } from '../src/reporting/completeness.service.js';
import { DashboardService } from '../src/dashboard/dashboard.service.js';
import { naturalSortKey } from '../src/measures/measure.constants.js';
import { ReportingCyclesService } from '../src/reporting/reporting-cycles.service.js';

type Counts = Record<string, number>;
const ZERO: Counts = {
  planned: 0,
  in_progress: 0,
  ongoing: 0,
  completed: 0,
  delayed: 0,
  discontinued: 0,
  none: 0,
};
const counts = (c: Counts): Counts => ({ ...ZERO, ...c });

describe('dashboard numbers', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  const m: Record<string, { id: number; version: number }> = {};
  let cycle2024: { id: number; version: number };

  const get = (path: string) => t.http.get(path).auth(admin, { type: 'bearer' }).expect(200);

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    const editor = await editorOf(t, admin, ids.departments.ASJI, 'dash-soziales');
    const create = async (key: string, body: Record<string, unknown>): Promise<void> => {
      m[key] = (
        await t.http
          .post('/api/measures')
          .auth(admin, { type: 'bearer' })
          .send(newMeasure(ids, { code: `3.9-${key}`, participatingDepartmentIds: [], ...body }))
          .expect(201)
      ).body;
    };
    const report = async (key: string, body: Record<string, unknown>, token = admin): Promise<void> => {
      await t.http
        .post(`/api/measures/${m[key].id}/status-reports`)
        .auth(token, { type: 'bearer' })
        .send(newReport(body))
        .expect(201);
    };
    const { goals: g, fields: f, departments: d } = ids;
    await create('M1', {
      actionFieldId: f['3.1'],
      goalIds: [g['2.1']],
      leadDepartmentId: d.ASJI,
      level: 'land',
      targetGroups: ['Frauen'],
    });
    await create('M2', {
      actionFieldId: f['3.1'],
      goalIds: [g['2.1'], g['2.2']],
      leadDepartmentId: d.SKB,
      level: 'bremen',
      targetGroups: ['Kinder und Jugendliche'],
    });
    await create('M3', {
      actionFieldId: f['3.4'],
      goalIds: [g['2.3']],
      leadDepartmentId: d.SKB,
      level: 'bremerhaven',
      targetGroups: [],
    });
    await create('M4', {
      actionFieldId: f['3.6'],
      goalIds: [g['2.2']],
      leadDepartmentId: d.ASJI,
      level: 'land',
      targetGroups: ['Frauen', 'Geflüchtete'],
    });
    await create('M5', {
      actionFieldId: f['3.6'],
      goalIds: [g['2.4']],
      leadDepartmentId: d.ASJI,
      level: 'land',
      targetGroups: [],
    });
    await create('M6', {
      actionFieldId: f['3.2'],
      goalIds: [g['2.1']],
      leadDepartmentId: d.SIS,
      level: 'land',
      targetGroups: [],
    });
    // M6 was last reported long ago (in the 2024–2025 cycle, which is then closed).
    await report('M6', { reportedAt: '2024-05-01', status: 'planned', progress: 0 });
    let cycle = (await get('/api/reporting-cycles')).body.find(
      (c: { code: string }) => c.code === '2024-2025',
    );
    for (const to of ['collecting', 'reviewing', 'closed']) {
      cycle = (
        await t.http
          .post(`/api/reporting-cycles/${cycle.id}/transition`)
          .auth(admin, { type: 'bearer' })
          .send({ to, version: cycle.version })
          .expect(200)
      ).body;
    }
    cycle2024 = cycle;
    // Today's reports, in the open 2026–2027 cycle.
    await report('M1', { status: 'in_progress', progress: 40 });
    await report('M2', { status: 'completed', progress: 100 });
    await report('M4', { status: 'delayed', progress: 20 });
    await report('M4', { status: 'ongoing', progress: 30 }, editor); // submitted, not yet counted
    const m5 = (await get(`/api/measures/${m.M5.id}`)).body;
    await t.http
      .post(`/api/measures/${m.M5.id}/lifecycle`)
      .auth(admin, { type: 'bearer' })
      .send({ version: m5.version, lifecycle: 'discontinued', reason: 'Beschluss' })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts every status for the whole framework, with shares and average progress', async () => {
    const d = (await get('/api/dashboard')).body;
    expect(d.source.kind).toBe('live');
    expect(d.containsExampleData).toBe(false);
    expect(d.totals.total).toBe(6);
    expect(d.totals.counts).toEqual(
      counts({ in_progress: 1, completed: 1, delayed: 1, planned: 1, discontinued: 1, none: 1 }),
    );
    expect(d.totals.shares.completed).toBe(16.7);
    expect(d.totals.averageProgress).toBe(40); // (40 + 100 + 20 + 0) / 4 measures with a progress
  });

  it('breaks down by goal (a measure with two goals counts in both), action field and department', async () => {
    const d = (await get('/api/dashboard')).body;
    const byCode = (list: { code: string; counts: Counts; total: number }[]) =>
      Object.fromEntries(list.map((x) => [x.code, x]));
    const goals = byCode(d.byGoal);
    expect(goals['2.1'].counts).toEqual(counts({ in_progress: 1, completed: 1, planned: 1 }));
    expect(goals['2.2'].counts).toEqual(counts({ completed: 1, delayed: 1 }));
    expect(goals['2.3'].counts).toEqual(counts({ none: 1 }));
    expect(goals['2.4'].counts).toEqual(counts({ discontinued: 1 }));
    const fields = byCode(d.byActionField);
    expect(fields['3.1'].total).toBe(2);
    expect(fields['3.6'].counts).toEqual(counts({ delayed: 1, discontinued: 1 }));
    expect(fields['3.13'].total).toBe(0);
    const departments = byCode(d.byDepartment);
    expect(departments.ASJI.counts).toEqual(counts({ in_progress: 1, delayed: 1, discontinued: 1 }));
    expect(departments.SKB.counts).toEqual(counts({ completed: 1, none: 1 }));
    expect(departments.SIS.counts).toEqual(counts({ planned: 1 }));
  });

  it.each([
    ['goalId', () => `goalId=${ids.goals['2.1']}`, { in_progress: 1, completed: 1, planned: 1 }],
    ['actionFieldId', () => `actionFieldId=${ids.fields['3.6']}`, { delayed: 1, discontinued: 1 }],
    ['departmentId', () => `departmentId=${ids.departments.SKB}`, { completed: 1, none: 1 }],
    ['level', () => 'level=land', { in_progress: 1, delayed: 1, discontinued: 1, planned: 1 }],
    ['targetGroup', () => 'targetGroup=Frauen', { in_progress: 1, delayed: 1 }],
    [
      'two filters',
      () => `level=land&departmentId=${ids.departments.ASJI}`,
      { in_progress: 1, delayed: 1, discontinued: 1 },
    ],
  ])('filters by %s', async (_label, query, expected) => {
    const d = (await get(`/api/dashboard?${query()}`)).body;
    expect(d.totals.counts).toEqual(counts(expected));
  });

  it('filters by two goals, counting a measure with both of them once', async () => {
    const { goals: g } = ids;
    const d = (await get(`/api/dashboard?goalId=${g['2.1']},${g['2.2']}`)).body;
    expect(d.totals.counts).toEqual(counts({ in_progress: 1, completed: 1, planned: 1, delayed: 1 }));
    expect(d.totals.total).toBe(4); // M2 has both goals
    expect(d.byGoal.map((x: { code: string }) => x.code)).toEqual(['2.1', '2.2']);
    expect(d.byGoal[1].counts).toEqual(counts({ completed: 1, delayed: 1 }));
  });

  it('combines a goal with a department, and a goal with a target group', async () => {
    const { goals: g, departments: dep } = ids;
    const d = (await get(`/api/dashboard?goalId=${g['2.2']}&departmentId=${dep.ASJI}`)).body;
    expect(d.totals.counts).toEqual(counts({ delayed: 1 }));
    expect(d.byDepartment.map((x: { code: string; total: number }) => [x.code, x.total])).toEqual([
      ['ASJI', 1],
    ]);
    expect(d.byActionField.find((x: { code: string }) => x.code === '3.6').counts).toEqual(
      counts({ delayed: 1 }),
    );
    const e = (await get(`/api/dashboard?goalId=${g['2.1']}&targetGroup=Frauen`)).body;
    expect(e.totals.counts).toEqual(counts({ in_progress: 1 }));
    expect(e.byGoal[0].counts).toEqual(counts({ in_progress: 1 }));
  });

  it('shows a closed cycle from its snapshot', async () => {
    const d = (await get(`/api/dashboard?cycleId=${cycle2024.id}`)).body;
    expect(d.source).toMatchObject({ kind: 'snapshot', cycleCode: '2024-2025' });
    expect(d.totals.counts).toEqual(counts({ planned: 1, none: 5 }));
    const filtered = (await get(`/api/dashboard?cycleId=${cycle2024.id}&goalId=${ids.goals['2.1']}`)).body;
    expect(filtered.totals.counts).toEqual(counts({ planned: 1, none: 2 }));
  });

  it('reports completeness of the current cycle per department', async () => {
    const d = (await get('/api/dashboard')).body;
    expect(d.currentCycle.code).toBe('2026-2027');
    const byCode = Object.fromEntries(
      d.currentCycle.departments.map((x: { departmentCode: string }) => [x.departmentCode, x]),
    );
    expect(byCode.ASJI).toMatchObject({
      due: 2,
      reported: 2,
      accepted: 2,
      awaitingReview: 1,
      returned: 0,
      missing: 0,
      completeness: 100,
    });
    expect(byCode.SKB).toMatchObject({ due: 2, reported: 1, missing: 1, completeness: 50 });
    expect(byCode.SIS).toMatchObject({ due: 1, reported: 0, missing: 1 });
    expect(byCode.FIN).toMatchObject({ due: 0, missing: 0 });
    expect(d.currentCycle.totals).toMatchObject({ due: 5, reported: 3, missing: 2 });
  });

  it('lists stale measures: latest accepted report older than the interval', async () => {
    const d = (await get('/api/dashboard')).body;
    expect(d.stale.staleAfterDays).toBe(180);
    expect(d.stale.items.map((s: { code: string }) => s.code)).toEqual(['3.9-M6']);
    expect(d.stale.items[0].lastReportedAt).toBe('2024-05-01');
    expect((await get(`/api/dashboard?departmentId=${ids.departments.ASJI}`)).body.stale.total).toBe(0);
  });

  it('lists upcoming deadlines', async () => {
    const d = (await get('/api/dashboard')).body;
    expect(d.deadlines.map((x: { label: string; date: string }) => [x.label, x.date])).toEqual([
      ['Meldeschluss 2026-2027', '2028-01-31'],
      ['Veröffentlichung Umsetzungsbericht 2026-2027', '2028-03-31'],
    ]);
  });

  it('reminds each department of what it owes: before the deadline and after it', async () => {
    const cycles = t.app.get(ReportingCyclesService);
    const completeness = t.app.get(CompletenessService);
    const current = await cycles.findByCode('2026-2027');
    const before = await completeness.reminders(current, '2028-01-01');
    expect(
      before.map((r) => [
        r.departmentCode,
        r.daysLeft,
        r.overdue,
        r.items.map((i) => `${i.code}:${i.reason}`),
      ]),
    ).toEqual([
      ['SIS', 30, false, ['3.9-M6:missing']],
      ['SKB', 30, false, ['3.9-M3:missing']],
    ]);
    const after = await completeness.reminders(current, '2028-02-10');
    expect(after.every((r) => r.overdue && r.daysLeft === -10)).toBe(true);
    const viaApi = (await get(`/api/reporting-cycles/${current.id}/reminders`)).body;
    expect(viaApi.map((r: { departmentCode: string }) => r.departmentCode)).toEqual(['SIS', 'SKB']);
    expect(viaApi[0].daysLeft).toBeGreaterThan(0);
    expect(todayInBremen() < '2028-01-31').toBe(true);
  });

  it('counts changes since the last closed cycle: up, new, discontinued', async () => {
    await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(newMeasure(ids, { code: '3.9-M7' }))
      .expect(201);
    const d = (await get('/api/dashboard')).body;
    expect(d.changes).toMatchObject({ sinceCycleCode: '2024-2025', up: 3, down: 0, new: 1, discontinued: 1 });
    expect(d.changes.items.find((i: { code: string }) => i.code === '3.9-M2')).toMatchObject({
      change: 'up',
      from: 'none',
      to: 'completed',
    });
  });

  it('keeps the status counts in the database in step with every kind of change to a measure', async () => {
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    const { goals: g, fields: f, departments: dep } = ids;
    const send = async (
      method: 'post' | 'patch',
      path: string,
      body: Record<string, unknown>,
    ): Promise<{ id: number; version: number }> => {
      const res = await t.http[method](path).auth(admin, { type: 'bearer' }).send(body);
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number; version: number };
    };
    const a = await send('post', '/api/measures', newMeasure(ids, { code: '3.9-Z1', goalIds: [g['2.1']] }));
    const b = await send('post', '/api/measures', newMeasure(ids, { code: '3.9-Z2', goalIds: [g['2.3']] }));
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    // Code, field, department, level and goals change at once.
    await send('patch', `/api/measures/${a.id}`, {
      version: a.version,
      code: '3.9-Z10',
      actionFieldId: f['3.4'],
      leadDepartmentId: dep.SIS,
      level: 'land',
      goalIds: [g['2.2'], g['2.4']],
    });
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    // An accepted report changes status and progress; a later one changes the progress alone.
    await send(
      'post',
      `/api/measures/${a.id}/status-reports`,
      newReport({ status: 'in_progress', progress: 10 }),
    );
    await send(
      'post',
      `/api/measures/${a.id}/status-reports`,
      newReport({ status: 'in_progress', progress: 35 }),
    );
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    // Merged measures leave the totals; reactivated ones come back.
    const merged = await send('post', `/api/measures/${b.id}/lifecycle`, {
      version: b.version,
      lifecycle: 'merged',
      mergedIntoId: a.id,
      reason: 'Zusammengelegt',
    });
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    const before = (await get('/api/dashboard')).body.totals.total;
    await send('post', `/api/measures/${b.id}/lifecycle`, {
      version: merged.version,
      lifecycle: 'active',
      reason: 'Doch getrennt',
    });
    expect((await get('/api/dashboard')).body.totals.total).toBe(before + 1);
    const current = (await get(`/api/measures/${a.id}`)).body;
    expect(current).toMatchObject({ status: 'in_progress', progress: 35, leadDepartmentId: dep.SIS });
    await send('post', `/api/measures/${a.id}/lifecycle`, {
      version: current.version,
      lifecycle: 'discontinued',
      reason: 'Beschluss',
    });
    expect(await statusCountDrift(t.dataSource)).toEqual([]);
    const keys = await t.dataSource.query<{ code: string; sortKey: string }[]>(
      'SELECT "code", "sortKey" FROM "measures"',
    );
    expect(keys.filter((k) => k.sortKey !== naturalSortKey(k.code))).toEqual([]);
    expect(keys.find((k) => k.code === '3.9-Z10')?.sortKey).toBe('00000003.00000009-Z00000010');
  });

  it('shares one computation between identical requests until the data changes, never answering from older data', async () => {
    const service = t.app.get(DashboardService);
    const build = jest.spyOn(service, 'build');
    try {
      const { departments: dep, fields: f } = ids;
      const first = (await get(`/api/dashboard?departmentId=${dep.ASJI}&level=land`)).body;
      const again = (await get(`/api/dashboard?level=land&departmentId=${dep.ASJI}`)).body;
      expect(build).toHaveBeenCalledTimes(1);
      expect(again).toEqual(first);
      // A change through the application is seen by the next request.
      const created = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { code: '3.9-V1', leadDepartmentId: dep.ASJI, level: 'land' }))
        .expect(201);
      const after = (await get(`/api/dashboard?departmentId=${dep.ASJI}&level=land`)).body;
      expect(build).toHaveBeenCalledTimes(2);
      expect(after.totals.total).toBe(first.totals.total + 1);
      // So is a change written by another program straight into the database.
      await t.dataSource.query(
        `UPDATE "measures" SET "actionFieldId" = ${f['3.13']} WHERE "id" = ${created.body.id}`,
      );
      const moved = (await get(`/api/dashboard?departmentId=${dep.ASJI}&level=land`)).body;
      expect(moved.byActionField.find((x: { code: string }) => x.code === '3.13').total).toBe(1);
      // A client may ask for a fresh computation.
      await t.http
        .get(`/api/dashboard?departmentId=${dep.ASJI}&level=land`)
        .set('cache-control', 'no-cache')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(build).toHaveBeenCalledTimes(4);
    } finally {
      build.mockRestore();
    }
  });

  it('moves the data version on a write to every table the dashboard reads', async () => {
    // Tables whose changes do not alter the dashboard; every other table needs a version trigger.
    const unrelated = [
      'audit_entries',
      'data_version',
      'implementation_reports',
      'job_locks',
      'login_failures',
      'memberships',
      'measure_goal_status_counts',
      'measure_status_counts',
      'migrations',
      'notification_log',
      'rate_limit_counters',
      'report_file_chunks',
      'staged_uploads',
      'jobs',
      'users',
    ];
    const sqlite = t.dataSource.options.type === 'better-sqlite3';
    const tables = (
      await t.dataSource.query<{ name: string }[]>(
        sqlite
          ? `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%'`
          : `SELECT "table_name" AS "name" FROM "information_schema"."tables" WHERE "table_schema" = 'public' AND "table_type" = 'BASE TABLE'`,
      )
    ).map((r) => r.name);
    const triggers = await t.dataSource.query<{ name: string; tableName: string }[]>(
      sqlite
        ? `SELECT "name", "tbl_name" AS "tableName" FROM "sqlite_master" WHERE "type" = 'trigger'`
        : `SELECT "trigger_name" AS "name", "event_object_table" AS "tableName" FROM "information_schema"."triggers"`,
    );
    const versioned = new Set(triggers.filter((x) => /_version/.test(x.name)).map((x) => x.tableName));
    expect(tables.filter((name) => !unrelated.includes(name) && !versioned.has(name))).toEqual([]);
    expect(versioned.size).toBeGreaterThanOrEqual(20);
    const version = async () =>
      (
        await t.dataSource.query<{ v: string }[]>(
          'SELECT CAST("version" AS VARCHAR(30)) AS "v" FROM "data_version"',
        )
      )[0].v;
    const before = await version();
    await t.dataSource.query(`UPDATE "meetings" SET "title" = "title" WHERE 1 = 0`);
    expect(await version()).toBe(before);
    await t.dataSource.query(`UPDATE "goals" SET "sortOrder" = "sortOrder"`);
    expect(await version()).not.toBe(before);
  });

  it('refuses bad filters with 400', async () => {
    const res = await t.http
      .get('/api/dashboard?level=mond&goalId=abc&cycleId=0')
      .auth(admin, { type: 'bearer' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cycleId', 'goalId']);
    // A level is one of the plan's: checked with the plan, once the query itself is well-formed.
    const level = await t.http.get('/api/dashboard?level=mond').auth(admin, { type: 'bearer' }).expect(400);
    expect(level.body.errors).toEqual([
      { field: 'level', messages: ['unbekannte Ebene(n) mond; erlaubt: land, bremen, bremerhaven'] },
    ]);
    await t.http.get('/api/dashboard?cycleId=999').auth(admin, { type: 'bearer' }).expect(404);
  });
});
