/**
 * One full reporting cycle as the coordinating unit lives it, and the rules around it.
 */
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
  snapshotId: number | null;
}

describe('a full reporting cycle', () => {
  let t: TestApp;
  let admin: string;
  let soziales: string;
  let bildung: string;
  let ids: Ids;
  let cycle: Cycle;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
  });

  async function move(to: string, extra: object = {}): Promise<Cycle> {
    const res = await as(admin).post(`/api/reporting-cycles/${cycle.id}/transition`, {
      to,
      version: cycle.version,
      ...extra,
    });
    if (res.status !== 200) throw new Error(`${to}: ${res.status} ${JSON.stringify(res.body)}`);
    cycle = res.body as Cycle;
    return cycle;
  }

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    soziales = await editorOf(t, admin, ids.departments.ASJI, 'soziales');
    bildung = await editorOf(t, admin, ids.departments.SKB, 'bildung');
    const cycles = (await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[];
    expect(cycles.map((c) => [c.code, c.state])).toEqual([
      ['2022-2023', 'planned'],
      ['2024-2025', 'planned'],
      ['2026-2027', 'planned'],
    ]);
    cycle = cycles.find((c) => c.code === '2024-2025')!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks collect → return → correct → accept → close, and the closed cycle stays as it was', async () => {
    const a = (
      await as(admin)
        .post('/api/measures', newMeasure(ids, { code: '3.1-A1', leadDepartmentId: ids.departments.ASJI }))
        .expect(201)
    ).body;
    const b = (
      await as(admin)
        .post(
          '/api/measures',
          newMeasure(ids, {
            code: '3.4-B1',
            actionFieldId: ids.fields['3.4'],
            leadDepartmentId: ids.departments.SKB,
            participatingDepartmentIds: [],
          }),
        )
        .expect(201)
    ).body;
    await move('collecting');

    const ra = (
      await as(soziales)
        .post(`/api/measures/${a.id}/status-reports`, newReport({ reportedAt: '2025-06-30', progress: 50 }))
        .expect(201)
    ).body;
    const rb = (
      await as(bildung)
        .post(
          `/api/measures/${b.id}/status-reports`,
          newReport({ reportedAt: '2025-07-15', status: 'delayed', progress: 10 }),
        )
        .expect(201)
    ).body;
    // An editor cannot report for another department's measure, nor review.
    await as(bildung)
      .post(`/api/measures/${a.id}/status-reports`, newReport({ reportedAt: '2025-06-30' }))
      .expect(403);
    await as(soziales).post(`/api/status-reports/${ra.id}/review`, { decision: 'accept' }).expect(403);

    await as(admin)
      .post(`/api/status-reports/${rb.id}/review`, {
        decision: 'return',
        comment: 'Bitte die Verzögerung begründen.',
      })
      .expect(200);
    const returned = (
      await as(bildung)
        .get(`/api/status-reports?reviewState=returned&departmentId=${ids.departments.SKB}`)
        .expect(200)
    ).body;
    expect(returned.items.map((r: { id: number; reviewComment: string }) => [r.id, r.reviewComment])).toEqual(
      [[rb.id, 'Bitte die Verzögerung begründen.']],
    );
    const reminders = (
      await as(bildung)
        .get(`/api/reporting-cycles/${cycle.id}/reminders?departmentId=${ids.departments.SKB}`)
        .expect(200)
    ).body;
    expect(reminders[0].items).toEqual([
      expect.objectContaining({
        code: '3.4-B1',
        reason: 'returned',
        reviewComment: 'Bitte die Verzögerung begründen.',
      }),
    ]);
    const corrected = (
      await as(bildung)
        .post(
          `/api/measures/${b.id}/status-reports`,
          newReport({
            reportedAt: '2025-07-15',
            status: 'delayed',
            progress: 10,
            obstacles: 'Ausschreibung gescheitert, Neuvergabe läuft.',
            correctsReportId: rb.id,
          }),
        )
        .expect(201)
    ).body;
    expect(corrected.correctsReportId).toBe(rb.id);

    await move('reviewing');
    // Closing with reports still unreviewed is refused.
    const pending = await as(admin)
      .post(`/api/reporting-cycles/${cycle.id}/close`, { version: cycle.version })
      .expect(409);
    expect(pending.body).toMatchObject({ code: 'CYCLE.PENDING_REVIEWS', pending: 2 });
    await as(admin).post(`/api/status-reports/${ra.id}/review`, { decision: 'accept' }).expect(200);
    await as(admin).post(`/api/status-reports/${corrected.id}/review`, { decision: 'accept' }).expect(200);
    cycle = (
      await as(admin).post(`/api/reporting-cycles/${cycle.id}/close`, { version: cycle.version }).expect(200)
    ).body;
    expect(cycle.state).toBe('closed');
    expect(cycle.snapshotId).toEqual(expect.any(Number));

    const frozen = (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200)).body;
    const byCode = Object.fromEntries(frozen.items.map((i: { code: string }) => [i.code, i]));
    expect(byCode['3.1-A1']).toMatchObject({ status: 'in_progress', progress: 50, reportedAt: '2025-06-30' });
    expect(byCode['3.4-B1']).toMatchObject({
      status: 'delayed',
      reportId: corrected.id,
      obstacles: 'Ausschreibung gescheitert, Neuvergabe läuft.',
    });
    const dashboardBefore = (await as(admin).get(`/api/dashboard?cycleId=${cycle.id}`).expect(200)).body;

    // Later changes: renamed, discontinued, a report in the next cycle, a new measure.
    const current = (await as(admin).get(`/api/measures/${a.id}`)).body;
    await as(admin)
      .patch(`/api/measures/${a.id}`, { version: current.version, title: 'Ganz neuer Titel' })
      .expect(200);
    await as(admin)
      .post(`/api/measures/${b.id}/lifecycle`, {
        version: b.version,
        lifecycle: 'discontinued',
        reason: 'Beschluss der Steuerungsrunde',
      })
      .expect(200);
    await as(admin)
      .post(
        `/api/measures/${a.id}/status-reports`,
        newReport({ reportedAt: '2026-03-01', status: 'completed', progress: 100 }),
      )
      .expect(201);
    await as(admin)
      .post('/api/measures', newMeasure(ids, { code: '3.1-A2' }))
      .expect(201);
    // Reports into the closed period are refused.
    const late = await as(soziales)
      .post(`/api/measures/${a.id}/status-reports`, newReport({ reportedAt: '2025-12-01' }))
      .expect(409);
    expect(late.body.message).toMatch(/abgeschlossen/);

    const after = (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200)).body;
    expect(after).toEqual(frozen);
    expect(after.items.find((i: { code: string }) => i.code === '3.1-A1').master.title).toBe(
      'Sprachcafés in Stadtteilbibliotheken',
    );
    const dashboardAfter = (await as(admin).get(`/api/dashboard?cycleId=${cycle.id}`).expect(200)).body;
    expect({
      ...dashboardAfter,
      generatedAt: null,
      stale: null,
      currentCycle: null,
      deadlines: null,
    }).toEqual({
      ...dashboardBefore,
      generatedAt: null,
      stale: null,
      currentCycle: null,
      deadlines: null,
    });

    // Reopening needs a reason; closing again replaces the snapshot.
    const noReason = await as(admin)
      .post(`/api/reporting-cycles/${cycle.id}/transition`, { to: 'reviewing', version: cycle.version })
      .expect(400);
    expect(noReason.body.message).toMatch(/nur mit Begründung/);
    await as(admin).post(`/api/reporting-cycles/${cycle.id}/reopen`, { version: cycle.version }).expect(400);
    await as(soziales)
      .post(`/api/reporting-cycles/${cycle.id}/reopen`, { version: cycle.version, reason: 'Nachmeldung' })
      .expect(403);
    const reopened = (
      await as(admin)
        .post(`/api/reporting-cycles/${cycle.id}/reopen`, {
          version: cycle.version,
          reason: 'Nachmeldung des Ressorts Bildung',
        })
        .expect(200)
    ).body;
    expect(reopened).toMatchObject({
      state: 'reviewing',
      reopenReason: 'Nachmeldung des Ressorts Bildung',
      snapshotId: null,
    });
    cycle = reopened;
    const firstSnapshot = frozen.snapshotId;
    cycle = (
      await as(admin).post(`/api/reporting-cycles/${cycle.id}/close`, { version: cycle.version }).expect(200)
    ).body;
    const again = (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200)).body;
    expect(again.snapshotId).not.toBe(firstSnapshot);
    expect(again.items.find((i: { code: string }) => i.code === '3.1-A1').master.title).toBe(
      'Ganz neuer Titel',
    );

    // Every step is in the audit trail.
    const trail = (
      await as(admin).get(`/api/audit?entity=ReportingCycle&entityId=${cycle.id}&pageSize=50`).expect(200)
    ).body.items
      .reverse()
      .filter((e: { action: string }) => e.action === 'transition');
    expect(trail.map((e: { changes: { state?: { to: string } } }) => e.changes.state?.to)).toEqual([
      'collecting',
      'reviewing',
      'closed',
      'reviewing',
      'closed',
    ]);
    expect(trail[3]).toMatchObject({ action: 'transition', note: 'Nachmeldung des Ressorts Bildung' });
    const reviews = (await as(admin).get('/api/audit?action=review&entity=StatusReport').expect(200)).body
      .items;
    expect(reviews.map((e: { entityId: string }) => Number(e.entityId)).sort()).toEqual(
      [rb.id, ra.id, corrected.id].sort(),
    );

    await move('published');
    const final = await as(admin)
      .post(`/api/reporting-cycles/${cycle.id}/transition`, {
        to: 'reviewing',
        version: cycle.version,
        reason: 'Fehler gefunden',
      })
      .expect(409);
    // From published only back to closed (taking back the publication), never straight to reviewing.
    expect(final.body.message).toMatch(/möglich: „abgeschlossen“/);
  });
});

