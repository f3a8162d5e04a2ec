/**
 * The rules that say what a measure's status is, each in one place: as a pure function and as the SQL
 * fragment that does the same in a query (the same text runs on SQLite and PostgreSQL). The dashboard, the
 * measure list, the report, the snapshot, completeness and the template all build on these; the specs beside
 * this file check that function and fragment agree.
 */
import { MEASURE_STATUSES, type MeasureLifecycle, type MeasureStatus } from './measure.constants.js';

/** Status keys: the six statuses plus "none" (keine Meldung). */
export const STATUS_KEYS = [...MEASURE_STATUSES, 'none'] as const;
export type StatusKey = (typeof STATUS_KEYS)[number];

// ---------------------------------------------------------------------------------------------------------
// Status key: "eingestellt" when the lifecycle says so, else the latest accepted report's status, else none.
// Merged measures are not counted at all: they live on in the measure they were merged into.

export function statusKeyOf(state: { lifecycle: MeasureLifecycle; status: MeasureStatus | null }): StatusKey {
  if (state.lifecycle === 'discontinued') return 'discontinued';
  return state.status ?? 'none';
}

/** Whether a measure counts in status figures (lists by status, dashboard, report summary). */
export function isCounted(lifecycle: MeasureLifecycle): boolean {
  return lifecycle !== 'merged';
}

/** SQL: the status key of the row `alias` (its lifecycle), with its status in `status` (default: its own). */
export function statusKeySql(alias: string, status = `${alias}."status"`): string {
  return `CASE WHEN ${alias}."lifecycle" = 'discontinued' THEN 'discontinued' ELSE COALESCE(${status}, 'none') END`;
}

/** SQL: the row `alias` counts in status figures. */
export function countedSql(alias: string): string {
  return `${alias}."lifecycle" <> 'merged'`;
}

/**
 * SQL: the row's status key is one of `keys` (the same set as `statusKeySql(alias) IN keys`, written so that
 * the indexes on status and lifecycle can be used). `parameter` names the bound list of reported statuses.
 */
export function statusKeyInSql(
  alias: string,
  keys: readonly StatusKey[],
  parameter = 'statusKeys',
): { sql: string; parameters: Record<string, unknown> } {
  const reported = keys.filter(
    (k): k is Exclude<StatusKey, 'none' | 'discontinued'> => k !== 'none' && k !== 'discontinued',
  );
  const parts: string[] = [];
  if (keys.includes('discontinued'))
    parts.push(`(${alias}."lifecycle" = 'discontinued' OR ${alias}."status" = 'discontinued')`);
  if (reported.length)
    parts.push(`(${alias}."lifecycle" <> 'discontinued' AND ${alias}."status" IN (:...${parameter}))`);
  if (keys.includes('none'))
    parts.push(`(${alias}."lifecycle" <> 'discontinued' AND ${alias}."status" IS NULL)`);
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '1 = 0', parameters: { [parameter]: reported } };
}

// ---------------------------------------------------------------------------------------------------------
// Latest report: the one with the latest reporting date, and of two on the same date the one entered last.

export interface Dated {
  id: number;
  reportedAt: string;
}

/** Whether report a is later than report b. */
export function isLater(a: Dated, b: Dated): boolean {
  return a.reportedAt > b.reportedAt || (a.reportedAt === b.reportedAt && a.id > b.id);
}

/** The order that puts the latest report first (for TypeORM's `order`). */
export const LATEST_FIRST = { reportedAt: 'DESC', id: 'DESC' } as const;

/**
 * The latest report among `reports` (accepted ones only unless `anyReviewState`), within `period` if given.
 * A measure's current status is its latest accepted report.
 */
export function latestReport<T extends Dated & { reviewState: string }>(
  reports: readonly T[],
  options: { period?: { start: string; end: string }; anyReviewState?: boolean } = {},
): T | null {
  let latest: T | null = null;
  for (const report of reports) {
    if (!options.anyReviewState && report.reviewState !== 'accepted') continue;
    const { period } = options;
    if (period && (report.reportedAt < period.start || report.reportedAt > period.end)) continue;
    if (!latest || isLater(report, latest)) latest = report;
  }
  return latest;
}

type LatestReportOptions = {
  period?: { start: string; end: string };
  anyReviewState?: boolean;
  alias?: string;
};

/**
 * SQL: `FROM … WHERE … ORDER BY … LIMIT 1` that finds the latest report (as the alias, default `lr`) of the
 * measure `measureRef` (e.g. `m."id"`): accepted ones only unless `anyReviewState`, within the period whose
 * bounds are bound under the names in `period`. Runs through the (measureId, reportedAt) index.
 */
export function latestReportSql(measureRef: string, options: LatestReportOptions = {}): string {
  const x = options.alias ?? 'lr';
  const conditions = [`${x}."measureId" = ${measureRef}`];
  if (!options.anyReviewState) conditions.push(`${x}."reviewState" = 'accepted'`);
  if (options.period)
    conditions.push(`${x}."reportedAt" BETWEEN :${options.period.start} AND :${options.period.end}`);
  return `FROM "status_reports" ${x} WHERE ${conditions.join(' AND ')}
            ORDER BY ${x}."reportedAt" DESC, ${x}."id" DESC LIMIT 1`;
}

/** SQL: the id of that latest report (a scalar subquery). */
export function latestReportIdSql(measureRef: string, options: LatestReportOptions = {}): string {
  return `(SELECT ${options.alias ?? 'lr'}."id" ${latestReportSql(measureRef, options)})`;
}

