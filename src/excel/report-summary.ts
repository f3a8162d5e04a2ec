/**
 * The report's summary numbers, counted while its measure rows are written rather than by a second pass
 * over the same data: the same rules as DashboardService (merged measures left out, "eingestellt" before
 * the reported status, the average over measures with a progress, a measure counted under each of its goals),
 * so the summary sheets agree with the dashboard and with the rows of the Maßnahmen sheet.
 */
import { StatusTally } from '../dashboard/dashboard-breakdown.js';
import {
  changeOf,
  type Dashboard,
  type GroupBreakdown,
  type StatusBreakdown,
  type StatusKey,
} from '../dashboard/dashboard.service.js';
import type { MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';
import { isCounted, statusKeyOf } from '../measures/measure-rules.js';

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

function breakdown(t: StatusTally | undefined): StatusBreakdown {
  return (t ?? new StatusTally()).breakdown();
}

export type ReportSummary = Pick<
  Dashboard,
  'totals' | 'byGoal' | 'byActionField' | 'byDepartment' | 'byArea' | 'containsExampleData'
>;

interface Group {
  id: number;
  code: string;
  title?: string;
  name?: string;
}

/** The goals, action fields and departments the summary lists, each in its order. */
export interface SummaryEntities {
  goals: Group[];
  fields: Group[];
  departments: Group[];
  /** The plan's areas (e.g. Bezirksregionen); none: no breakdown by area. */
  areas?: Group[];
}

/**
 * Totals and breakdowns per goal, action field and department, counted row by row while the Maßnahmen sheet
 * is written, so that the summary sheets count exactly the rows of that sheet.
 */
export class SummaryCounter {
  private readonly totals = new StatusTally();
  private readonly byGoal = new Map<number, StatusTally>();
  private readonly byField = new Map<number, StatusTally>();
  private readonly byDepartment = new Map<number, StatusTally>();
  private readonly byArea = new Map<number, StatusTally>();
  private examples = 0;

  /** `areasOf`: measureId → the areas it names now (a measure is counted under each). */
  constructor(private readonly areasOf: Map<number, number[]> = new Map()) {}

  /** One measure, counted under each of its goals; merged measures are left out. */
  add(row: SummaryRow, goalIds: readonly number[]): void {
    if (!isCounted(row.lifecycle)) return;
    const key = statusKeyOf(row);
    this.totals.add(key, row.progress);
    add(this.byField, row.actionFieldId, key, row.progress);
    add(this.byDepartment, row.leadDepartmentId, key, row.progress);
    for (const goalId of goalIds) add(this.byGoal, goalId, key, row.progress);
    for (const areaId of this.areasOf.get(row.measureId) ?? []) add(this.byArea, areaId, key, row.progress);
    if (row.isExample) this.examples++;
  }

  /** The numbers so far, each list in the order of the entities given. */
  result(entities: SummaryEntities): ReportSummary {
    const groups = (list: Group[], map: Map<number, StatusTally>): GroupBreakdown[] =>
      list.map((e) => ({
        id: e.id,
        code: e.code,
        title: e.title ?? e.name ?? '',
        ...breakdown(map.get(e.id)),
      }));
    return {
      totals: breakdown(this.totals),
      byGoal: groups(entities.goals, this.byGoal),
      byActionField: groups(entities.fields, this.byField),
      byDepartment: groups(entities.departments, this.byDepartment),
      byArea: groups(entities.areas ?? [], this.byArea),
      containsExampleData: this.examples > 0,
    };
  }
}

function add(map: Map<number, StatusTally>, id: number, key: StatusKey, progress: number | null): void {
  let t = map.get(id);
  if (!t) map.set(id, (t = new StatusTally()));
  t.add(key, progress);
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
