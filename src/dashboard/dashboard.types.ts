/**
 * The shapes of the dashboard's answer: status breakdowns for the whole framework and per group, the current
 * cycle's completeness, stale measures, deadlines, governance and the changes since the previous closed cycle.
 */
import type { DecisionView } from '../governance/decision.view.js';
import type { CadenceRow } from '../governance/governance.service.js';
import type { StatusKey } from '../measures/measure-rules.js';
import type { DepartmentCompleteness, StaleMeasure } from '../reporting/completeness.service.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';

export type ChangeKind = 'up' | 'down' | 'new' | 'discontinued';

export interface StatusBreakdown {
  total: number;
  counts: Record<StatusKey, number>;
  shares: Record<StatusKey, number>;
  averageProgress: number | null;
}

export interface GroupBreakdown extends StatusBreakdown {
  id: number;
  code: string;
  title: string;
}

export type CompletenessCounts = Omit<
  DepartmentCompleteness,
  'departmentId' | 'departmentCode' | 'departmentName'
>;

export interface ChangeItem {
  measureId: number;
  code: string;
  from: StatusKey | null;
  to: StatusKey;
  fromProgress: number | null;
  toProgress: number | null;
}

export interface Dashboard {
  source: {
    kind: 'live' | 'snapshot';
    cycleId: number | null;
    cycleCode: string | null;
    snapshotId: number | null;
    label: string;
  };
  filters: DashboardQueryDto;
  generatedAt: string;
  containsExampleData: boolean;
  totals: StatusBreakdown;
  byGoal: GroupBreakdown[];
  byActionField: GroupBreakdown[];
  byDepartment: GroupBreakdown[];
  /** By the plan's areas (e.g. Bezirksregionen), as the measures name them now; empty when it has none. */
  byArea: GroupBreakdown[];
  currentCycle: {
    id: number;
    code: string;
    state: string;
    stateLabel: string;
    inputDeadline: string;
    daysLeft: number;
    departments: DepartmentCompleteness[];
    totals: CompletenessCounts;
  } | null;
  /**
   * The closed cycle before the counted one (before the running cycle, for the current state), with its figures
   * under the same filters: its frozen status counts and its completeness. Read beside the current figures, so
   * that the start of a cycle does not look like failure.
   */
  previousCycle: {
    id: number;
    code: string;
    stateLabel: string;
    totals: StatusBreakdown;
    completeness: CompletenessCounts;
  } | null;
  stale: { total: number; staleAfterDays: number; items: StaleMeasure[] };
  deadlines: {
    cycleId: number;
    cycleCode: string;
    kind: 'input' | 'publication';
    label: string;
    date: string;
    daysLeft: number;
  }[];
  governance: {
    year: number;
    cadence: CadenceRow[];
    overdueDecisions: { total: number; items: DecisionView[] };
  };
  changes: {
    sinceCycleId: number | null;
    sinceCycleCode: string | null;
    up: number;
    down: number;
    new: number;
    discontinued: number;
    items: (ChangeItem & { change: 'up' | 'down' | 'new' | 'discontinued' })[];
  };
}
