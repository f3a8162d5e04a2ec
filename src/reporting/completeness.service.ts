/**
 * Completeness and freshness: per cycle and department, which measures are due, reported, accepted,
 * returned or missing; which are stale; and the reminder list of what each department still owes.
 * Everything is counted in SQL.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { num, queryNamed } from '../database/sql.js';
import { Department } from '../framework/department.entity.js';
import { planDepartments } from '../framework/plan-departments.js';
import { Framework } from '../framework/framework.entity.js';
import { resolvePlan } from '../framework/plans.service.js';
import {
  awaitsReportsSql,
  dueSql,
  latestReportIdSql,
  PERIOD_REPORT_STATES,
  type PeriodReportState,
  periodReportStateSql,
} from '../measures/measure-rules.js';
import type { ReportingCycle } from './reporting-cycle.entity.js';

export interface DepartmentCompleteness {
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  due: number;
  reported: number;
  accepted: number;
  awaitingReview: number;
  returned: number;
  missing: number;
  completeness: number;
}

export type ReminderReason = 'missing' | 'returned';

export interface ReminderItem {
  measureId: number;
  code: string;
  title: string;
  reason: ReminderReason;
  reasonLabel: string;
  reviewComment: string;
}

export interface DepartmentReminder {
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  cycleId: number;
  cycleCode: string;
  deadline: string;
  daysLeft: number;
  overdue: boolean;
  items: ReminderItem[];
}

export interface StaleMeasure {
  measureId: number;
  code: string;
  title: string;
  leadDepartmentId: number;
  lastReportedAt: string | null;
  daysSince: number;
}

/** Days between two ISO dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day of a stored timestamp: SQLite gives 'YYYY-MM-DD HH:MM:SS', PostgreSQL a Date in local time. */
function dayOf(value: unknown): string {
  if (value instanceof Date) {
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Measures (m) due in a cycle (its plan bound as :plan, its period as :start and :end): the one rule of
 * measure-rules, so that a measure completed before the cycle is missing nowhere.
 */
const DUE = `m."frameworkId" = :plan AND ${dueSql('m')}`;

/** Whether due measure m reported in the cycle (period bound as :start and :end), per state: the one rule. */
const IN_PERIOD = Object.fromEntries(
  PERIOD_REPORT_STATES.map((state) => [state, periodReportStateSql('m', state)]),
) as Record<PeriodReportState, string>;

/** The latest report of measure m in the period, whatever its review state (it says whether it was returned). */
const LATEST_IN_PERIOD = latestReportIdSql('m."id"', {
  anyReviewState: true,
  period: { start: 'start', end: 'end' },
});

/**
 * Per measure due in the period: how many reports it has in the period, how many
 * accepted or awaiting review, and the state of its latest one. One grouped pass over the period's reports
 * (through the reportedAt index), joined to the measures.
 */
const MEASURE_STATE_SQL = `
  SELECT m."id" AS "measureId", m."code", m."sortKey", m."title", m."leadDepartmentId",
         COALESCE(s."reports", 0) AS "reports", COALESCE(s."accepted", 0) AS "accepted",
         COALESCE(s."submitted", 0) AS "submitted", l."reviewState" AS "lastState", l."reviewComment" AS "lastComment"
    FROM "measures" m
    LEFT JOIN (
      SELECT r."measureId", COUNT(*) AS "reports",
             SUM(CASE WHEN r."reviewState" = 'accepted' THEN 1 ELSE 0 END) AS "accepted",
             SUM(CASE WHEN r."reviewState" = 'submitted' THEN 1 ELSE 0 END) AS "submitted"
        FROM "status_reports" r
       WHERE r."reportedAt" BETWEEN :start AND :end
       GROUP BY r."measureId") s ON s."measureId" = m."id"
    LEFT JOIN "status_reports" l ON s."measureId" IS NOT NULL AND l."id" = ${LATEST_IN_PERIOD}
   WHERE ${DUE}`;

@Injectable()
export class CompletenessService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Per department: the due measures (found through the index on lifecycle, department and start), and among
   * them those reported, accepted, awaiting review or returned in the period (each read through the
   * (measureId, reportedAt) index).
   */
  async completeness(
    cycle: ReportingCycle,
    departmentId?: number,
    allDepartments?: Department[],
  ): Promise<DepartmentCompleteness[]> {
    const manager = this.dataSource.manager;
    const parameters = {
      plan: cycle.frameworkId,
      start: cycle.periodStart,
      end: cycle.periodEnd,
      departmentId,
    };
    const scope = `${DUE} ${departmentId ? 'AND m."leadDepartmentId" = :departmentId' : ''}`;
    // One pass over the due measures; each count is the shared rule of what "reported in the cycle" means, so
    // the measure list filtered by cycle and reporting state (GET /api/measures?cycleId=…&due=…) lists the same.
    const rows = await queryNamed<Record<string, unknown>>(
      manager,
      `SELECT m."leadDepartmentId" AS "departmentId", COUNT(*) AS "due",
              SUM(CASE WHEN ${IN_PERIOD.reported} THEN 1 ELSE 0 END) AS "reported",
              SUM(CASE WHEN ${IN_PERIOD.accepted} THEN 1 ELSE 0 END) AS "accepted",
              SUM(CASE WHEN ${IN_PERIOD.awaitingReview} THEN 1 ELSE 0 END) AS "awaitingReview",
              SUM(CASE WHEN ${IN_PERIOD.returned} THEN 1 ELSE 0 END) AS "returned"
         FROM "measures" m WHERE ${scope} GROUP BY m."leadDepartmentId"`,
      parameters,
    );
    const byDepartment = new Map(rows.map((r) => [num(r.departmentId), r]));
    const departments = allDepartments ?? (await planDepartments(manager, cycle.frameworkId));
    return departments
      .filter((d) => !departmentId || d.id === departmentId)
      .map((d) => {
        const row: Record<string, unknown> = byDepartment.get(d.id) ?? {};
        const due = num(row.due);
        const reported = num(row.reported);
        return {
          departmentId: d.id,
          departmentCode: d.code,
          departmentName: d.name,
          due,
          reported,
          accepted: num(row.accepted),
          awaitingReview: num(row.awaitingReview),
          returned: num(row.returned),
          missing: due - reported,
          completeness: due === 0 ? 100 : Math.round((reported / due) * 1000) / 10,
        };
      });
  }

  /** What each department still owes for the cycle: missing reports and returned ones, with the deadline. */
  async reminders(
    cycle: ReportingCycle,
    today: string,
    departmentId?: number,
  ): Promise<DepartmentReminder[]> {
    const rows = await queryNamed<{
      measureId: number;
      code: string;
      title: string;
      leadDepartmentId: number;
      reports: number;
      lastComment: string | null;
    }>(
      this.dataSource.manager,
      `SELECT * FROM (${MEASURE_STATE_SQL} AND (${IN_PERIOD.missing} OR ${IN_PERIOD.returned})) s
        WHERE 1 = 1 ${departmentId ? 'AND s."leadDepartmentId" = :departmentId' : ''}
        ORDER BY s."sortKey", s."code"`,
      { plan: cycle.frameworkId, start: cycle.periodStart, end: cycle.periodEnd, departmentId },
    );
    const departments = await planDepartments(this.dataSource.manager, cycle.frameworkId);
    const daysLeft = daysBetween(today, cycle.inputDeadline);
    return departments
      .filter((d) => !departmentId || d.id === departmentId)
      .map((d) => ({
        departmentId: d.id,
        departmentCode: d.code,
        departmentName: d.name,
        cycleId: cycle.id,
        cycleCode: cycle.code,
        deadline: cycle.inputDeadline,
        daysLeft,
        overdue: daysLeft < 0,
        items: rows
          .filter((r) => num(r.leadDepartmentId) === d.id)
          .map((r) => {
            const reason: ReminderReason = num(r.reports) === 0 ? 'missing' : 'returned';
            return {
              measureId: num(r.measureId),
              code: r.code,
              title: r.title,
              reason,
              reasonLabel: reason === 'missing' ? 'Meldung fehlt' : 'zurückgegeben, Korrektur fehlt',
              reviewComment: reason === 'returned' ? (r.lastComment ?? '') : '',
            };
          }),
      }))
      .filter((reminder) => reminder.items.length > 0);
  }

  /**
   * Measures still asked for reports (active, not completed) whose latest accepted report (or, without one,
   * their creation) is older than the interval.
   */
  async stale(
    today: string,
    filter: { where: string; parameters: Record<string, unknown> } = { where: '', parameters: {} },
    limit = 20,
    frameworkId?: number,
  ): Promise<{ total: number; staleAfterDays: number; items: StaleMeasure[] }> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    const framework = await this.dataSource.manager.findOneBy(Framework, { id: plan });
    const staleAfterDays = framework?.staleAfterDays ?? 180;
    const cutoff = addDays(today, -staleAfterDays);
    // Without an accepted report, the day the measure was created counts. Both parts are read in date order
    // from the (lifecycle, statusDate, code) index, so the first few do not need every stale measure sorted.
    // The plan as `+ 0`: the rows are still read through the date-ordered index, not the plan's.
    const active = `FROM "measures" m WHERE m."frameworkId" + 0 = :stalePlan AND ${awaitsReportsSql('m')}`;
    const parameters = { ...filter.parameters, cutoff, stalePlan: plan };
    const take = Math.max(0, Math.floor(limit));
    const [count] = await queryNamed<{ n: number }>(
      this.dataSource.manager,
      `SELECT COUNT(*) AS "n" ${active}
          AND (m."statusDate" < :cutoff OR (m."statusDate" IS NULL AND m."createdAt" < :cutoff)) ${filter.where}`,
      parameters,
    );
    type Row = { id: number; code: string; title: string; leadDepartmentId: number; since: unknown };
    const reported = await queryNamed<Row>(
      this.dataSource.manager,
      `SELECT m."id", m."code", m."title", m."leadDepartmentId", m."statusDate" AS "since" ${active}
          AND m."statusDate" < :cutoff ${filter.where}
        ORDER BY m."statusDate" ASC, m."code" ASC LIMIT ${take}`,
      parameters,
    );
    const never = await queryNamed<Row>(
      this.dataSource.manager,
      `SELECT m."id", m."code", m."title", m."leadDepartmentId", m."createdAt" AS "since" ${active}
          AND m."statusDate" IS NULL AND m."createdAt" < :cutoff ${filter.where}
        ORDER BY m."createdAt" ASC, m."code" ASC LIMIT ${take}`,
      parameters,
    );
    const items = [
      ...reported.map((r) => ({ row: r, since: String(r.since), lastReportedAt: String(r.since) })),
      ...never.map((r) => ({ row: r, since: dayOf(r.since), lastReportedAt: null })),
    ]
      .sort((x, y) => x.since.localeCompare(y.since) || x.row.code.localeCompare(y.row.code))
      .slice(0, take);
    return {
      total: num(count?.n),
      staleAfterDays,
      items: items.map(({ row, since, lastReportedAt }) => ({
        measureId: num(row.id),
        code: row.code,
        title: row.title,
        leadDepartmentId: num(row.leadDepartmentId),
        lastReportedAt,
        daysSince: daysBetween(since, today),
      })),
    };
  }
}
