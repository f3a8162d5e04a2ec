/**
 * The parts of the dashboard about today rather than about the counted cycle: the current cycle's
 * completeness per department, stale measures, upcoming deadlines, and the governance bodies' cadence with
 * the overdue decisions.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryNamed } from '../database/sql.js';
import type { Department } from '../framework/department.entity.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { GovernanceService } from '../governance/governance.service.js';
import {
  CompletenessService,
  daysBetween,
  type DepartmentCompleteness,
} from '../reporting/completeness.service.js';
import { previousClosedCycle } from '../reporting/cycle-rules.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { type CycleView, ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { breakdown } from './dashboard-breakdown.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';
import { filterSql, liveSource, snapshotSource } from './dashboard-sources.js';
import type { CompletenessCounts, Dashboard } from './dashboard.types.js';

/** The sums over the departments shown (the department filter applies). */
function completenessTotals(departments: DepartmentCompleteness[]): CompletenessCounts {
  const sum = (key: Exclude<keyof CompletenessCounts, 'completeness'>): number =>
    departments.reduce((a, d) => a + d[key], 0);
  const due = sum('due');
  return {
    due,
    reported: sum('reported'),
    accepted: sum('accepted'),
    awaitingReview: sum('awaitingReview'),
    returned: sum('returned'),
    missing: sum('missing'),
    completeness: due === 0 ? 100 : Math.round((sum('reported') / due) * 1000) / 10,
  };
}

@Injectable()
export class DashboardOutlookService {
  constructor(
    private readonly cycles: ReportingCyclesService,
    private readonly completeness: CompletenessService,
    private readonly governanceService: GovernanceService,
    private readonly decisions: DecisionsService,
    private readonly dataSource: DataSource,
  ) {}

  private async departmentCompleteness(
    cycle: ReportingCycle,
    query: DashboardQueryDto,
    all?: Department[],
  ): Promise<DepartmentCompleteness[]> {
    return (await this.completeness.completeness(cycle, undefined, all)).filter(
      (d) => !query.departmentId?.length || query.departmentId.includes(d.departmentId),
    );
  }

  /**
   * The closed cycle to read beside the counted figures: before the counted cycle, or for the current state
   * before the running cycle (the latest closed one when none runs). Its status counts come from its
   * snapshot, its completeness from its period's reports, both under the same filters.
   */
  async previousCycle(
    today: string,
    query: DashboardQueryDto,
    counted: { cycle: ReportingCycle | null; snapshotId: number | null },
    cycles: CycleView[],
  ): Promise<Dashboard['previousCycle']> {
    const reference = counted.cycle ?? (await this.cycles.current(today, query.frameworkId));
    const previous = previousClosedCycle(cycles, reference, counted.snapshotId);
    if (!previous) return null;
    const source = snapshotSource(previous.snapshotId, 'prevCycle');
    const filter = filterSql(query, source);
    const rows = await queryNamed<{
      statusKey: string;
      n: unknown;
      progressSum: unknown;
      progressCount: unknown;
    }>(
      this.dataSource.manager,
      `SELECT s."statusKey", COUNT(*) AS "n", SUM(COALESCE(s."progress", 0)) AS "progressSum",
              COUNT(s."progress") AS "progressCount"
         FROM (${source.sql}) s WHERE 1 = 1 ${filter.where}
        GROUP BY s."statusKey"`,
      { ...source.parameters, ...filter.parameters },
    );
    const entity = await this.cycles.findEntity(previous.id);
    return {
      id: previous.id,
      code: previous.code,
      stateLabel: CYCLE_STATE_LABELS[previous.state],
      totals: breakdown(rows),
      completeness: completenessTotals(await this.departmentCompleteness(entity, query)),
    };
  }

  async currentCycle(
    today: string,
    query: DashboardQueryDto,
    all: Department[],
  ): Promise<Dashboard['currentCycle']> {
    const cycle = await this.cycles.current(today, query.frameworkId);
    if (!cycle) return null;
    const departments = await this.departmentCompleteness(cycle, query, all);
    return {
      id: cycle.id,
      code: cycle.code,
      state: cycle.state,
      stateLabel: CYCLE_STATE_LABELS[cycle.state],
      inputDeadline: cycle.inputDeadline,
      daysLeft: daysBetween(today, cycle.inputDeadline),
      departments,
      totals: completenessTotals(departments),
    };
  }

  /** Measures without a report for longer than the framework's interval, filtered like the dashboard. */
  stale(today: string, query: DashboardQueryDto): Promise<Dashboard['stale']> {
    return this.completeness.stale(today, filterSql(query, liveSource(), 'm'), undefined, query.frameworkId);
  }

  /** Cadence of every body of the plan this year, and its decisions past their due date. */
  async governance(today: string, frameworkId?: number): Promise<Dashboard['governance']> {
    const year = Number(today.slice(0, 4));
    const overdue = await this.decisions.listDecisions({ overdue: true, pageSize: 10, frameworkId }, today);
    return {
      year,
      cadence: await this.governanceService.cadence(year, today, undefined, frameworkId),
      overdueDecisions: { total: overdue.total, items: overdue.items },
    };
  }

  deadlines(today: string, cycles: CycleView[]): Dashboard['deadlines'] {
    const result: Dashboard['deadlines'] = [];
    for (const c of cycles) {
      if (c.state === 'published') continue;
      if (c.inputDeadline >= today && (c.state === 'planned' || c.state === 'collecting')) {
        result.push({
          cycleId: c.id,
          cycleCode: c.code,
          kind: 'input',
          label: `Meldeschluss ${c.code}`,
          date: c.inputDeadline,
          daysLeft: daysBetween(today, c.inputDeadline),
        });
      }
      if (c.publicationTarget && c.publicationTarget >= today) {
        result.push({
          cycleId: c.id,
          cycleCode: c.code,
          kind: 'publication',
          label: `Veröffentlichung Umsetzungsbericht ${c.code}`,
          date: c.publicationTarget,
          daysLeft: daysBetween(today, c.publicationTarget),
        });
      }
    }
    return result.sort((a, b) => a.date.localeCompare(b.date));
  }
}
