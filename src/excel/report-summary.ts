/**
 * The report's summary numbers, counted while its measure rows are read rather than by a second aggregate
 * over the same data: the same rules as DashboardService (merged measures left out, "eingestellt" before
 * the reported status, the average over measures with a progress, a measure counted under each of its goals),
 * so the summary sheets agree with the dashboard and with the rows of the Maßnahmen sheet.
 */
import {
  changeOf,
  type Dashboard,
  type GroupBreakdown,
  STATUS_KEYS,
  type StatusBreakdown,
  statusBreakdown,
  type StatusKey,
} from '../dashboard/dashboard.service.js';
import type { MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';

export function statusKeyOf(state: { lifecycle: MeasureLifecycle; status: MeasureStatus | null }): StatusKey {
  if (state.lifecycle === 'discontinued') return 'discontinued';
  return state.status ?? 'none';
}

/** What the summary needs of one measure. */
export interface SummaryRow {
  measureId: number;
  actionFieldId: number;
  leadDepartmentId: number;
  lifecycle: MeasureLifecycle;
  isExample: boolean;
  status: MeasureStatus | null;
  progress: number | null;
}

interface Tally {
  counts: Record<StatusKey, number>;
  progressSum: number;
  progressCount: number;
}

function tally(): Tally {
  return {
    counts: Object.fromEntries(STATUS_KEYS.map((k) => [k, 0])) as Record<StatusKey, number>,
    progressSum: 0,
    progressCount: 0,
  };
}

function count(t: Tally, key: StatusKey, progress: number | null): void {
  t.counts[key]++;
  if (progress !== null) {
    t.progressSum += progress;
    t.progressCount++;
  }
}

function breakdown(t: Tally | undefined): StatusBreakdown {
  const { counts, progressSum, progressCount } = t ?? tally();
  return statusBreakdown(counts, progressSum, progressCount);
}

export type ReportSummary = Pick<
  Dashboard,
  'totals' | 'byGoal' | 'byActionField' | 'byDepartment' | 'containsExampleData'
>;

interface Group {
  id: number;
  code: string;
  title?: string;
  name?: string;
}

/** Totals and breakdowns per goal, action field and department (each list in the order given). */
export function summarize(
  rows: Iterable<SummaryRow>,
  goalIds: Map<number, number[]>,
  entities: { goals: Group[]; fields: Group[]; departments: Group[] },
): ReportSummary {
  const totals = tally();
  const byGoal = new Map<number, Tally>();
  const byField = new Map<number, Tally>();
  const byDepartment = new Map<number, Tally>();
  const add = (map: Map<number, Tally>, id: number, key: StatusKey, progress: number | null): void => {
    let t = map.get(id);
    if (!t) map.set(id, (t = tally()));
    count(t, key, progress);
  };
  let examples = 0;
  for (const row of rows) {
    if (row.lifecycle === 'merged') continue;
    const key = statusKeyOf(row);
    count(totals, key, row.progress);
    add(byField, row.actionFieldId, key, row.progress);
    add(byDepartment, row.leadDepartmentId, key, row.progress);
    for (const goalId of goalIds.get(row.measureId) ?? []) add(byGoal, goalId, key, row.progress);
    if (row.isExample) examples++;
  }
  const groups = (entities: Group[], map: Map<number, Tally>): GroupBreakdown[] =>
    entities.map((e) => ({
      id: e.id,
      code: e.code,
      title: e.title ?? e.name ?? '',
      ...breakdown(map.get(e.id)),
    }));
  return {
    totals: breakdown(totals),
    byGoal: groups(entities.goals, byGoal),
    byActionField: groups(entities.fields, byField),
    byDepartment: groups(entities.departments, byDepartment),
    containsExampleData: examples > 0,
  };
}

/** A measure's status in the previous closed cycle. */
export interface PreviousState {
  key: StatusKey;
  progress: number | null;
}

/** Changes against the previous closed cycle, collected row by row in the order of the rows. */
export class ChangeCollector {
  readonly items: Dashboard['changes']['items'] = [];

  constructor(private readonly previous: Map<number, PreviousState>) {}

  add(measureId: number, code: string, to: StatusKey, toProgress: number | null): void {
    const before = this.previous.get(measureId);
    const from = before?.key ?? null;
    const fromProgress = before?.progress ?? null;
    const change = changeOf(from, to, fromProgress, toProgress);
    if (change) this.items.push({ measureId, code, from, to, fromProgress, toProgress, change });
  }

  count(change: 'up' | 'down' | 'new' | 'discontinued'): number {
    return this.items.filter((i) => i.change === change).length;
  }
}
