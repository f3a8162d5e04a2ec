/**
 * The parts of the dashboard about today rather than about the counted cycle: the current cycle's
 * completeness per department, stale measures, upcoming deadlines, and the governance bodies' cadence with
 * the overdue decisions.
 */
import { Injectable } from '@nestjs/common';
import type { Department } from '../framework/department.entity.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { GovernanceService } from '../governance/governance.service.js';
import { CompletenessService, daysBetween } from '../reporting/completeness.service.js';
import { CYCLE_STATE_LABELS } from '../reporting/reporting-cycle.entity.js';
import { type CycleView, ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';
import { filterSql, liveSource } from './dashboard-sources.js';
import type { Dashboard } from './dashboard.types.js';

@Injectable()
export class DashboardOutlookService {
  constructor(
    private readonly cycles: ReportingCyclesService,
    private readonly completeness: CompletenessService,
    private readonly governanceService: GovernanceService,
    private readonly decisions: DecisionsService,
  ) {}

  async currentCycle(
    today: string,
    query: DashboardQueryDto,
    all: Department[],
  ): Promise<Dashboard['currentCycle']> {
    const cycle = await this.cycles.current(today);
    if (!cycle) return null;
    const departments = (await this.completeness.completeness(cycle, undefined, all)).filter(
      (d) => !query.departmentId?.length || query.departmentId.includes(d.departmentId),
    );
    const sum = (key: 'due' | 'reported' | 'accepted' | 'awaitingReview' | 'returned' | 'missing'): number =>
      departments.reduce((a, d) => a + d[key], 0);
    const due = sum('due');
    return {
      id: cycle.id,
      code: cycle.code,
      state: cycle.state,
      stateLabel: CYCLE_STATE_LABELS[cycle.state],
      inputDeadline: cycle.inputDeadline,
      daysLeft: daysBetween(today, cycle.inputDeadline),
      departments,
      totals: {
        due,
        reported: sum('reported'),
        accepted: sum('accepted'),
        awaitingReview: sum('awaitingReview'),
        returned: sum('returned'),
        missing: sum('missing'),
        completeness: due === 0 ? 100 : Math.round((sum('reported') / due) * 1000) / 10,
      },
    };
  }

  /** Measures without a report for longer than the framework's interval, filtered like the dashboard. */
  stale(today: string, query: DashboardQueryDto): Promise<Dashboard['stale']> {
    return this.completeness.stale(today, filterSql(query, liveSource(), 'm'));
  }

  /** Cadence of every body this year, and the decisions past their due date. */
  async governance(today: string): Promise<Dashboard['governance']> {
    const year = Number(today.slice(0, 4));
    const overdue = await this.decisions.listDecisions({ overdue: true, pageSize: 10 }, today);
    return {
      year,
      cadence: await this.governanceService.cadence(year, today),
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
