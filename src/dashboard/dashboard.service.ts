/**
 * The one aggregation service behind the dashboard page, the dashboard API and the report's summary sheets:
 * counts and shares by status for the whole framework, per goal, per action field and per department, from
 * live data or from a closed cycle's snapshot; completeness of the current cycle; stale measures; upcoming
 * deadlines; changes since the previous closed cycle. All counting happens in SQL. The sources and counting
 * rules are in dashboard-sources.ts and dashboard-breakdown.ts, the parts about today in
 * DashboardOutlookService, the changes in dashboard-changes.ts; identical requests share one answer here.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { planDepartments } from '../framework/plan-departments.js';
import { RequestContext } from '../common/context/request-context.js';
import { DATA_VERSION_SQL, num, queryNamed } from '../database/sql.js';
import { todayInBremen } from '../common/dates.js';
import type { CycleSnapshot } from '../reporting/cycle-snapshot.entity.js';
import { frameworkEntriesFor } from '../reporting/framework-at-close.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { notFound } from '../common/http/domain-errors.js';
import { resolvePlan } from '../framework/plans.service.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { breakdown, groupBreakdowns } from './dashboard-breakdown.js';
import { Area } from '../framework/area.entity.js';
import { checkLevelFilter } from '../framework/plan-shape.js';
import { changesSincePreviousCycle } from './dashboard-changes.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';
import { countedRows, cycleSource, filterSql, liveSource, snapshotSource } from './dashboard-sources.js';
import { DashboardOutlookService } from './dashboard-outlook.service.js';
import type { Dashboard } from './dashboard.types.js';

// Importers of the dashboard's vocabulary and shapes find them here, where they have always been.
export { STATUS_KEYS, type StatusKey } from '../measures/measure-rules.js';
export { changeOf, STATUS_KEY_LABELS, statusBreakdown } from './dashboard-breakdown.js';
export type {
  ChangeItem,
  ChangeKind,
  Dashboard,
  GroupBreakdown,
  StatusBreakdown,
} from './dashboard.types.js';

/** Distinct dashboard requests kept per data version (filters × cycles; more are computed each time). */
const SHARED_ENTRIES = 200;

