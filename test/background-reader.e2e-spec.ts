/**
 * The background reader that long exports read through: its own thread and connection, one snapshot for
 * its whole life (what is written meanwhile stays out), read-only, errors with the driver's code, and
 * nothing left running after close. On both databases.
 */
import { BackgroundReadError, BackgroundReader } from '../src/database/background-reader.js';
import { managerRows, type RowSource } from '../src/database/sql.js';
import { type MeasureState, MeasureStateReader } from '../src/reporting/measure-state.reader.js';
import { frameworkIds, newMeasure } from './factories/measure.factory.js';
import { createTestApp, ON_POSTGRES, type TestApp } from './helpers/test-app.js';

describe('BackgroundReader', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  const countMeasures = async (reader: BackgroundReader): Promise<number> => {
    const [row] = await reader.query<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM "measures"`);
    return Number(row.n);
  };

  it('answers from one snapshot: a measure created meanwhile is seen only by a reader opened later', async () => {
    const reader = BackgroundReader.open(t.dataSource);
    try {
      const before = await countMeasures(reader);
      expect(before).toBeGreaterThan(0);
      const ids = await frameworkIds(t, admin);
      const created = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(ids, { code: '3.1-LESER' }))
        .expect(201);
      // The app's own connection sees it at once; the reader still sees its snapshot.
      const [live] = await t.dataSource.query(`SELECT COUNT(*) AS "n" FROM "measures"`);
      expect(Number((live as { n: unknown }).n)).toBe(before + 1);
      expect(await countMeasures(reader)).toBe(before);
      expect(
        await reader.query(`SELECT "id" FROM "measures" WHERE "code" = :code`, { code: '3.1-LESER' }),
      ).toEqual([]);

      const later = BackgroundReader.open(t.dataSource);
      try {
        expect(await countMeasures(later)).toBe(before + 1);
        const rows = await later.query<{ id: unknown; code: string }>(
          `SELECT "id", "code" FROM "measures" WHERE "id" IN (:...ids) ORDER BY "id"`,
          { ids: [created.body.id, -1] },
        );
        expect(rows.map((r) => [Number(r.id), r.code])).toEqual([[created.body.id, '3.1-LESER']]);
      } finally {
        await later.close();
      }
    } finally {
      await reader.close();
    }
  });

  it('delivers rows as JSON carries them: dates as text, timestamps as ISO text', async () => {
    const reader = BackgroundReader.open(t.dataSource);
    try {
      const [row] = await reader.query<Record<string, unknown>>(
        `SELECT "code", "plannedStart", "createdAt", "version" FROM "measures" WHERE "plannedStart" IS NOT NULL ORDER BY "id" LIMIT 1`,
      );
      expect(row.plannedStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof row.createdAt).toBe('string');
      expect(Number.isNaN(Date.parse(String(row.createdAt)))).toBe(false);
      expect(row.version).toEqual(expect.any(Number));
    } finally {
      await reader.close();
    }
  });

  it('refuses to write, and reports database errors with the driver’s code', async () => {
    const reader = BackgroundReader.open(t.dataSource);
    try {
      const write = reader.query(`UPDATE "measures" SET "title" = 'geändert'`);
      await expect(write).rejects.toBeInstanceOf(BackgroundReadError);
      await expect(write).rejects.toMatchObject({
        code: ON_POSTGRES ? '25006' : expect.stringMatching(/^SQLITE_READONLY/),
      });
      const [{ n }] = await t.dataSource.query(
        `SELECT COUNT(*) AS "n" FROM "measures" WHERE "title" = 'geändert'`,
      );
      expect(Number(n)).toBe(0);

      const other = BackgroundReader.open(t.dataSource);
      try {
        await expect(other.query(`SELECT "nope" FROM "measures"`)).rejects.toMatchObject({
          name: 'BackgroundReadError',
          code: ON_POSTGRES ? '42703' : 'SQLITE_ERROR',
          message: expect.stringContaining('nope'),
        });
      } finally {
        await other.close();
      }
    } finally {
      await reader.close();
    }
  });

  it('fails every query after close, and close may be called twice', async () => {
    const reader = BackgroundReader.open(t.dataSource);
    expect(await countMeasures(reader)).toBeGreaterThan(0);
    await reader.close();
    await reader.close();
    await expect(countMeasures(reader)).rejects.toThrow(/Lese-Thread wurde beendet/);
  });

  describe('MeasureStateReader', () => {
    // The installation's one plan is the first framework row.
    const cycle = { frameworkId: 1, periodStart: '2024-01-01', periodEnd: '2025-12-31' };
    const collect = async (pages: AsyncIterable<MeasureState[]>): Promise<MeasureState[]> => {
      const all: MeasureState[] = [];
      for await (const page of pages) all.push(...page);
      return all;
    };

    /** The source, counting the queries still running whenever the caller gets a page. */
    const watched = (source: RowSource): { source: RowSource; runningAtPage: () => number[] } => {
      let running = 0;
      const seen: number[] = [];
      return {
        source: {
          isolated: source.isolated,
          dialect: source.dialect,
          query: async <T>(sql: string, parameters?: Record<string, unknown>): Promise<T[]> => {
            running++;
            try {
              return await source.query<T>(sql, parameters);
            } finally {
              running--;
            }
          },
        },
        runningAtPage: () => {
          seen.push(running);
          return seen;
        },
      };
    };

    it('gives the same states in pages of any size, from a background reader and inside a transaction', async () => {
      // One measure without any report.
      await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .send(newMeasure(await frameworkIds(t, admin), { code: '3.2-OHNE', plannedStart: '2024-03-01' }))
        .expect(201);
      const reader = BackgroundReader.open(t.dataSource);
      let whole: MeasureState[];
      let paged: MeasureState[];
      let aheadOnReader: number[] = [];
      try {
        whole = await collect(new MeasureStateReader(reader, cycle).pages(100_000));
        const { source, runningAtPage } = watched(reader);
        paged = [];
        for await (const page of new MeasureStateReader(source, cycle).pages(7)) {
          aheadOnReader = runningAtPage();
          paged.push(...page);
        }
      } finally {
        await reader.close();
      }
      // As when a cycle is closed: in a transaction, the caller's own statements between the pages.
      let aheadInTransaction: number[] = [];
      const inTransaction = await t.dataSource.transaction(async (manager) => {
        const { source, runningAtPage } = watched(managerRows(manager));
        const all: MeasureState[] = [];
        for await (const page of new MeasureStateReader(source, cycle).pages(7)) {
          aheadInTransaction = runningAtPage();
          await manager.query('SELECT 1');
          all.push(...page);
        }
        return all;
      });
      expect(whole.length).toBeGreaterThan(14);
      expect(paged).toEqual(whole);
      expect(inTransaction).toEqual(whole);
      // The background reader reads the next page while the caller has this one; a transaction's shared
      // connection is left to the caller between pages.
      expect(aheadOnReader.filter((n) => n > 0).length).toBeGreaterThan(0);
      expect(aheadInTransaction.every((n) => n === 0)).toBe(true);
      expect(whole.map((s) => s.code)).toEqual(
        [...whole]
          .sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.code.localeCompare(b.code))
          .map((s) => s.code),
      );
      expect(whole.some((s) => s.master.goalIds.length > 1)).toBe(true);
      expect(whole.some((s) => s.master.participatingDepartmentIds.length > 0)).toBe(true);
      expect(whole.some((s) => s.reportId !== null && s.summary !== '')).toBe(true);
      expect(whole.find((s) => s.code === '3.2-OHNE')).toMatchObject({
        reportId: null,
        status: null,
        summary: '',
      });
    });
  });
});