describe('reporting rules', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  async function cycleByCode(code: string): Promise<Cycle> {
    const cycles = (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }))
      .body as Cycle[];
    return cycles.find((c) => c.code === code)!;
  }

  it.each([
    ['planned → closed', 'closed', /kann nicht nach „abgeschlossen“ wechseln \(möglich: „Erfassung“\)/],
    ['planned → published', 'published', /kann nicht nach „veröffentlicht“/],
    ['planned → reviewing (skipping collecting)', 'reviewing', /kann nicht nach „Prüfung“/],
  ])('refuses %s with a clear message and changes nothing', async (_label, to, message) => {
    const cycle = await cycleByCode('2022-2023');
    const before = await databaseFingerprint(t.dataSource);
    const res = await t.http
      .post(`/api/reporting-cycles/${cycle.id}/transition`)
      .auth(admin, { type: 'bearer' })
      .send({ to, version: cycle.version })
      .expect(409);
    expect(res.body.message).toMatch(message);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('refuses a stale cycle version', async () => {
    const cycle = await cycleByCode('2022-2023');
    await t.http
      .post(`/api/reporting-cycles/${cycle.id}/transition`)
      .auth(admin, { type: 'bearer' })
      .send({ to: 'collecting', version: cycle.version + 5 })
      .expect(409);
  });

  it('refuses a report dated outside any cycle, for a discontinued measure, and a review by a non-admin', async () => {
    const measure = (
      await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(newMeasure(ids)).expect(201)
    ).body;
    const before = await databaseFingerprint(t.dataSource);
    const outside = await t.http
      .post(`/api/measures/${measure.id}/status-reports`)
      .auth(admin, { type: 'bearer' })
      .send(newReport({ reportedAt: '2019-05-01' }))
      .expect(400);
    expect(outside.body.errors).toEqual([
      { field: 'reportedAt', messages: ['2019-05-01 liegt in keinem Berichtszyklus'] },
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);

    const editor = await editorOf(t, admin, ids.departments.ASJI, 'regeln');
    const report = (
      await t.http
        .post(`/api/measures/${measure.id}/status-reports`)
        .auth(editor, { type: 'bearer' })
        .send(newReport())
        .expect(201)
    ).body;
    const beforeReview = await databaseFingerprint(t.dataSource);
    await t.http
      .post(`/api/status-reports/${report.id}/review`)
      .auth(editor, { type: 'bearer' })
      .send({ decision: 'accept' })
      .expect(403);
    expect(await databaseFingerprint(t.dataSource)).toBe(beforeReview);

    await t.http
      .post(`/api/measures/${measure.id}/lifecycle`)
      .auth(admin, { type: 'bearer' })
      .send({ version: measure.version, lifecycle: 'discontinued', reason: 'Aufgabe entfallen' })
      .expect(200);
    const beforeDiscontinued = await databaseFingerprint(t.dataSource);
    const res = await t.http
      .post(`/api/measures/${measure.id}/status-reports`)
      .auth(editor, { type: 'bearer' })
      .send(newReport())
      .expect(409);
    expect(res.body).toMatchObject({ code: 'MEASURE.NOT_ACTIVE' });
    expect(res.body.message).toMatch(/eingestellt/);
    expect(await databaseFingerprint(t.dataSource)).toBe(beforeDiscontinued);
  });

  it('validates new cycles: order of dates and no overlap', async () => {
    const bad = await t.http
      .post('/api/reporting-cycles')
      .auth(admin, { type: 'bearer' })
      .send({
        code: '2030-2031',
        name: 'Bericht',
        periodStart: '2031-12-31',
        periodEnd: '2030-01-01',
        inputDeadline: '2029-01-01',
      })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'inputDeadline',
      'periodEnd',
    ]);
    const overlap = await t.http
      .post('/api/reporting-cycles')
      .auth(admin, { type: 'bearer' })
      .send({
        code: '2027-2028',
        name: 'Bericht',
        periodStart: '2027-01-01',
        periodEnd: '2028-12-31',
        inputDeadline: '2029-01-31',
      })
      .expect(409);
    expect(overlap.body.message).toMatch(/überschneidet sich mit dem Berichtszyklus 2026-2027/);
  });
});
