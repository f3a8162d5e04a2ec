/**
 * Reads each measure's state for a cycle, page by page in natural code order: its master data as it is now and its
 * latest accepted report within the cycle's period (or none). Closing a cycle freezes exactly these rows;
 * a draft report of an open cycle shows them live. Pages keep memory flat however many reports there are.
 * It reads from a RowSource: a transaction (closing a cycle) or a BackgroundReader (the report), whose one
 * snapshot lets the next page be read while the caller works on the current one.
 */
import type { RowSource } from '../database/sql.js';
import { num } from '../database/sql.js';
import type { MeasureLevel, MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';
import { countedSql, latestReportSql, startedBySql } from '../measures/measure-rules.js';
import type { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import type { ReportingCycle } from './reporting-cycle.entity.js';

export type MeasureState = Omit<CycleSnapshotItem, 'id' | 'snapshotId' | 'snapshot'>;

/** A measure with its latest accepted report in the period (the report's columns null if there is none). */
interface PageRow {
  id: number;
  code: string;
  sortKey: string;
  title: string;
  description: string;
  actionFieldId: number;
  leadDepartmentId: number;
  level: MeasureLevel;
  targetGroups: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  budget: number | string | null;
  lifecycle: MeasureLifecycle;
  lifecycleReason: string;
  isExample: number | boolean;
  reportId: number | null;
  status: MeasureStatus | null;
  progress: number | null;
  reportedAt: string | null;
  summary: string | null;
  obstacles: string | null;
  nextSteps: string | null;
  /** Filled in from the page's link queries, in id order. */
  goalIds: number[];
  departmentIds: number[];
}

/** Rows per page: small enough that a page's objects die young (peak memory), large enough to keep queries few. */
const PAGE_SIZE = 250;

/**
 * The measures (m) a cycle's report and snapshot list: its plan's, those that had started by the period's end.
 * The plan is compared as `+ 0`, so that neither database reads the pages through the plan's index (one plan
 * holds every row) instead of the natural code order's.
 */
const STARTED_BY_PERIOD_END = `m."frameworkId" + 0 = :plan AND ${startedBySql('m', 'end')}`;

/** The latest accepted report in the period of measure m, through the (measureId, reportedAt) index. */
const LATEST_REPORT = latestReportSql('m."id"', { period: { start: 'start', end: 'end' }, alias: 'x' });

/**
 * Joins each measure m's latest report as r. PostgreSQL takes the row itself (LATERAL), which halves the
 * server's time per page; SQLite has no LATERAL and finds the row by its id.
 */
function joinLatestReport(dialect: RowSource['dialect']): string {
  return dialect === 'postgres'
    ? `LEFT JOIN LATERAL (SELECT x."id", x."status", x."progress", x."reportedAt", x."summary", x."obstacles",
                                 x."nextSteps" ${LATEST_REPORT}) r ON TRUE`
    : `LEFT JOIN "status_reports" r ON r."id" = (SELECT x."id" ${LATEST_REPORT})`;
}

/** Codes and names of goals, action fields and departments, by id. */
interface Lookups {
  goals: Map<number, { code: string }>;
  fields: Map<number, { code: string; title: string }>;
  departments: Map<number, { code: string; name: string }>;
}

/**
 * Pages along a key (`fetch(after)` gives the rows after the given one). From an isolated source each page is
 * asked for as soon as the one before has arrived, so it is read while the caller works on the page before;
 * from a shared connection only when the caller asks for it.
 */
async function* pagesAlong<R>(
  source: RowSource,
  fetch: (after: R | null) => Promise<R[]>,
  pageSize: number,
): AsyncGenerator<R[]> {
  let next: (() => Promise<R[]>) | null = () => fetch(null);
  while (next) {
    const rows: R[] = await next();
    const last = rows.at(-1);
    next = null;
    if (last !== undefined && rows.length === pageSize) {
      if (source.isolated) {
        const ahead = fetch(last);
        // Should the caller stop early, the request running ahead must not end as an unhandled rejection.
        ahead.catch(() => undefined);
        next = () => ahead;
      } else {
        next = () => fetch(last);
      }
    }
    if (rows.length) yield rows;
  }
}

/** A closed cycle's frozen states (cycle_snapshot_items), page by page in natural code order. */
export async function* snapshotPages(
  source: RowSource,
  snapshotId: number,
  pageSize = PAGE_SIZE,
): AsyncGenerator<MeasureState[]> {
  type ItemRow = Omit<MeasureState, 'targetGroups' | 'master' | 'isExample'> & {
    targetGroups: string;
    master: string;
    isExample: number | boolean;
  };
  const fetch = (after: ItemRow | null): Promise<ItemRow[]> =>
    source.query<ItemRow>(
      `SELECT "measureId", "code", "sortKey", "actionFieldId", "leadDepartmentId", "level", "lifecycle", "isExample",
              "targetGroups", "reportId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps", "master"
         FROM "cycle_snapshot_items"
        WHERE "snapshotId" = :snapshotId ${after ? 'AND ("sortKey", "code") > (:afterKey, :afterCode)' : ''}
        ORDER BY "sortKey", "code" LIMIT ${pageSize}`,
      { snapshotId, afterKey: after?.sortKey, afterCode: after?.code },
    );
  for await (const rows of pagesAlong(source, fetch, pageSize)) {
    yield rows.map((row): MeasureState => ({
      ...row,
      measureId: num(row.measureId),
      actionFieldId: num(row.actionFieldId),
      leadDepartmentId: num(row.leadDepartmentId),
      isExample: row.isExample === true || row.isExample === 1,
      targetGroups: JSON.parse(row.targetGroups) as string[],
      reportId: row.reportId === null ? null : num(row.reportId),
      progress: row.progress === null ? null : num(row.progress),
      master: JSON.parse(row.master) as MeasureState['master'],
    }));
  }
}

export class MeasureStateReader {
  private lookups?: Promise<Lookups>;

  constructor(
    private readonly source: RowSource,
    private readonly cycle: Pick<ReportingCycle, 'periodStart' | 'periodEnd' | 'frameworkId'>,
  ) {}

  /** How many of the measures `pages` gives are not merged (the rows of the report's Maßnahmen sheet). */
  async countNotMerged(): Promise<number> {
    const [row] = await this.source.query<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM "measures" m WHERE ${STARTED_BY_PERIOD_END} AND ${countedSql('m')}`,
      { end: this.cycle.periodEnd, plan: this.cycle.frameworkId },
    );
    return num(row?.n);
  }

  /**
   * Measures that had started by the period's end, in code order, one page at a time. From a
   * BackgroundReader each page is read while the caller works on the one before.
   */
  async *pages(pageSize = PAGE_SIZE): AsyncGenerator<MeasureState[]> {
    const lookups = await this.loadLookups();
    for await (const rows of pagesAlong<PageRow>(
      this.source,
      (after) => this.page(after, pageSize),
      pageSize,
    )) {
      yield rows.map((row) => this.state(row, lookups));
    }
  }

  /**
   * One page of measures with their latest reports, goals and participating departments. Within one
   * snapshot the link queries name the page by its key and go out together with the first; on a shared
   * connection, where each statement may see newer rows, they name the ids the first one returned.
   */
  private async page(after: { sortKey: string; code: string } | null, pageSize: number): Promise<PageRow[]> {
    const parameters: Record<string, unknown> = {
      start: this.cycle.periodStart,
      end: this.cycle.periodEnd,
      plan: this.cycle.frameworkId,
      afterKey: after?.sortKey,
      afterCode: after?.code,
    };
    const where = `${STARTED_BY_PERIOD_END}
      ${after ? 'AND (m."sortKey", m."code") > (:afterKey, :afterCode)' : ''}`;
    const request = this.source.query<PageRow>(
      `SELECT m."id", m."code", m."sortKey", m."title", m."description", m."actionFieldId", m."leadDepartmentId",
              m."level", m."targetGroups", m."plannedStart", m."plannedEnd", m."budget", m."lifecycle",
              m."lifecycleReason", m."isExample", r."id" AS "reportId", r."status", r."progress", r."reportedAt",
              r."summary", r."obstacles", r."nextSteps"
         FROM "measures" m
         ${joinLatestReport(this.source.dialect)}
        WHERE ${where}
        ORDER BY m."sortKey", m."code" LIMIT ${pageSize}`,
      parameters,
    );
    let measureIds = `SELECT m."id" FROM "measures" m WHERE ${where} ORDER BY m."sortKey", m."code" LIMIT ${pageSize}`;
    if (!this.source.isolated) {
      parameters.ids = (await request).map((row) => num(row.id));
      if ((parameters.ids as number[]).length === 0) return [];
      measureIds = ':...ids';
    }
    const [rows, goals, departments] = await Promise.all([
      request,
      this.links(
        `SELECT "measureId", "goalId" AS "id" FROM "measure_goals"
          WHERE "measureId" IN (${measureIds}) ORDER BY "goalId"`,
        parameters,
      ),
      this.links(
        `SELECT "measureId", "departmentId" AS "id" FROM "measure_participating_departments"
          WHERE "measureId" IN (${measureIds}) ORDER BY "departmentId"`,
        parameters,
      ),
    ]);
    for (const row of rows) {
      row.goalIds = goals.get(num(row.id)) ?? [];
      row.departmentIds = departments.get(num(row.id)) ?? [];
    }
    return rows;
  }

  private async links(sql: string, parameters: Record<string, unknown>): Promise<Map<number, number[]>> {
    const map = new Map<number, number[]>();
    for (const row of await this.source.query<{ measureId: number; id: number }>(sql, parameters)) {
      const list = map.get(num(row.measureId));
      if (list) list.push(num(row.id));
      else map.set(num(row.measureId), [num(row.id)]);
    }
    return map;
  }

  private state(m: PageRow, lookups: Lookups): MeasureState {
    const id = num(m.id);
    const hasReport = m.reportId !== null && m.reportId !== undefined;
    const goalIds = m.goalIds;
    const participating = m.departmentIds;
    const field = lookups.fields.get(num(m.actionFieldId));
    const lead = lookups.departments.get(num(m.leadDepartmentId));
    return {
      measureId: id,
      code: m.code,
      sortKey: m.sortKey,
      actionFieldId: num(m.actionFieldId),
      leadDepartmentId: num(m.leadDepartmentId),
      level: m.level,
      lifecycle: m.lifecycle,
      isExample: m.isExample === true || m.isExample === 1,
      targetGroups: JSON.parse(m.targetGroups) as string[],
      reportId: hasReport ? num(m.reportId) : null,
      status: hasReport ? m.status : null,
      progress: hasReport ? num(m.progress) : null,
      reportedAt: hasReport ? m.reportedAt : null,
      summary: m.summary ?? '',
      obstacles: m.obstacles ?? '',
      nextSteps: m.nextSteps ?? '',
      master: {
        title: m.title,
        description: m.description,
        actionFieldCode: field?.code ?? '',
        actionFieldTitle: field?.title ?? '',
        goalIds,
        goalCodes: goalIds.map((g) => lookups.goals.get(g)?.code ?? String(g)),
        leadDepartmentCode: lead?.code ?? '',
        leadDepartmentName: lead?.name ?? '',
        participatingDepartmentIds: participating,
        participatingDepartmentCodes: participating.map((d) => lookups.departments.get(d)?.code ?? String(d)),
        plannedStart: m.plannedStart,
        plannedEnd: m.plannedEnd,
        budget: m.budget === null ? null : Number(m.budget),
        lifecycleReason: m.lifecycleReason,
      },
    };
  }

  private loadLookups(): Promise<Lookups> {
    this.lookups ??= (async () => {
      const byId = async <T extends { id: number }>(sql: string): Promise<Map<number, T>> =>
        new Map((await this.source.query<T>(sql)).map((row) => [num(row.id), row]));
      return {
        goals: await byId<{ id: number; code: string }>(`SELECT "id", "code" FROM "goals"`),
        fields: await byId<{ id: number; code: string; title: string }>(
          `SELECT "id", "code", "title" FROM "action_fields"`,
        ),
        departments: await byId<{ id: number; code: string; name: string }>(
          `SELECT "id", "code", "name" FROM "departments"`,
        ),
      };
    })();
    return this.lookups;
  }
}
