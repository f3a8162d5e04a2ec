/**
 * The dashboard's "Veränderungen": how each measure moved against the previous closed cycle (up, down, new,
 * discontinued), compared measure by measure in one join of two sources.
 */
import type { EntityManager } from 'typeorm';
import { num, queryNamed } from '../database/sql.js';
import type { StatusKey } from '../measures/measure-rules.js';
import { previousClosedCycle } from '../reporting/cycle-rules.js';
import type { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import type { CycleView } from '../reporting/reporting-cycles.service.js';
import { changeOf } from './dashboard-breakdown.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';
import { cycleSource, filterSql, liveSource, snapshotSource } from './dashboard-sources.js';
import type { Dashboard } from './dashboard.types.js';

/**
 * Changes against the previous closed cycle: for live data the latest closed cycle, for a closed cycle the
 * closed cycle before it. Compared measure by measure in one join.
 */
export async function changesSincePreviousCycle(
  manager: EntityManager,
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
  const filter = filterSql(query, current);
  const rows = await queryNamed<Record<string, unknown>>(
    manager,
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
