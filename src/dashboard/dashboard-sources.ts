/**
 * Where the dashboard counts from, as SQL: live measures, an open cycle's latest accepted reports, or a closed
 * cycle's snapshot (one row per measure, with its status key and progress); the filters as WHERE fragments on
 * those rows; and the live numbers straight from the status-count tables the database keeps.
 */
import type { EntityManager } from 'typeorm';
import { queryNamed } from '../database/sql.js';
import { countedSql, latestReportIdSql, startedBySql, statusKeySql } from '../measures/measure-rules.js';
import type { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';

export interface Source {
  sql: string;
  goalSql: string;
  parameters: Record<string, unknown>;
}

export function liveSource(): Source {
  return {
    sql: `SELECT m."id" AS "measureId", m."code", m."sortKey", m."actionFieldId", m."leadDepartmentId", m."level", m."targetGroups",
                 m."isExample",
                 ${statusKeySql('m')} AS "statusKey",
                 m."progress"
            FROM "measures" m WHERE ${countedSql('m')}`,
    goalSql: `SELECT "measureId", "goalId" FROM "measure_goals"`,
    parameters: {},
  };
}

/**
 * An open cycle: measures started by its end, each with its latest accepted report within the period, found
 * per measure through the (measureId, reportedAt) index: linear in the number of measures on both databases.
 */
export function cycleSource(cycle: Pick<ReportingCycle, 'periodStart' | 'periodEnd'>): Source {
  return {
    sql: `SELECT m."id" AS "measureId", m."code", m."sortKey", m."actionFieldId", m."leadDepartmentId", m."level", m."targetGroups",
                 m."isExample",
                 ${statusKeySql('m', 'x."status"')} AS "statusKey",
                 x."progress"
            FROM "measures" m
            LEFT JOIN "status_reports" x
              ON x."id" = ${latestReportIdSql('m."id"', { period: { start: 'cycleStart', end: 'cycleEnd' } })}
           WHERE ${countedSql('m')} AND ${startedBySql('m', 'cycleEnd')}`,
    goalSql: `SELECT "measureId", "goalId" FROM "measure_goals"`,
    parameters: { cycleStart: cycle.periodStart, cycleEnd: cycle.periodEnd },
  };
}

export function snapshotSource(snapshotId: number, prefix = 'snap'): Source {
  const p = `${prefix}Id`;
  return {
    sql: `SELECT i."measureId", i."code", i."sortKey", i."actionFieldId", i."leadDepartmentId", i."level", i."targetGroups", i."isExample",
                 ${statusKeySql('i')} AS "statusKey",
                 i."progress"
            FROM "cycle_snapshot_items" i WHERE i."snapshotId" = :${p} AND ${countedSql('i')}`,
    goalSql: `SELECT i."measureId", g."goalId" FROM "cycle_snapshot_item_goals" g
                JOIN "cycle_snapshot_items" i ON i."id" = g."itemId" WHERE i."snapshotId" = :${p}`,
    parameters: { [p]: snapshotId },
  };
}

/**
 * The filters on the columns that every source and the status-count tables have. The plan is its action
 * fields' (a snapshot's items keep theirs, and the status counts have no plan column of their own).
 */
function columnFilters(
  query: DashboardQueryDto,
  alias: string,
  parts: string[],
  parameters: Record<string, unknown>,
): void {
  if (query.frameworkId) {
    parts.push(
      `${alias}."actionFieldId" IN (SELECT pf."id" FROM "action_fields" pf WHERE pf."frameworkId" = :fPlan)`,
    );
    parameters.fPlan = query.frameworkId;
  }
  if (query.actionFieldId?.length) {
    parts.push(`${alias}."actionFieldId" IN (:...fFieldIds)`);
    parameters.fFieldIds = query.actionFieldId;
  }
  if (query.departmentId?.length) {
    parts.push(`${alias}."leadDepartmentId" IN (:...fDepartmentIds)`);
    parameters.fDepartmentIds = query.departmentId;
  }
  if (query.level?.length) {
    parts.push(`${alias}."level" IN (:...fLevels)`);
    parameters.fLevels = query.level;
  }
}

/** WHERE fragments for the filters, on the source's columns (alias s) or on the measures table (alias m). */
export function filterSql(
  query: DashboardQueryDto,
  source: Source,
  alias = 's',
): { where: string; parameters: Record<string, unknown> } {
  const parts: string[] = [];
  const parameters: Record<string, unknown> = { ...source.parameters };
  const id = alias === 'm' ? `${alias}."id"` : `${alias}."measureId"`;
  columnFilters(query, alias, parts, parameters);
  if (query.targetGroup) {
    parts.push(`${alias}."targetGroups" LIKE :fTargetGroup ESCAPE '\\'`);
    parameters.fTargetGroup = `%${JSON.stringify(query.targetGroup).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (query.goalId?.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM (${source.goalSql}) fg WHERE fg."measureId" = ${id} AND fg."goalId" IN (:...fGoalIds))`,
    );
    parameters.fGoalIds = query.goalId;
  }
  return { where: parts.map((p) => `AND ${p}`).join(' '), parameters };
}

/**
 * The live numbers from the status counts that the database's triggers keep in step with every change to a
 * measure or its goals (see the StatusCounts migration): a sum over a few hundred rows, however many measures
 * there are. A target-group filter needs the measures themselves, and so do the totals when several goals
 * are selected (a measure with two of them counts once); then the caller scans the measures instead.
 */
export async function countedRows(
  manager: EntityManager,
  query: DashboardQueryDto,
): Promise<{
  combined: Record<string, unknown>[] | null;
  goalRows: Record<string, unknown>[];
}> {
  const parts: string[] = [`c."statusKey" <> 'merged'`, `c."measures" <> 0`];
  const parameters: Record<string, unknown> = {};
  columnFilters(query, 'c', parts, parameters);
  const where = parts.join(' AND ');
  const figures = `SUM(c."measures") AS "n", SUM(c."progressSum") AS "progressSum", SUM(c."progressCount") AS "progressCount"`;
  const goals = query.goalId ?? [];
  const goalRows = await queryNamed<Record<string, unknown>>(
    manager,
    `SELECT c."goalId" AS "groupId", c."statusKey", ${figures}
       FROM "measure_goal_status_counts" c
      WHERE ${where} ${goals.length ? 'AND c."goalId" IN (:...fGoalIds)' : ''}
      GROUP BY c."goalId", c."statusKey"`,
    { ...parameters, fGoalIds: goals },
  );
  if (goals.length > 1) return { combined: null, goalRows };
  const combined = await queryNamed<Record<string, unknown>>(
    manager,
    `SELECT c."actionFieldId" AS "fieldId", c."leadDepartmentId" AS "departmentId", c."statusKey", ${figures},
            SUM(CASE WHEN c."isExample" THEN c."measures" ELSE 0 END) AS "examples"
       FROM ${goals.length ? `"measure_goal_status_counts" c WHERE c."goalId" = :fGoalId AND` : `"measure_status_counts" c WHERE`} ${where}
      GROUP BY c."actionFieldId", c."leadDepartmentId", c."statusKey"`,
    { ...parameters, fGoalId: goals[0] },
  );
  return { combined, goalRows };
}