// ---------------------------------------------------------------------------------------------------------
// Owes reports: a measure is asked for reports while it is active and its latest accepted report does not say
// "umgesetzt". A completed, discontinued or merged measure is not due again and not stale.

/** Whether a measure, as it stands now, is still asked for reports (freshness, reminders). */
export function awaitsReports(state: { lifecycle: MeasureLifecycle; status: MeasureStatus | null }): boolean {
  return state.lifecycle === 'active' && state.status !== 'completed';
}

/** SQL: the row `alias` is still asked for reports (its status is the latest accepted report's). */
export function awaitsReportsSql(alias: string): string {
  return `(${alias}."lifecycle" = 'active' AND (${alias}."status" IS NULL OR ${alias}."status" <> 'completed'))`;
}

/**
 * Whether a measure is due to report in a cycle's period: active, started by the period's end, and not
 * already completed when the period began (its latest accepted report before the start says "umgesetzt").
 * A measure completed within the period is due, and has reported.
 */
export function isDue(
  measure: { lifecycle: MeasureLifecycle; plannedStart: string | null },
  reports: readonly (Dated & { reviewState: string; status: MeasureStatus })[],
  period: { start: string; end: string },
): boolean {
  if (measure.lifecycle !== 'active' || !startedBy(measure, period.end)) return false;
  const before = latestReport(reports.filter((r) => r.reportedAt < period.start));
  return before?.status !== 'completed';
}

/**
 * SQL: the row `alias` is due in the period whose bounds are bound under the names in `period` (the same as
 * `isDue`). Reads the latest accepted report before the start through the (measureId, reportedAt) index.
 */
export function dueSql(
  alias: string,
  period: { start: string; end: string } = { start: 'start', end: 'end' },
): string {
  const x = `${alias.replace(/"/g, '')}_before`;
  const statusBefore = `(SELECT ${x}."status" FROM "status_reports" ${x}
            WHERE ${x}."measureId" = ${alias}."id" AND ${x}."reviewState" = 'accepted' AND ${x}."reportedAt" < :${period.start}
            ORDER BY ${x}."reportedAt" DESC, ${x}."id" DESC LIMIT 1)`;
  return `(${alias}."lifecycle" = 'active' AND ${startedBySql(alias, period.end)}
          AND COALESCE(${statusBefore}, 'none') <> 'completed')`;
}

// ---------------------------------------------------------------------------------------------------------
// Started: a measure belongs to a period once it has started by the period's end (no planned start: always).

export function startedBy(measure: { plannedStart: string | null }, date: string): boolean {
  return measure.plannedStart === null || measure.plannedStart <= date;
}

/** SQL: the row `alias` had started by the date bound as `:parameter`. */
export function startedBySql(alias: string, parameter = 'end'): string {
  return `(${alias}."plannedStart" IS NULL OR ${alias}."plannedStart" <= :${parameter})`;
}

// ---------------------------------------------------------------------------------------------------------
// Reported in a cycle: what a due measure's reports within the cycle's period say, as the completeness figures
// count them. "reported" is any report in the period, whatever its review state; "missing" is none; "accepted"
// and "awaitingReview" are at least one accepted or submitted report in the period; "returned" is a measure
// whose latest report in the period was returned (the correction is still owed).

export const PERIOD_REPORT_STATES = [
  'reported',
  'accepted',
  'awaitingReview',
  'returned',
  'missing',
] as const;
export type PeriodReportState = (typeof PERIOD_REPORT_STATES)[number];

/** Whether a measure's reports (all of them, any review state) are in `state` for the period. */
export function hasPeriodReportState(
  reports: readonly (Dated & { reviewState: string })[],
  period: { start: string; end: string },
  state: PeriodReportState,
): boolean {
  const within = reports.filter((r) => r.reportedAt >= period.start && r.reportedAt <= period.end);
  switch (state) {
    case 'reported':
      return within.length > 0;
    case 'missing':
      return within.length === 0;
    case 'accepted':
      return within.some((r) => r.reviewState === 'accepted');
    case 'awaitingReview':
      return within.some((r) => r.reviewState === 'submitted');
    case 'returned':
      return latestReport(within, { anyReviewState: true })?.reviewState === 'returned';
  }
}

/**
 * SQL: the row `alias` is in `state` for the period whose bounds are bound under the names in `period` (the
 * same as `hasPeriodReportState`). Reads the period's reports through the (measureId, reportedAt) index.
 */
export function periodReportStateSql(
  alias: string,
  state: PeriodReportState,
  period: { start: string; end: string } = { start: 'start', end: 'end' },
): string {
  const x = `${alias.replace(/"/g, '')}_period`;
  const inPeriod = (reviewState?: string): string =>
    `EXISTS (SELECT 1 FROM "status_reports" ${x} WHERE ${x}."measureId" = ${alias}."id"
            AND ${x}."reportedAt" BETWEEN :${period.start} AND :${period.end}${reviewState ? ` AND ${x}."reviewState" = '${reviewState}'` : ''})`;
  switch (state) {
    case 'reported':
      return inPeriod();
    case 'missing':
      return `NOT ${inPeriod()}`;
    case 'accepted':
      return inPeriod('accepted');
    case 'awaitingReview':
      return inPeriod('submitted');
    case 'returned':
      return `COALESCE((SELECT ${x}."reviewState" ${latestReportSql(`${alias}."id"`, { anyReviewState: true, period, alias: x })}), '') = 'returned'`;
  }
}
