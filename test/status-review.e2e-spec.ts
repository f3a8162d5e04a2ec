/**
 * Status entry and review through the API (and the one page that lists what a department owes):
 * - a measure completed in an earlier cycle is not due again: not missing in the cycle's completeness, not in
 *   the reminders, not on the dashboard, not on "Meldungen"; one completed within the cycle has reported;
 * - several reports are reviewed at once, all or nothing: one that cannot be accepted (already reviewed, not
 *   found) stops all of them, with a German message naming which and why; two overlapping reviews at once
 *   cannot both succeed; roles that may not review are refused and nothing changes.
 */
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';
import { binaryParser, readWorkbook } from './helpers/workbooks.js';
import { SESSION_COOKIE } from '../src/common/auth/session.js';

interface ReportJson {
  id: number;
  measureId: number;
  status: string;
  progress: number;
  reviewState: string;
  reviewComment: string;
}

describe('status entry and review', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let otherEditor: string;
  let viewer: string;
  let ids: Ids;
  let sequence = 0;

  const get = async <T>(path: string, token = admin): Promise<T> =>
    (await t.http.get(path).auth(token, { type: 'bearer' }).expect(200)).body as T;

  async function measure(overrides: Record<string, unknown> = {}): Promise<{ id: number; code: string }> {
    sequence += 1;
    return (
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(
          newMeasure(ids, {
            code: `3.9-R${String(sequence).padStart(2, '0')}`,
            actionFieldId: ids.fields['3.9'],
            leadDepartmentId: ids.departments.ASJI,
            participatingDepartmentIds: [],
            plannedStart: '2022-01-01',
            plannedEnd: null,
            ...overrides,
          }),
        )
        .expect(201)
    ).body as { id: number; code: string };
  }

  async function report(
    measureId: number,
    body: Record<string, unknown> = {},
    token = editor,
  ): Promise<ReportJson> {
    return (
      await t.http
        .post(`/api/measures/${measureId}/status-reports`)
        .auth(token, { type: 'bearer' })
        .send(newReport(body))
        .expect(201)
    ).body as ReportJson;
  }

  async function currentCycle(): Promise<{ id: number; code: string }> {
    const cycles = await get<{ id: number; code: string }[]>('/api/reporting-cycles');
    return cycles.find((c) => c.code === '2026-2027')!;
  }

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    editor = await editorOf(t, admin, ids.departments.ASJI, 'review-soziales');
    otherEditor = await editorOf(t, admin, ids.departments.SKB, 'review-bildung');
    await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'review-lesen@example.org',
        displayName: 'Lesen',
        role: 'viewer',
        password: 'Lese-Passwort-12',
      })
      .expect(201);
    viewer = await t.login('review-lesen@example.org', 'Lese-Passwort-12');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('a measure completed in an earlier cycle is not due again', () => {
    let completedEarlier: { id: number; code: string };
    let neverReported: { id: number; code: string };
    let reopened: { id: number; code: string };
    let discontinued: { id: number; code: string };

    beforeAll(async () => {
      completedEarlier = await measure({ title: 'Im vorigen Zyklus umgesetzt' });
      await report(
        completedEarlier.id,
        { reportedAt: '2025-03-01', status: 'completed', progress: 100 },
        admin,
      );
      neverReported = await measure({ title: 'Noch ohne Meldung' });
      // Completed, but the coordinating unit's later report before the cycle says it goes on: due.
      reopened = await measure({ title: 'Wieder aufgenommen' });
      await report(reopened.id, { reportedAt: '2024-05-01', status: 'completed', progress: 100 }, admin);
      await report(reopened.id, { reportedAt: '2025-05-01', status: 'ongoing', progress: 100 }, admin);
      discontinued = await measure({ title: 'Eingestellt' });
      const current = (await get<{ version: number }>(`/api/measures/${discontinued.id}`)).version;
      await t.http
        .post(`/api/measures/${discontinued.id}/lifecycle`)
        .auth(admin, { type: 'bearer' })
        .send({ version: current, lifecycle: 'discontinued', reason: 'Beschluss der Steuerungsrunde' })
        .expect(200);
    });

    it('the cycle’s completeness and reminders (API) do not count it', async () => {
      const cycle = await currentCycle();
      const [asji] = await get<{ due: number; reported: number; missing: number }[]>(
        `/api/reporting-cycles/${cycle.id}/completeness?departmentId=${ids.departments.ASJI}`,
      );
      expect(asji).toMatchObject({ due: 2, reported: 0, missing: 2 });
      const reminders = await get<{ items: { code: string; reasonLabel: string }[] }[]>(
        `/api/reporting-cycles/${cycle.id}/reminders?departmentId=${ids.departments.ASJI}`,
      );
      expect(reminders.flatMap((r) => r.items.map((i) => i.code))).toEqual([
        neverReported.code,
        reopened.code,
      ]);
    });

    it('the dashboard’s completeness figures and stale list do not count it', async () => {
      const d = await get<{
        currentCycle: {
          code: string;
          departments: { departmentCode: string; due: number; missing: number }[];
          totals: { due: number; missing: number };
        };
        stale: { items: { code: string }[] };
      }>('/api/dashboard');
      expect(d.currentCycle.code).toBe('2026-2027');
      expect(d.currentCycle.departments.find((x) => x.departmentCode === 'ASJI')).toMatchObject({
        due: 2,
        missing: 2,
      });
      expect(d.currentCycle.totals).toMatchObject({ due: 2, missing: 2 });
      // Nor is it stale: a completed measure is asked for nothing; the reopened one is.
      const stale = d.stale.items.map((x) => x.code);
      expect(stale).toContain(reopened.code);
      expect(stale).not.toContain(completedEarlier.code);
    });

    it('"Meldungen" lists only the measure that still owes a report', async () => {
      const page = await t.http.get('/meldungen').set('Cookie', `${SESSION_COOKIE}=${editor}`).expect(200);
      const owed = /<h2 id="h-owed"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
      expect(owed).toContain(neverReported.code);
      expect(owed).toContain(reopened.code);
      expect(owed).toContain('Meldung fehlt');
      expect(owed).not.toContain(completedEarlier.code);
      expect(owed).not.toContain(discontinued.code);
    });

    it('the Erfassungsvorlage of the cycle lists only the measures that are due', async () => {
      const cycle = await currentCycle();
      const res = await t.http
        .get(`/api/reporting-cycles/${cycle.id}/templates/${ids.departments.ASJI}`)
        .auth(editor, { type: 'bearer' })
        .buffer(true)
        .parse(binaryParser)
        .expect(200);
      const sheet = (await readWorkbook(res.body as Buffer)).getWorksheet('Meldungen')!;
      const codes: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) codes.push(String(row.getCell(2).value));
      });
      expect(codes).toEqual(expect.arrayContaining([neverReported.code, reopened.code]));
      expect(codes).not.toContain(completedEarlier.code);
      expect(codes).not.toContain(discontinued.code);
    });

    it('a measure completed within the cycle is due and has reported', async () => {
      const fresh = await measure({ title: 'Jetzt umgesetzt' });
      await report(fresh.id, { status: 'completed', progress: 100 }, admin);
      const cycle = await currentCycle();
      const [asji] = await get<{ due: number; reported: number; missing: number }[]>(
        `/api/reporting-cycles/${cycle.id}/completeness?departmentId=${ids.departments.ASJI}`,
      );
      expect(asji).toMatchObject({ due: 3, reported: 1, missing: 2 });
    });
  });

  describe('several reports reviewed at once', () => {
    const review = (body: unknown, token = admin) =>
      t.http
        .post('/api/status-reports/review')
        .auth(token, { type: 'bearer' })
        .send(body as object);

    it('accepts every selected report in one go; each measure shows its new status', async () => {
      const a = await measure();
      const b = await measure();
      const c = await measure();
      const ra = await report(a.id, { status: 'in_progress', progress: 40 });
      const rb = await report(b.id, { status: 'delayed', progress: 10 });
      const rc = await report(c.id, { status: 'ongoing', progress: 50 });
      const res = await review({ ids: [ra.id, rb.id, rc.id], decision: 'accept' }).expect(200);
      const body = res.body as { count: number; items: ReportJson[] };
      expect(body.count).toBe(3);
      expect(body.items.map((r) => [r.id, r.reviewState])).toEqual([
        [ra.id, 'accepted'],
        [rb.id, 'accepted'],
        [rc.id, 'accepted'],
      ]);
      expect(await get(`/api/measures/${a.id}`)).toMatchObject({ status: 'in_progress', progress: 40 });
      expect(await get(`/api/measures/${b.id}`)).toMatchObject({ status: 'delayed', progress: 10 });
      expect(await get(`/api/measures/${c.id}`)).toMatchObject({ status: 'ongoing', progress: 50 });
    });

    it('returns several with one comment; a return without a comment is refused', async () => {
      const a = await measure();
      const b = await measure();
      const ra = await report(a.id);
      const rb = await report(b.id);
      const refused = await review({ ids: [ra.id, rb.id], decision: 'return' }).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      const res = await review({
        ids: [ra.id, rb.id],
        decision: 'return',
        comment: 'Bitte den Sachstand konkreter fassen.',
      }).expect(200);
      expect((res.body as { items: ReportJson[] }).items.map((r) => r.reviewState)).toEqual([
        'returned',
        'returned',
      ]);
      expect(await get(`/api/status-reports/${ra.id}`)).toMatchObject({
        reviewComment: 'Bitte den Sachstand konkreter fassen.',
      });
    });

    it('all or nothing: one already reviewed and one unknown stop all, named with the reason', async () => {
      const a = await measure();
      const b = await measure();
      const ra = await report(a.id);
      const rb = await report(b.id);
      await review({ ids: [rb.id], decision: 'accept' }).expect(200);
      const before = await databaseFingerprint(t.dataSource);
      const res = await review({ ids: [ra.id, rb.id, 99_999_999], decision: 'accept' }).expect(409);
      const body = res.body as {
        code: string;
        message: string;
        details: { id: number; code: string; message: string }[];
      };
      expect(body.code).toBe('STATUS_REPORT.REVIEW_REFUSED');
      expect(body.message).toContain('Keine der 3 Meldungen wurde geprüft');
      expect(body.message).toContain(`${b.code}`);
      expect(body.message).toContain('bereits geprüft (angenommen)');
      expect(body.message).toContain('Meldung 99999999');
      expect(body.message).not.toContain(a.code);
      expect(body.details).toEqual([
        { id: rb.id, code: 'STATUS_REPORT.ALREADY_REVIEWED', message: expect.stringContaining(b.code) },
        { id: 99_999_999, code: 'STATUS_REPORT.NOT_FOUND', message: expect.any(String) },
      ]);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
      expect(await get(`/api/status-reports/${ra.id}`)).toMatchObject({ reviewState: 'submitted' });
    });

    it('refuses invalid bodies with every field named', async () => {
      for (const body of [
        {},
        { ids: [], decision: 'accept' },
        { ids: [1, 1], decision: 'accept' },
        { ids: ['x'], decision: 'accept' },
        { ids: [1], decision: 'maybe' },
        { ids: Array.from({ length: 201 }, (_, i) => i + 1), decision: 'accept' },
      ]) {
        const res = await review(body).expect(400);
        expect({ body, code: (res.body as { code: string }).code }).toEqual({
          body,
          code: 'VALIDATION_FAILED',
        });
      }
    });

    it('refuses roles that may not review, and changes nothing', async () => {
      const a = await measure();
      const ra = await report(a.id);
      const before = await databaseFingerprint(t.dataSource);
      for (const token of [editor, otherEditor, viewer]) {
        const res = await review({ ids: [ra.id], decision: 'accept' }, token).expect(403);
        expect((res.body as { code: string }).code).toMatch(
          /^(ACCESS\.ROLE|STATUS_REPORT\.REVIEW_ADMIN_ONLY)$/,
        );
      }
      await t.http
        .post('/api/status-reports/review')
        .send({ ids: [ra.id], decision: 'accept' })
        .expect(401);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('two reviews of overlapping selections at once: one wins, the other changes nothing', async () => {
      const [a, b, c] = [await measure(), await measure(), await measure()];
      const [ra, rb, rc] = [await report(a.id), await report(b.id), await report(c.id)];
      const first = [ra.id, rb.id];
      const second = [rb.id, rc.id];
      const results = await Promise.all([
        review({ ids: first, decision: 'accept' }),
        review({ ids: second, decision: 'return', comment: 'Bitte ergänzen.' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results[0].status === 200 ? first : second;
      const states = await Promise.all(
        [ra, rb, rc].map(async (r) => (await get<ReportJson>(`/api/status-reports/${r.id}`)).reviewState),
      );
      expect(states.map((state) => state !== 'submitted')).toEqual(
        [ra, rb, rc].map((r) => winner.includes(r.id)),
      );
    });
  });
});
