/**
 * Each rule's pure function and its SQL fragment agree, row by row, on a real (in-memory) SQLite database:
 * every lifecycle × status for the status key and its filter, generated report histories for "latest report",
 * dates around the planned start for "started by", generated measures and histories for "due in a period".
 */
import Database from 'better-sqlite3';
import {
  MEASURE_LIFECYCLES,
  MEASURE_STATUSES,
  type MeasureLifecycle,
  type MeasureStatus,
  REVIEW_STATES,
} from './measure.constants.js';
import {
  awaitsReports,
  awaitsReportsSql,
  countedSql,
  dueSql,
  hasPeriodReportState,
  isCounted,
  isDue,
  latestReport,
  latestReportIdSql,
  PERIOD_REPORT_STATES,
  periodReportStateSql,
  startedBy,
  startedBySql,
  STATUS_KEYS,
  statusKeyInSql,
  statusKeyOf,
  statusKeySql,
  type StatusKey,
} from './measure-rules.js';

/** Binds TypeORM-style parameters for better-sqlite3: lists inlined, names kept. */
function bind(sql: string, parameters: Record<string, unknown>): string {
  return sql.replace(
    /:\.\.\.(\w+)/g,
    (_, name: string) => (parameters[name] as string[]).map((v) => `'${v}'`).join(', ') || 'NULL',
  );
}