/** The same key for the same filters, whatever order the parameters came in. */
function filterKey(query: DashboardQueryDto): string {
  const entries = Object.entries(query as unknown as Record<string, unknown>)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => [key, Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  return JSON.stringify(entries);
}

@Injectable()
export class DashboardService {
  /**
   * Identical requests between two changes of the data share one computation (also while it is running).
   * The data version moves in the same transaction as every write (see the DataVersion migration), and it is
   * read for every request, so a shared answer is never older than the data it was asked about.
   */
  private shared: { version: string; entries: Map<string, Promise<Dashboard>> } = {
    version: '',
    entries: new Map(),
  };

  /** The JSON text of each shared answer, written once. */
  private readonly serialized = new WeakMap<Dashboard, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: ReportingCyclesService,
    private readonly outlook: DashboardOutlookService,
  ) {}

  /**
   * The dashboard as of the start of the request, shared with identical requests since the data last changed;
   * `fresh` computes it anew regardless (a client's `Cache-Control: no-cache`). For reading requests (GET):
   * a request that writes first would see the version read before its own write.
   */
  async current(query: DashboardQueryDto, options: { fresh?: boolean } = {}): Promise<Dashboard> {
    const today = todayInBremen();
    // Read with the session check as the request began (one round trip less), or here.
    const version = RequestContext.current()?.dataVersion ?? (await this.readDataVersion());
    if (version !== this.shared.version) this.shared = { version, entries: new Map() };
    const entries = this.shared.entries;
    // Which plan a request without one is about depends on how many there are: part of the key.
    const plan = await resolvePlan(this.dataSource.manager, query.frameworkId);
    const key = `${today} ${plan} ${filterKey(query)}`;
    const known = options.fresh ? undefined : entries.get(key);
    if (known) return known;
    const pending = this.build(query, today);
    entries.delete(key);
    entries.set(key, pending);
    if (entries.size > SHARED_ENTRIES) entries.delete(entries.keys().next().value as string);
    // A failure is reported to the requests that waited for it, not kept for later ones.
    pending.catch(() => entries.get(key) === pending && entries.delete(key));
    return pending;
  }

  private async readDataVersion(): Promise<string> {
    const [row] = await this.dataSource.query<{ version: string }[]>(
      `SELECT (${DATA_VERSION_SQL}) AS "version"`,
    );
    return String(row?.version);
  }

  /** {@link current} as JSON text, serialised once per shared answer. */
  async currentJson(query: DashboardQueryDto, options: { fresh?: boolean } = {}): Promise<string> {
    const dashboard = await this.current(query, options);
    let json = this.serialized.get(dashboard);
    if (json === undefined) {
      json = JSON.stringify(dashboard);
      this.serialized.set(dashboard, json);
    }
    return json;
  }

  /**
   * `summaryOnly` leaves out the parts about today (current cycle, stale measures, deadlines, governance):
   * the report's summary sheets need only the numbers of the cycle.
   */
  async build(
    query: DashboardQueryDto,
    today = todayInBremen(),
    options: { changeItems?: number; summaryOnly?: boolean } = {},
  ): Promise<Dashboard> {
    const manager = this.dataSource.manager;
    let cycle: ReportingCycle | null = null;
    let source = liveSource();
    let snapshotId: number | null = null;
    let snapshotTaken: CycleSnapshot | null = null;
    if (query.cycleId) {
      cycle = await this.cycles.findEntity(query.cycleId);
      // A cycle of another plan than the request's is not found in this plan.
      const plan = await resolvePlan(manager, query.frameworkId);
      if (cycle.frameworkId !== plan) {
        throw notFound(
          CycleError.NOT_FOUND,
          `Berichtszyklus ${query.cycleId} gehört nicht zum Rahmenkonzept ${plan}.`,
        );
      }
      const snapshot = await this.cycles.frozenSnapshot(cycle);
      if (snapshot) {
        snapshotId = snapshot.id;
        snapshotTaken = snapshot;
        source = snapshotSource(snapshot.id);
      } else {
        source = cycleSource(cycle);
      }
    }
    // Everything below is the plan's: the cycle's, else the one asked for (or the only one).
    const frameworkId = cycle?.frameworkId ?? (await resolvePlan(manager, query.frameworkId));
    await checkLevelFilter(manager, frameworkId, query.level);
    const scoped: DashboardQueryDto = { ...query, frameworkId };
    const counted = !cycle && !query.targetGroup ? await countedRows(manager, scoped) : null;
    const filter = filterSql(scoped, source);
    const filtered = `SELECT s.* FROM (${source.sql}) s WHERE 1 = 1 ${filter.where}`;
    const parameters = { ...source.parameters, ...filter.parameters };
    // One grouped pass gives the totals, the action fields and the departments; one more gives the goals.
    const combined =
      counted?.combined ??
      (await queryNamed<Record<string, unknown>>(
        manager,
        `SELECT f."actionFieldId" AS "fieldId", f."leadDepartmentId" AS "departmentId", f."statusKey", COUNT(*) AS "n",
                SUM(COALESCE(f."progress", 0)) AS "progressSum", COUNT(f."progress") AS "progressCount",
                SUM(CASE WHEN f."isExample" THEN 1 ELSE 0 END) AS "examples"
           FROM (${filtered}) f
          GROUP BY f."actionFieldId", f."leadDepartmentId", f."statusKey"`,
        parameters,
      ));
    const goalRows =
      counted?.goalRows ??
      (await queryNamed<Record<string, unknown>>(
        manager,
        `SELECT gl."goalId" AS "groupId", f."statusKey", COUNT(*) AS "n",
                SUM(COALESCE(f."progress", 0)) AS "progressSum", COUNT(f."progress") AS "progressCount"
           FROM (${filtered}) f JOIN (${source.goalSql}) gl ON gl."measureId" = f."measureId"
          GROUP BY gl."goalId", f."statusKey"`,
        parameters,
      ));
    // Areas (e.g. Bezirksregionen) are the measures' current ones, whatever the source: a snapshot keeps none.
    const areas = await manager.find(Area, {
      where: { frameworkId },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    const areaRows = areas.length
      ? await queryNamed<Record<string, unknown>>(
          manager,
          `SELECT ma."areaId" AS "groupId", f."statusKey", COUNT(*) AS "n",
                  SUM(COALESCE(f."progress", 0)) AS "progressSum", COUNT(f."progress") AS "progressCount"
             FROM (${filtered}) f JOIN "measure_areas" ma ON ma."measureId" = f."measureId"
            GROUP BY ma."areaId", f."statusKey"`,
          parameters,
        )
      : [];
    const exampleCount = combined.reduce((sum, r) => sum + num(r.examples), 0);
    // A closed cycle is listed by the goals, fields and departments frozen at its close (revisions since
    // do not change it); otherwise by the current ones.
    const [entries, allCycles] = await Promise.all([
      frameworkEntriesFor(manager, snapshotTaken, frameworkId),
      this.cycles.list(frameworkId),
    ]);
    const { goals, actionFields: fields, departments } = entries;
    const label = snapshotId
      ? `Eingefrorener Stand des Berichtszyklus ${cycle!.code} (${CYCLE_STATE_LABELS[cycle!.state]})`
      : 'Aktueller Stand';
    return {
      source: {
        kind: snapshotId ? 'snapshot' : 'live',
        cycleId: cycle?.id ?? null,
        cycleCode: cycle?.code ?? null,
        snapshotId,
        label,
      },
      filters: query,
      generatedAt: new Date().toISOString(),
      containsExampleData: exampleCount > 0,
      totals: breakdown(combined as never),
      byGoal: groupBreakdowns(goalRows, 'groupId', goals, query.goalId),
      byActionField: groupBreakdowns(combined, 'fieldId', fields, query.actionFieldId),
      byDepartment: groupBreakdowns(combined, 'departmentId', departments, query.departmentId),
      byArea: groupBreakdowns(areaRows, 'groupId', areas),
      currentCycle: options.summaryOnly
        ? null
        : await this.outlook.currentCycle(
            today,
            scoped,
            (await planDepartments(manager, frameworkId)).filter((d) => !d.retiredOn),
          ),
      previousCycle: options.summaryOnly
        ? null
        : await this.outlook.previousCycle(today, scoped, { cycle, snapshotId }, allCycles),
      stale: options.summaryOnly
        ? { total: 0, staleAfterDays: 0, items: [] }
        : await this.outlook.stale(today, scoped),
      deadlines: options.summaryOnly ? [] : this.outlook.deadlines(today, allCycles),
      governance: options.summaryOnly
        ? { year: Number(today.slice(0, 4)), cadence: [], overdueDecisions: { total: 0, items: [] } }
        : await this.outlook.governance(today, frameworkId),
      changes: await changesSincePreviousCycle(
        manager,
        scoped,
        cycle,
        snapshotId,
        options.changeItems ?? 200,
        allCycles,
      ),
    };
  }
}
