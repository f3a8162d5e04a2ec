/**
 * The one aggregation service behind the dashboard page, the dashboard API and the report's summary sheets:
 * counts and shares by status for the whole framework, per goal, per action field and per department, from
 * live data or from a closed cycle's snapshot; completeness of the current cycle; stale measures; upcoming
 * deadlines; changes since the previous closed cycle. All counting happens in SQL.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { DATA_VERSION_SQL, num, queryNamed } from '../database/sql.js';
import { type CadenceRow, type DecisionView, GovernanceService } from '../governance/governance.service.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import { NO_REPORT_LABEL, STATUS_LABELS } from '../measures/measure.constants.js';
import {
  countedSql,
  latestReportIdSql,
  startedBySql,
  STATUS_KEYS,
  statusKeySql,
  type StatusKey,
} from '../measures/measure-rules.js';
import { todayInBremen } from '../measures/status-reports.service.js';
import {
  CompletenessService,
  daysBetween,
  type DepartmentCompleteness,
  type StaleMeasure,
} from '../reporting/completeness.service.js';
import { type CycleView, ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { previousClosedCycle } from '../reporting/cycle-rules.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';

export { STATUS_KEYS, type StatusKey };
export const STATUS_KEY_LABELS: Record<StatusKey, string> = { ...STATUS_LABELS, none: NO_REPORT_LABEL };

/** Order for "moved up / down": how far a measure has come. */
const STATUS_RANK: Record<StatusKey, number> = {
  none: 0,
  planned: 1,
  delayed: 2,
  in_progress: 3,
  ongoing: 4,
  completed: 5,
  discontinued: -1,
};

export type ChangeKind = 'up' | 'down' | 'new' | 'discontinued';

/** How a measure moved since the previous closed cycle (null: not at all, or only among discontinued ones). */
export function changeOf(
  from: StatusKey | null,
  to: StatusKey,
  fromProgress: number | null,
  toProgress: number | null,
): ChangeKind | null {
  if (from === null) return 'new';
  if (to === 'discontinued') return from === 'discontinued' ? null : 'discontinued';
  if (from === 'discontinued') return null;
  const delta = STATUS_RANK[to] - STATUS_RANK[from] || (toProgress ?? 0) - (fromProgress ?? 0);
  return delta > 0 ? 'up' : delta < 0 ? 'down' : null;
}