describe('measure rules', () => {
  let db: Database.Database;
  const states = MEASURE_LIFECYCLES.flatMap((lifecycle) =>
    [...MEASURE_STATUSES, null].map((status) => ({ lifecycle, status })),
  );

  beforeAll(() => {
    db = new Database(':memory:');
    db.exec(
      `CREATE TABLE "measures" ("id" INTEGER PRIMARY KEY, "lifecycle" TEXT, "status" TEXT, "plannedStart" TEXT)`,
    );
    const insert = db.prepare(`INSERT INTO "measures" ("id", "lifecycle", "status") VALUES (?, ?, ?)`);
    states.forEach((s, i) => insert.run(i + 1, s.lifecycle, s.status));
  });
  afterAll(() => db.close());

  it('the status key in SQL is the function’s, for every lifecycle and status', () => {
    const rows = db
      .prepare(
        `SELECT "id", ${statusKeySql('m')} AS "key", ${countedSql('m')} AS "counted" FROM "measures" m ORDER BY "id"`,
      )
      .all() as { id: number; key: string; counted: number }[];
    expect(rows.map((r) => r.key)).toEqual(states.map((s) => statusKeyOf(s)));
    expect(rows.map((r) => r.counted === 1)).toEqual(states.map((s) => isCounted(s.lifecycle)));
  });

  it('the status filter selects exactly the rows whose key is in the set, for every set of one or two keys', () => {
    const sets: StatusKey[][] = [
      [],
      ...STATUS_KEYS.map((k) => [k]),
      ...STATUS_KEYS.flatMap((a, i) => STATUS_KEYS.slice(i + 1).map((b) => [a, b])),
    ];
    for (const keys of sets) {
      const { sql, parameters } = statusKeyInSql('m', keys);
      const ids = (
        db.prepare(`SELECT "id" FROM "measures" m WHERE ${bind(sql, parameters)} ORDER BY "id"`).all() as {
          id: number;
        }[]
      ).map((r) => r.id);
      const expected = states.flatMap((s, i) => (keys.includes(statusKeyOf(s)) ? [i + 1] : []));
      expect({ keys, ids }).toEqual({ keys, ids: expected });
    }
  });

  it('the latest report in SQL is the function’s, with and without period and review state', () => {
    db.exec(
      `CREATE TABLE "status_reports" ("id" INTEGER PRIMARY KEY, "measureId" INTEGER, "reportedAt" TEXT, "reviewState" TEXT)`,
    );
    const insert = db.prepare(`INSERT INTO "status_reports" VALUES (?, ?, ?, ?)`);
    const reports: { id: number; measureId: number; reportedAt: string; reviewState: string }[] = [];
    // Deterministic, with ties on the date and reports entered out of date order.
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let id = 1; id <= 400; id++) {
      const report = {
        id,
        measureId: 1 + random(20),
        reportedAt: `2024-0${1 + random(9)}-1${random(3)}`,
        reviewState: REVIEW_STATES[random(3)],
      };
      reports.push(report);
      insert.run(report.id, report.measureId, report.reportedAt, report.reviewState);
    }
    const period = { start: '2024-03-01', end: '2024-06-30' };
    for (const options of [{}, { anyReviewState: true }, { period }, { period, anyReviewState: true }]) {
      const sql = latestReportIdSql('m."id"', {
        ...options,
        period: 'period' in options ? { start: 'start', end: 'end' } : undefined,
      });
      for (let measureId = 1; measureId <= 20; measureId++) {
        const row = db.prepare(`SELECT ${sql} AS "id" FROM (SELECT ? AS "id") m`).get(measureId, period) as {
          id: number | null;
        };
        const expected = latestReport(
          reports.filter((r) => r.measureId === measureId),
          options,
        );
        expect({ measureId, options, id: row.id }).toEqual({ measureId, options, id: expected?.id ?? null });
      }
    }
  });

  it('due in a period and awaiting reports in SQL are the functions’, for generated measures and histories', () => {
    const due = new Database(':memory:');
    due.exec(
      `CREATE TABLE "measures" ("id" INTEGER PRIMARY KEY, "lifecycle" TEXT, "status" TEXT, "plannedStart" TEXT);
       CREATE TABLE "status_reports" ("id" INTEGER PRIMARY KEY, "measureId" INTEGER, "reportedAt" TEXT,
         "reviewState" TEXT, "status" TEXT)`,
    );
    let seed = 11;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const starts = [null, '2023-06-01', '2025-12-31', '2026-01-01'];
    const measures: { id: number; lifecycle: MeasureLifecycle; plannedStart: string | null }[] = [];
    const reports: {
      id: number;
      measureId: number;
      reportedAt: string;
      reviewState: string;
      status: MeasureStatus;
    }[] = [];
    let reportId = 0;
    for (let id = 1; id <= 300; id++) {
      const measure = { id, lifecycle: MEASURE_LIFECYCLES[random(3)], plannedStart: starts[random(4)] };
      measures.push(measure);
      // Around the period's start (2024-01-01): before it, on it, within; "umgesetzt" often.
      for (let n = random(4); n > 0; n--) {
        reports.push({
          id: ++reportId,
          measureId: id,
          reportedAt: ['2022-05-01', '2023-12-31', '2024-01-01', '2024-07-01', '2023-12-31'][random(5)],
          reviewState: REVIEW_STATES[random(3)],
          status: random(2) ? 'completed' : MEASURE_STATUSES[random(6)],
        });
      }
    }
    const insertMeasure = due.prepare(`INSERT INTO "measures" VALUES (?, ?, ?, ?)`);
    for (const m of measures) {
      const current = latestReport(reports.filter((r) => r.measureId === m.id));
      insertMeasure.run(m.id, m.lifecycle, current?.status ?? null, m.plannedStart);
    }
    const insertReport = due.prepare(`INSERT INTO "status_reports" VALUES (?, ?, ?, ?, ?)`);
    for (const r of reports) insertReport.run(r.id, r.measureId, r.reportedAt, r.reviewState, r.status);
    const period = { start: '2024-01-01', end: '2025-12-31' };
    const rows = due
      .prepare(
        `SELECT "id", ${dueSql('m', { start: 'from', end: 'to' })} AS "due", ${awaitsReportsSql('m')} AS "awaits"
           FROM "measures" m ORDER BY "id"`,
      )
      .all({ from: period.start, to: period.end }) as { id: number; due: number; awaits: number }[];
    const expected = measures.map((m) => {
      const own = reports.filter((r) => r.measureId === m.id);
      const status = latestReport(own)?.status ?? null;
      return { id: m.id, due: isDue(m, own, period), awaits: awaitsReports({ ...m, status }) };
    });
    expect(rows.map((r) => ({ id: r.id, due: r.due === 1, awaits: r.awaits === 1 }))).toEqual(expected);
    // The cases that matter are all there: completed before the start, completed within, never reported.
    expect(expected.filter((e) => e.due).length).toBeGreaterThan(20);
    expect(expected.filter((e, i) => !e.due && measures[i].lifecycle === 'active').length).toBeGreaterThan(
      20,
    );
    due.close();
  });

  it('reported in a period, by state, in SQL is the function’s, for generated histories', () => {
    const db2 = new Database(':memory:');
    db2.exec(
      `CREATE TABLE "measures" ("id" INTEGER PRIMARY KEY);
       CREATE TABLE "status_reports" ("id" INTEGER PRIMARY KEY, "measureId" INTEGER, "reportedAt" TEXT,
         "reviewState" TEXT)`,
    );
    let seed = 13;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const reports: { id: number; measureId: number; reportedAt: string; reviewState: string }[] = [];
    for (let id = 1; id <= 200; id++) {
      db2.prepare(`INSERT INTO "measures" VALUES (?)`).run(id);
      // Around both bounds of the period, ties on a date, every review state.
      for (let n = random(4); n > 0; n--)
        reports.push({
          id: reports.length + 1,
          measureId: id,
          reportedAt: ['2023-12-31', '2024-01-01', '2024-06-30', '2025-12-31', '2026-01-01'][random(5)],
          reviewState: REVIEW_STATES[random(3)],
        });
    }
    const insert = db2.prepare(`INSERT INTO "status_reports" VALUES (?, ?, ?, ?)`);
    for (const r of reports) insert.run(r.id, r.measureId, r.reportedAt, r.reviewState);
    const period = { start: '2024-01-01', end: '2025-12-31' };
    const columns = PERIOD_REPORT_STATES.map(
      (state) => `${periodReportStateSql('m', state, { start: 'from', end: 'to' })} AS "${state}"`,
    );
    const rows = db2
      .prepare(`SELECT "id", ${columns.join(', ')} FROM "measures" m ORDER BY "id"`)
      .all({ from: period.start, to: period.end }) as Record<string, number>[];
    const expected = rows.map((row) => {
      const own = reports.filter((r) => r.measureId === row.id);
      return Object.fromEntries([
        ['id', row.id],
        ...PERIOD_REPORT_STATES.map((state) => [state, hasPeriodReportState(own, period, state)]),
      ]) as Record<string, unknown>;
    });
    const actual = rows.map((row) =>
      Object.fromEntries<unknown>([
        ['id', row.id],
        ...PERIOD_REPORT_STATES.map((state): [string, boolean] => [state, row[state] === 1]),
      ]),
    );
    expect(actual).toEqual(expected);
    // Every state occurs, and "missing" is exactly "not reported".
    for (const state of PERIOD_REPORT_STATES)
      expect({ state, some: expected.some((e) => e[state]) }).toEqual({ state, some: true });
    expect(expected.every((e) => e.missing !== e.reported)).toBe(true);
    db2.close();
  });

  it('a measure completed before the period is not due; one completed within the period is', () => {
    const measure = { lifecycle: 'active' as const, plannedStart: '2022-01-01' };
    const period = { start: '2026-01-01', end: '2027-12-31' };
    const report = (id: number, reportedAt: string, status: MeasureStatus, reviewState = 'accepted') => ({
      id,
      reportedAt,
      status,
      reviewState,
    });
    expect(isDue(measure, [], period)).toBe(true);
    expect(isDue(measure, [report(1, '2024-05-01', 'completed')], period)).toBe(false);
    expect(isDue(measure, [report(1, '2024-05-01', 'completed', 'returned')], period)).toBe(true);
    expect(isDue(measure, [report(1, '2026-02-01', 'completed')], period)).toBe(true);
    expect(
      isDue(measure, [report(1, '2024-05-01', 'completed'), report(2, '2025-01-01', 'in_progress')], period),
    ).toBe(true);
    expect(isDue({ ...measure, lifecycle: 'discontinued' }, [], period)).toBe(false);
    expect(isDue({ ...measure, lifecycle: 'merged' }, [], period)).toBe(false);
    expect(awaitsReports({ lifecycle: 'active', status: 'completed' })).toBe(false);
    expect(awaitsReports({ lifecycle: 'active', status: null })).toBe(true);
  });

  it('started by: no planned start, or one on or before the date', () => {
    const cases: [string | null, string, boolean][] = [
      [null, '2024-01-01', true],
      ['2024-01-01', '2024-01-01', true],
      ['2024-01-02', '2024-01-01', false],
      ['2023-12-31', '2024-01-01', true],
    ];
    for (const [plannedStart, date, expected] of cases) {
      db.prepare(`UPDATE "measures" SET "plannedStart" = ? WHERE "id" = 1`).run(plannedStart);
      const row = db
        .prepare(`SELECT ${startedBySql('m')} AS "started" FROM "measures" m WHERE "id" = 1`)
        .get({ end: date }) as {
        started: number;
      };
      expect(startedBy({ plannedStart }, date)).toBe(expected);
      expect(row.started === 1).toBe(expected);
    }
  });
});
