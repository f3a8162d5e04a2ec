/**
 * Each rule's pure function and its SQL fragment agree, row by row, on a real (in-memory) SQLite database:
 * every lifecycle × status for the status key and its filter, generated report histories for "latest report",
 * dates around the planned start for "started by".
 */
import Database from 'better-sqlite3';
import { MEASURE_LIFECYCLES, MEASURE_STATUSES, REVIEW_STATES } from './measure.constants.js';
import {
  countedSql,
  isCounted,
  latestReport,
  latestReportIdSql,
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
