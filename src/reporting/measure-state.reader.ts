/**
 * Reads each measure's state for a cycle, page by page in natural code order: its master data as it is now and its
 * latest accepted report within the cycle's period (or none). Closing a cycle freezes exactly these rows;
 * a draft report of an open cycle shows them live. Pages keep memory flat however many measures there are.
 */
import type { EntityManager } from 'typeorm';
import { num, queryNamed } from '../database/sql.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import type { MeasureLevel, MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';
import type { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import type { ReportingCycle } from './reporting-cycle.entity.js';

export type MeasureState = Omit<CycleSnapshotItem, 'id' | 'snapshotId' | 'snapshot'>;

interface MeasureRow {
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
  budget: number | null;
  lifecycle: MeasureLifecycle;
  lifecycleReason: string;
  isExample: number | boolean;
}

interface ReportRow {
  id: number;
  measureId: number;
  status: MeasureStatus;
  progress: number;
  reportedAt: string;
  summary: string;
  obstacles: string;
  nextSteps: string;
}

export const PAGE_SIZE = 1000;

/** One measure's status in the cycle: what the summary counts need, without the texts. */
export interface MeasureStatusRow {
  measureId: number;
  code: string;
  actionFieldId: number;
  leadDepartmentId: number;
  lifecycle: MeasureLifecycle;
  isExample: boolean;
  reportId: number | null;
  status: MeasureStatus | null;
  progress: number | null;
}

/**
 * What an earlier pass over every measure found (see `statusRows`, `goalLinks`): the pages then fetch each
 * measure's report by its id instead of looking for the latest one again, and take the goals from here.
 */
export interface KnownStates {
  reportIds: Map<number, number | null>;
  goalIds: Map<number, number[]>;
}

/** The latest accepted report in the period of measure m, through the (measureId, reportedAt) index. */
const LATEST_REPORT_ID = `(
  SELECT x."id" FROM "status_reports" x
   WHERE x."measureId" = m."id" AND x."reviewState" = 'accepted' AND x."reportedAt" BETWEEN :start AND :end
   ORDER BY x."reportedAt" DESC, x."id" DESC LIMIT 1)`;

export class MeasureStateReader {
  private lookups?: {
    goals: Map<number, Goal>;
    fields: Map<number, ActionField>;
    departments: Map<number, Department>;
  };

  constructor(
    private readonly manager: EntityManager,
    private readonly cycle: Pick<ReportingCycle, 'periodStart' | 'periodEnd'>,
  ) {}

  /**
   * Every measure that had started by the period's end with its latest accepted report's status, in one
   * pass (no order): the numbers of the report's summary sheets, and the report ids for `pages`.
   */
  async statusRows(): Promise<MeasureStatusRow[]> {
    const rows = await queryNamed<Record<string, unknown>>(
      this.manager,
      `SELECT m."id", m."code", m."actionFieldId", m."leadDepartmentId", m."lifecycle", m."isExample",
              r."id" AS "reportId", r."status", r."progress"
         FROM "measures" m
         LEFT JOIN "status_reports" r ON r."id" = ${LATEST_REPORT_ID}
        WHERE m."plannedStart" IS NULL OR m."plannedStart" <= :end`,
      { start: this.cycle.periodStart, end: this.cycle.periodEnd },
    );
    return rows.map((row) => ({
      measureId: num(row.id),
      code: String(row.code),
      actionFieldId: num(row.actionFieldId),
      leadDepartmentId: num(row.leadDepartmentId),
      lifecycle: row.lifecycle as MeasureLifecycle,
      isExample: row.isExample === true || row.isExample === 1,
      reportId: row.reportId === null ? null : num(row.reportId),
      status: (row.status as MeasureStatus | null) ?? null,
      progress: row.progress === null || row.progress === undefined ? null : num(row.progress),
    }));
  }

  /** The goals of every measure, in goal id order (as the pages list them). */
  async goalLinks(): Promise<Map<number, number[]>> {
    return this.links(`SELECT "measureId", "goalId" AS "id" FROM "measure_goals" ORDER BY "goalId"`);
  }

  /**
   * Measures that had started by the period's end, in code order, one page at a time. With `known` (from an
   * earlier pass), a page whose measures were all known fetches their reports by id.
   */
  async *pages(pageSize = PAGE_SIZE, known?: KnownStates): AsyncGenerator<MeasureState[]> {
    let after: { sortKey: string; code: string } | null = null;
    for (;;) {
      const measures: MeasureRow[] = await queryNamed<MeasureRow>(
        this.manager,
        `SELECT "id", "code", "sortKey", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups",
                "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "isExample"
           FROM "measures"
          WHERE ("plannedStart" IS NULL OR "plannedStart" <= :end)
            ${after ? 'AND ("sortKey", "code") > (:afterKey, :afterCode)' : ''}
          ORDER BY "sortKey", "code" LIMIT ${pageSize}`,
        { end: this.cycle.periodEnd, afterKey: after?.sortKey, afterCode: after?.code },
      );
      if (measures.length === 0) return;
      yield await this.states(measures, known);
      const last: MeasureRow = measures[measures.length - 1];
      after = { sortKey: last.sortKey, code: last.code };
      if (measures.length < pageSize) return;
    }
  }

  private async states(measures: MeasureRow[], known?: KnownStates): Promise<MeasureState[]> {
    const lookups = await this.loadLookups();
    const ids = measures.map((m) => num(m.id));
    const columns = `r."id", r."measureId", r."status", r."progress", r."reportedAt", r."summary", r."obstacles", r."nextSteps"`;
    // A measure added since the earlier pass: look its page up afresh.
    const useKnown = known !== undefined && ids.every((id) => known.reportIds.has(id));
    let reports: ReportRow[];
    if (useKnown) {
      const reportIds = ids.map((id) => known.reportIds.get(id)).filter((id) => id != null);
      reports = reportIds.length
        ? await queryNamed<ReportRow>(
            this.manager,
            `SELECT ${columns} FROM "status_reports" r WHERE r."id" IN (:...reportIds)`,
            { reportIds },
          )
        : [];
    } else {
      reports = await queryNamed<ReportRow>(
        this.manager,
        `SELECT ${columns}
           FROM "measures" m
           JOIN "status_reports" r ON r."id" = ${LATEST_REPORT_ID}
          WHERE m."id" IN (:...ids)`,
        { ids, start: this.cycle.periodStart, end: this.cycle.periodEnd },
      );
    }
    const reportByMeasure = new Map(reports.map((r) => [num(r.measureId), r]));
    const goalLinks = useKnown
      ? known.goalIds
      : await this.links(
          `SELECT "measureId", "goalId" AS "id" FROM "measure_goals" WHERE "measureId" IN (:...ids) ORDER BY "goalId"`,
          { ids },
        );
    const departmentLinks = await this.links(
      `SELECT "measureId", "departmentId" AS "id" FROM "measure_participating_departments" WHERE "measureId" IN (:...ids) ORDER BY "departmentId"`,
      { ids },
    );
    return measures.map((m) => {
      const id = num(m.id);
      const report = reportByMeasure.get(id);
      const goalIds = goalLinks.get(id) ?? [];
      const participating = departmentLinks.get(id) ?? [];
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
        reportId: report ? num(report.id) : null,
        status: report?.status ?? null,
        progress: report ? num(report.progress) : null,
        reportedAt: report?.reportedAt ?? null,
        summary: report?.summary ?? '',
        obstacles: report?.obstacles ?? '',
        nextSteps: report?.nextSteps ?? '',
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
          participatingDepartmentCodes: participating.map(
            (d) => lookups.departments.get(d)?.code ?? String(d),
          ),
          plannedStart: m.plannedStart,
          plannedEnd: m.plannedEnd,
          budget: m.budget === null ? null : Number(m.budget),
          lifecycleReason: m.lifecycleReason,
        },
      };
    });
  }

  private async links(sql: string, parameters: Record<string, unknown> = {}): Promise<Map<number, number[]>> {
    const map = new Map<number, number[]>();
    for (const row of await queryNamed<{ measureId: number; id: number }>(this.manager, sql, parameters)) {
      const list = map.get(num(row.measureId)) ?? [];
      list.push(num(row.id));
      map.set(num(row.measureId), list);
    }
    return map;
  }

  private async loadLookups(): Promise<NonNullable<MeasureStateReader['lookups']>> {
    this.lookups ??= {
      goals: new Map((await this.manager.find(Goal)).map((g) => [g.id, g])),
      fields: new Map((await this.manager.find(ActionField)).map((f) => [f.id, f])),
      departments: new Map((await this.manager.find(Department)).map((d) => [d.id, d])),
    };
    return this.lookups;
  }
}