/** Total, shares (one decimal) and average progress from counts per status. */
export function statusBreakdown(
  counts: Record<StatusKey, number>,
  progressSum: number,
  progressCount: number,
): StatusBreakdown {
  const total = STATUS_KEYS.reduce((a, k) => a + counts[k], 0);
  const shares = Object.fromEntries(
    STATUS_KEYS.map((k) => [k, total === 0 ? 0 : Math.round((counts[k] / total) * 1000) / 10]),
  ) as Record<StatusKey, number>;
  return {
    total,
    counts,
    shares,
    averageProgress: progressCount === 0 ? null : Math.round((progressSum / progressCount) * 10) / 10,
  };
}

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
  currentCycle: {
    id: number;
    code: string;
    state: string;
    stateLabel: string;
    inputDeadline: string;
    daysLeft: number;
    departments: DepartmentCompleteness[];
    totals: Omit<DepartmentCompleteness, 'departmentId' | 'departmentCode' | 'departmentName'>;
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

interface Source {
  sql: string;
  goalSql: string;
  parameters: Record<string, unknown>;
}

function liveSource(): Source {
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
function cycleSource(cycle: Pick<ReportingCycle, 'periodStart' | 'periodEnd'>): Source {
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

function snapshotSource(snapshotId: number, prefix = 'snap'): Source {
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

function emptyCounts(): Record<StatusKey, number> {
  return Object.fromEntries(STATUS_KEYS.map((k) => [k, 0])) as Record<StatusKey, number>;
}

function breakdown(
  rows: { statusKey: string; n: unknown; progressSum: unknown; progressCount: unknown }[],
): StatusBreakdown {
  const counts = emptyCounts();
  let progressSum = 0;
  let progressCount = 0;
  for (const row of rows) {
    if ((STATUS_KEYS as readonly string[]).includes(row.statusKey))
      counts[row.statusKey as StatusKey] += num(row.n);
    progressSum += num(row.progressSum);
    progressCount += num(row.progressCount);
  }
  return statusBreakdown(counts, progressSum, progressCount);
}

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
    private readonly completeness: CompletenessService,
    private readonly governanceService: GovernanceService,
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
    const key = `${today} ${filterKey(query)}`;
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
    if (query.cycleId) {
      cycle = await this.cycles.findEntity(query.cycleId);
      const snapshot =
        cycle.state === 'closed' || cycle.state === 'published'
          ? await this.cycles.currentSnapshot(cycle.id)
          : null;
      if (snapshot) {
        snapshotId = snapshot.id;
        source = snapshotSource(snapshot.id);
      } else {
        source = cycleSource(cycle);
      }
    }
    const counted = !cycle && !query.targetGroup ? await this.countedRows(query) : null;
    const filter = this.filterSql(query, source);
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
    const exampleCount = combined.reduce((sum, r) => sum + num(r.examples), 0);
    const [goals, fields, departments, allCycles] = await Promise.all([
      manager.find(Goal, { order: { sortOrder: 'ASC', id: 'ASC' } }),
      manager.find(ActionField, { order: { sortOrder: 'ASC', id: 'ASC' } }),
      manager.find(Department, { order: { sortOrder: 'ASC', id: 'ASC' } }),
      this.cycles.list(),
    ]);
    const groups = (
      rows: Record<string, unknown>[],
      key: string,
      entities: { id: number; code: string; title?: string; name?: string }[],
      selected?: number[],
    ): GroupBreakdown[] => {
      const byGroup = new Map<number, Record<string, unknown>[]>();
      for (const row of rows) {
        const id = num(row[key]);
        const list = byGroup.get(id);
        if (list) list.push(row);
        else byGroup.set(id, [row]);
      }
      return entities
        .filter((e) => !selected?.length || selected.includes(e.id))
        .map((e) => ({
          id: e.id,
          code: e.code,
          title: e.title ?? e.name ?? '',
          ...breakdown((byGroup.get(e.id) ?? []) as never),
        }));
    };

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
      byGoal: groups(goalRows, 'groupId', goals, query.goalId),
      byActionField: groups(combined, 'fieldId', fields, query.actionFieldId),
      byDepartment: groups(combined, 'departmentId', departments, query.departmentId),
      currentCycle: options.summaryOnly ? null : await this.currentCycle(today, query, departments),
      stale: options.summaryOnly
        ? { total: 0, staleAfterDays: 0, items: [] }
        : await this.completeness.stale(today, this.filterSql(query, liveSource(), 'm')),
      deadlines: options.summaryOnly ? [] : this.deadlines(today, allCycles),
      governance: options.summaryOnly
        ? { year: Number(today.slice(0, 4)), cadence: [], overdueDecisions: { total: 0, items: [] } }
        : await this.governance(today),
      changes: await this.changes(query, cycle, snapshotId, options.changeItems ?? 200, allCycles),
    };
  }

  /**
   * The live numbers from the status counts that the database's triggers keep in step with every change to a
   * measure or its goals (see the StatusCounts migration): a sum over a few hundred rows, however many measures
   * there are. A target-group filter needs the measures themselves, and so do the totals when several goals
   * are selected (a measure with two of them counts once); then the caller scans the measures instead.
   */
  private async countedRows(query: DashboardQueryDto): Promise<{
    combined: Record<string, unknown>[] | null;
    goalRows: Record<string, unknown>[];
  }> {
    const parts: string[] = [`c."statusKey" <> 'merged'`, `c."measures" <> 0`];
    const parameters: Record<string, unknown> = {};
    if (query.actionFieldId?.length) {
      parts.push(`c."actionFieldId" IN (:...fFieldIds)`);
      parameters.fFieldIds = query.actionFieldId;
    }
    if (query.departmentId?.length) {
      parts.push(`c."leadDepartmentId" IN (:...fDepartmentIds)`);
      parameters.fDepartmentIds = query.departmentId;
    }
    if (query.level?.length) {
      parts.push(`c."level" IN (:...fLevels)`);
      parameters.fLevels = query.level;
    }
    const where = parts.join(' AND ');
    const figures = `SUM(c."measures") AS "n", SUM(c."progressSum") AS "progressSum", SUM(c."progressCount") AS "progressCount"`;
    const goals = query.goalId ?? [];
    const goalRows = await queryNamed<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT c."goalId" AS "groupId", c."statusKey", ${figures}
         FROM "measure_goal_status_counts" c
        WHERE ${where} ${goals.length ? 'AND c."goalId" IN (:...fGoalIds)' : ''}
        GROUP BY c."goalId", c."statusKey"`,
      { ...parameters, fGoalIds: goals },
    );
    if (goals.length > 1) return { combined: null, goalRows };
    const combined = await queryNamed<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT c."actionFieldId" AS "fieldId", c."leadDepartmentId" AS "departmentId", c."statusKey", ${figures},
              SUM(CASE WHEN c."isExample" THEN c."measures" ELSE 0 END) AS "examples"
         FROM ${goals.length ? `"measure_goal_status_counts" c WHERE c."goalId" = :fGoalId AND` : `"measure_status_counts" c WHERE`} ${where}
        GROUP BY c."actionFieldId", c."leadDepartmentId", c."statusKey"`,
      { ...parameters, fGoalId: goals[0] },
    );
    return { combined, goalRows };
  }

  /** WHERE fragments for the filters, on the source's columns (alias s) or on the measures table (alias m). */
  private filterSql(
    query: DashboardQueryDto,
    source: Source,
    alias = 's',
  ): { where: string; parameters: Record<string, unknown> } {
    const parts: string[] = [];
    const parameters: Record<string, unknown> = { ...source.parameters };
    const id = alias === 'm' ? `${alias}."id"` : `${alias}."measureId"`;
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

  private async currentCycle(
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

  /** Cadence of every body this year, and the decisions past their due date. */
  private async governance(today: string): Promise<Dashboard['governance']> {
    const year = Number(today.slice(0, 4));
    const overdue = await this.governanceService.listDecisions({ overdue: true, pageSize: 10 }, today);
    return {
      year,
      cadence: await this.governanceService.cadence(year, today),
      overdueDecisions: { total: overdue.total, items: overdue.items },
    };
  }

  private deadlines(today: string, cycles: CycleView[]): Dashboard['deadlines'] {
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

  /**
   * Changes against the previous closed cycle: for live data the latest closed cycle, for a closed cycle the
   * closed cycle before it. Compared measure by measure in one join.
   */
  private async changes(
    query: DashboardQueryDto,
    cycle: ReportingCycle | null,
    snapshotId: number | null,
    limit: number,
    all: CycleView[],
  ): Promise<Dashboard['changes']> {
    const before = previousClosedCycle(all, cycle, snapshotId);
    const empty = {
      sinceCycleId: null,
      sinceCycleCode: null,
      up: 0,
      down: 0,
      new: 0,
      discontinued: 0,
      items: [],
    };
    if (!before) return empty;
    const current = snapshotId ? snapshotSource(snapshotId) : cycle ? cycleSource(cycle) : liveSource();
    const previous = snapshotSource(before.snapshotId, 'prev');
    const filter = this.filterSql(query, current);
    const rows = await queryNamed<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT s."measureId", s."code", s."statusKey" AS "toKey", s."progress" AS "toProgress",
              p."statusKey" AS "fromKey", p."progress" AS "fromProgress"
         FROM (${current.sql}) s LEFT JOIN (${previous.sql}) p ON p."measureId" = s."measureId"
        WHERE 1 = 1 ${filter.where}
        ORDER BY s."sortKey", s."code"`,
      { ...current.parameters, ...previous.parameters, ...filter.parameters },
    );
    const items: Dashboard['changes']['items'] = [];
    for (const row of rows) {
      const to = row.toKey as StatusKey;
      const from = (row.fromKey as StatusKey | null) ?? null;
      const toProgress = row.toProgress === null ? null : num(row.toProgress);
      const fromProgress =
        row.fromProgress === null || row.fromProgress === undefined ? null : num(row.fromProgress);
      const base = {
        measureId: num(row.measureId),
        code: String(row.code),
        from,
        to,
        fromProgress,
        toProgress,
      };
      const change = changeOf(from, to, fromProgress, toProgress);
      if (change) items.push({ ...base, change });
    }
    const count = (c: string): number => items.filter((i) => i.change === c).length;
    return {
      sinceCycleId: before.id,
      sinceCycleCode: before.code,
      up: count('up'),
      down: count('down'),
      new: count('new'),
      discontinued: count('discontinued'),
      items: items.slice(0, limit),
    };
  }
}
