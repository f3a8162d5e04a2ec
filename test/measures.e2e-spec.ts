import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { StatusReport } from '../src/measures/status-report.entity.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';

describe('measures and status reports API', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    viewer = await t.login('steuerung@demo.local');
    ids = await frameworkIds(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, token = viewer) => t.http.get(path).auth(token, { type: 'bearer' });

  describe('list with filters and paging', () => {
    it('pages with total, page and pageSize', async () => {
      const all = await get('/api/measures?pageSize=200').expect(200);
      const first = await get('/api/measures?pageSize=10&page=1').expect(200);
      const second = await get('/api/measures?pageSize=10&page=2').expect(200);
      expect(first.body).toMatchObject({ total: all.body.total, page: 1, pageSize: 10 });
      expect(first.body.items).toHaveLength(10);
      expect(second.body.items[0].code).toBe(all.body.items[10].code);
      const codes = [...first.body.items, ...second.body.items].map((m: { code: string }) => m.code);
      expect(new Set(codes).size).toBe(20);
    });

    it('sorts codes by their numbers: 3.2 before 3.10, 3.10-02 before 3.10-10', async () => {
      const codes = (
        (await get('/api/measures?pageSize=200').expect(200)).body.items as { code: string }[]
      ).map((m) => m.code);
      expect(codes.indexOf('3.9-03')).toBeLessThan(codes.indexOf('3.10-01'));
      expect(codes.indexOf('3.2-04')).toBeLessThan(codes.indexOf('3.10-01'));
      expect(codes.indexOf('3.13-04')).toBe(codes.length - 1);
      const numbers = codes.map((c) => c.split(/[.-]/).map(Number));
      const sorted = [...numbers].sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
      expect(numbers).toEqual(sorted);
    });

    it.each([
      [
        'goalId',
        (m: Record<string, unknown>, v: number) => (m.goalIds as number[]).includes(v),
        () => ids.goals['2.3'],
      ],
      [
        'actionFieldId',
        (m: Record<string, unknown>, v: number) => m.actionFieldId === v,
        () => ids.fields['3.6'],
      ],
      [
        'leadDepartmentId',
        (m: Record<string, unknown>, v: number) => m.leadDepartmentId === v,
        () => ids.departments.SKB,
      ],
    ])('filters by %s, returning exactly the matching measures', async (param, matches, value) => {
      const all = (await get('/api/measures?pageSize=200').expect(200)).body.items as Record<
        string,
        unknown
      >[];
      const v = value();
      const res = await get(`/api/measures?pageSize=200&${param}=${v}`).expect(200);
      const expected = all.filter((m) => matches(m, v)).map((m) => m.code);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.items.map((m: { code: string }) => m.code)).toEqual(expected);
    });

    it('filters by level, status, target group, lifecycle and text', async () => {
      const all = (await get('/api/measures?pageSize=200').expect(200)).body.items as Record<
        string,
        unknown
      >[];
      const check = async (
        query: string,
        predicate: (m: Record<string, unknown>) => boolean,
      ): Promise<void> => {
        const res = await get(`/api/measures?pageSize=200&${query}`).expect(200);
        const expected = all.filter(predicate).map((m) => m.code);
        expect(expected.length).toBeGreaterThan(0);
        expect(res.body.items.map((m: { code: string }) => m.code)).toEqual(expected);
      };
      await check('level=bremerhaven', (m) => m.level === 'bremerhaven');
      // The dashboard's rule: the status key ("eingestellt" before the reported status), merged ones left out.
      await check(
        'status=completed,delayed',
        (m) => ['completed', 'delayed'].includes(String(m.statusKey)) && m.lifecycle !== 'merged',
      );
      await check(`targetGroup=${encodeURIComponent('Menschen mit Behinderung')}`, (m) =>
        (m.targetGroups as string[]).includes('Menschen mit Behinderung'),
      );
      await check('lifecycle=discontinued', (m) => m.lifecycle === 'discontinued');
      await check('q=sprach', (m) =>
        [m.code, m.title, m.description].some((s) => String(s).toLowerCase().includes('sprach')),
      );
    });

    it('treats LIKE wildcards in the search text literally', async () => {
      const res = await get('/api/measures?q=%25').expect(200);
      expect(res.body.total).toBe(0);
    });

    it('rejects invalid filters with 400 listing each field', async () => {
      const res = await get('/api/measures?level=mond&status=fertig&pageSize=1000&page=0&foo=1').expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['foo', 'page', 'pageSize', 'status']);
      // A level is one of the plan's: checked with the plan, once the query itself is well-formed.
      const level = await get('/api/measures?level=mond').expect(400);
      expect(level.body.errors).toEqual([
        { field: 'level', messages: ['unbekannte Ebene(n) mond; erlaubt: land, bremen, bremerhaven'] },
      ]);
    });
  });

  describe('detail, create, update', () => {
    it('creates a measure and shows it with goals and departments', async () => {
      const body = newMeasure(ids);
      const res = await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(201);
      expect(res.body).toMatchObject({
        code: body.code,
        goalIds: [ids.goals['2.1'], ids.goals['2.2']],
        participatingDepartmentIds: [ids.departments.SKB],
        lifecycle: 'active',
        status: null,
        progress: null,
        isExample: false,
        version: 1,
      });
      expect(res.body.dataLabel).toBeUndefined();
      const detail = await get(`/api/measures/${res.body.id}`).expect(200);
      expect(detail.body).toEqual({ ...res.body, history: [] });
    });

    it('answers a duplicate code with 409 and creates nothing', async () => {
      const body = newMeasure(ids);
      await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(201);
      const before = await databaseFingerprint(t.dataSource);
      const res = await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(409);
      expect(res.body.message).toMatch(/gibt es bereits/);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('lists every invalid field at once in German, and writes nothing', async () => {
      const before = await databaseFingerprint(t.dataSource);
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send({
          code: 'kein code',
          title: 'x'.repeat(201),
          actionFieldId: 'drei',
          goalIds: [],
          leadDepartmentId: -1,
          level: 'mond',
          plannedStart: '2024-13-01',
          budget: -5,
          unknownField: true,
        })
        .expect(400);
      const byField = Object.fromEntries(
        res.body.errors.map((e: { field: string; messages: string[] }) => [e.field, e.messages]),
      );
      expect(Object.keys(byField).sort()).toEqual(
        [
          'actionFieldId',
          'budget',
          'code',
          'goalIds',
          'leadDepartmentId',
          'plannedStart',
          'title',
          'unknownField',
        ].sort(),
      );
      // The level is one of the plan's: checked with the plan, like the references, once the body is well-formed.
      const level = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { level: 'mond' }))
        .expect(400);
      expect(level.body.errors.map((e: { field: string }) => e.field)).toEqual(['level']);
      expect(byField.title).toContain('darf höchstens 200 Zeichen lang sein');
      expect(byField.unknownField).toContain('ist kein zulässiges Feld');
      expect(byField.goalIds).toContain('muss mindestens 1 Einträge haben');
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('refuses references that do not exist with 400, not a database error', async () => {
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(
          newMeasure(ids, {
            actionFieldId: 9999,
            goalIds: [9998],
            leadDepartmentId: 9997,
            targetGroups: ['Marsianer'],
          }),
        )
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['actionFieldId', 'goalIds', 'leadDepartmentId', 'targetGroups'].sort(),
      );
    });

    it('updates with the current version and refuses a stale version with 409, changing nothing', async () => {
      const created = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids))
        .expect(201);
      const updated = await t.http
        .patch(`/api/measures/${created.body.id}`)
        .auth(admin, { type: 'bearer' })
        .send({
          version: 1,
          title: 'Sprachcafés in allen Stadtteilbibliotheken',
          goalIds: [ids.goals['2.4']],
        })
        .expect(200);
      expect(updated.body).toMatchObject({ version: 2, goalIds: [ids.goals['2.4']] });
      const before = await databaseFingerprint(t.dataSource);
      const stale = await t.http
        .patch(`/api/measures/${created.body.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ version: 1, title: 'Überschrieben?' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'MEASURE.STALE_VERSION', currentVersion: 2 });
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('answers unknown and malformed ids with 404 and 400', async () => {
      await get('/api/measures/999999').expect(404);
      await get('/api/measures/abc').expect(400);
      await get('/api/measures/99999999999999999999').expect(400);
      await get('/api/measures/999999/status-reports').expect(404);
    });
  });

  describe('lifecycle instead of deletion', () => {
    it('discontinues with a reason, keeps the measure readable, and refuses new reports', async () => {
      const created = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids))
        .expect(201);
      await t.http
        .post(`/api/measures/${created.body.id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version: 1, lifecycle: 'discontinued' })
        .expect(400);
      const res = await t.http
        .post(`/api/measures/${created.body.id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version: 1, lifecycle: 'discontinued', reason: 'Beschluss der Steuerungsrunde' })
        .expect(200);
      expect(res.body).toMatchObject({
        lifecycle: 'discontinued',
        lifecycleReason: 'Beschluss der Steuerungsrunde',
        version: 2,
      });
      const refused = await t.http
        .post(`/api/measures/${created.body.id}/status-reports`)
        .auth(admin, { type: 'bearer' })
        .send(newReport())
        .expect(409);
      expect(refused.body.message).toMatch(/eingestellt/);
      await t.http.delete(`/api/measures/${created.body.id}`).auth(admin, { type: 'bearer' }).expect(404);
    });

    it('merges into another active measure, and refuses merging into itself', async () => {
      const a = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids))
        .expect(201);
      const b = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids))
        .expect(201);
      await t.http
        .post(`/api/measures/${a.body.id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version: 1, lifecycle: 'merged', reason: 'Zusammenlegung', mergedIntoId: a.body.id })
        .expect(400);
      const res = await t.http
        .post(`/api/measures/${a.body.id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version: 1, lifecycle: 'merged', reason: 'Zusammenlegung', mergedIntoId: b.body.id })
        .expect(200);
      expect(res.body).toMatchObject({ lifecycle: 'merged', mergedIntoId: b.body.id });
    });
  });

  describe('status reports', () => {
    it('appends reports; the current status is the latest accepted one; the history keeps all', async () => {
      const editor = await t.login('soziales@demo.local');
      const created = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids))
        .expect(201);
      const id = created.body.id as number;
      const first = await t.http
        .post(`/api/measures/${id}/status-reports`)
        .auth(editor, { type: 'bearer' })
        .send(newReport({ reportedAt: '2024-06-30', progress: 20 }))
        .expect(201);
      expect(first.body).toMatchObject({ reviewState: 'submitted', progress: 20, measureId: id });
      expect((await get(`/api/measures/${id}`).expect(200)).body).toMatchObject({
        status: null,
        progress: null,
      });

      await t.http
        .post(`/api/status-reports/${first.body.id}/review`)
        .auth(admin, { type: 'bearer' })
        .send({ decision: 'accept' })
        .expect(200);
      expect((await get(`/api/measures/${id}`).expect(200)).body).toMatchObject({
        status: 'in_progress',
        progress: 20,
        statusDate: '2024-06-30',
        version: 1,
      });

      const second = await t.http
        .post(`/api/measures/${id}/status-reports`)
        .auth(editor, { type: 'bearer' })
        .send(newReport({ reportedAt: '2024-12-31', status: 'delayed', progress: 30 }))
        .expect(201);
      await t.http
        .post(`/api/status-reports/${second.body.id}/review`)
        .auth(admin, { type: 'bearer' })
        .send({ decision: 'return' })
        .expect(400);
      const returned = await t.http
        .post(`/api/status-reports/${second.body.id}/review`)
        .auth(admin, { type: 'bearer' })
        .send({ decision: 'return', comment: 'Bitte Hindernisse genauer beschreiben.' })
        .expect(200);
      expect(returned.body).toMatchObject({
        reviewState: 'returned',
        reviewComment: 'Bitte Hindernisse genauer beschreiben.',
      });
      expect((await get(`/api/measures/${id}`).expect(200)).body).toMatchObject({
        status: 'in_progress',
        progress: 20,
      });
      await t.http
        .post(`/api/status-reports/${second.body.id}/review`)
        .auth(admin, { type: 'bearer' })
        .send({ decision: 'accept' })
        .expect(409);

      const byAdmin = await t.http
        .post(`/api/measures/${id}/status-reports`)
        .auth(admin, { type: 'bearer' })
        .send(newReport({ reportedAt: '2025-03-31', status: 'completed', progress: 100 }))
        .expect(201);
      expect(byAdmin.body.reviewState).toBe('accepted');
      expect((await get(`/api/measures/${id}`).expect(200)).body).toMatchObject({
        status: 'completed',
        progress: 100,
      });

      const history = await get(`/api/measures/${id}/status-reports`).expect(200);
      expect(
        history.body.map((r: { reportedAt: string; reviewState: string }) => [r.reportedAt, r.reviewState]),
      ).toEqual([
        ['2025-03-31', 'accepted'],
        ['2024-12-31', 'returned'],
        ['2024-06-30', 'accepted'],
      ]);
    });

    it('validates reports: progress 0–100, known status, Sachstand required, no future date', async () => {
      const measure = (await get('/api/measures?pageSize=1&lifecycle=active').expect(200)).body.items[0];
      const before = await databaseFingerprint(t.dataSource);
      const res = await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(admin, { type: 'bearer' })
        .send({ status: 'fertig', progress: 150, summary: '' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'progress',
        'status',
        'summary',
      ]);
      expect(res.body.errors.find((e: { field: string }) => e.field === 'progress').messages).toContain(
        'darf nicht größer als 100 sein',
      );
      await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(admin, { type: 'bearer' })
        .send(newReport({ reportedAt: '2999-01-01' }))
        .expect(400);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('lists the review queue oldest first', async () => {
      const queue = async (query = 'pageSize=200'): Promise<number[]> => {
        const res = await get(`/api/status-reports?reviewState=submitted&${query}`, admin).expect(200);
        for (const report of res.body.items) expect(report.reviewState).toBe('submitted');
        return (res.body.items as { id: number }[]).map((r) => r.id);
      };
      const waiting = await queue();
      expect(waiting.length).toBeGreaterThan(0);
      const editor = await t.login('soziales@demo.local');
      const measure = (
        await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(newMeasure(ids)).expect(201)
      ).body as { id: number };
      // Three reports that arrived on different days, entered here in another order than they arrived:
      // the queue follows their age, not the order of their ids.
      const arrivals = ['2024-03-10', '2024-01-10', '2024-02-10'];
      const submitted: { id: number; day: string }[] = [];
      for (const day of arrivals) {
        const report = await t.http
          .post(`/api/measures/${measure.id}/status-reports`)
          .auth(editor, { type: 'bearer' })
          .send(newReport({ reportedAt: day }))
          .expect(201);
        expect(report.body.reviewState).toBe('submitted');
        await t.dataSource
          .getRepository(StatusReport)
          .update(report.body.id as number, { createdAt: new Date(`${day}T09:00:00Z`) });
        submitted.push({ id: report.body.id as number, day });
      }
      const oldestFirst = [...submitted].sort((a, b) => a.day.localeCompare(b.day)).map((r) => r.id);
      expect(oldestFirst).not.toEqual(submitted.map((r) => r.id));
      // Older than everything that was waiting; those were created in the order of their ids.
      expect(await queue()).toEqual([...oldestFirst, ...[...waiting].sort((a, b) => a - b)]);
      expect(await queue('pageSize=2&page=1')).toEqual(oldestFirst.slice(0, 2));
      expect(await queue('pageSize=2&page=2')).toEqual([oldestFirst[2], Math.min(...waiting)]);
    });
  });

  describe('no input makes the server answer 500', () => {
    const bodies: unknown[] = [
      null,
      [],
      'text',
      42,
      { code: null },
      { code: { $ne: 1 } },
      { goalIds: 'x' },
      { goalIds: [1.5] },
      { goalIds: [99999999999] },
      { budget: 'NaN' },
      { budget: 'Infinity' },
      { plannedStart: '2024-02-30' },
      { targetGroups: [{}] },
      { title: '\u0000' },
      { __proto__: { admin: true } },
      { constructor: { prototype: {} } },
    ];
    it.each(bodies.map((b) => [JSON.stringify(b), b]))('POST /api/measures with %s', async (_label, body) => {
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send('{"code": ');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/kein gültiges JSON/);
    });
  });
});
