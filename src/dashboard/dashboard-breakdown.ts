/**
 * Counting rules shared by the dashboard and the report's summary: labels of the status keys, total, shares and
 * average progress from counts per status, per-group breakdowns, and how a measure moved between two cycles.
 */
import { num } from '../database/sql.js';
import { NO_REPORT_LABEL, STATUS_LABELS } from '../measures/measure.constants.js';
import { STATUS_KEYS, type StatusKey } from '../measures/measure-rules.js';
import type { ChangeKind, GroupBreakdown, StatusBreakdown } from './dashboard.types.js';

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

function emptyCounts(): Record<StatusKey, number> {
  return Object.fromEntries(STATUS_KEYS.map((k) => [k, 0])) as Record<StatusKey, number>;
}

export function breakdown(
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

/** One breakdown per entity (in the entities' order, only the selected ones), from rows grouped by `key`. */
export function groupBreakdowns(
  rows: Record<string, unknown>[],
  key: string,
  entities: { id: number; code: string; title?: string; name?: string }[],
  selected?: number[],
): GroupBreakdown[] {
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
}

/**
 * Counts measures by status key with their progress, one at a time, for the breakdown by the rules above:
 * the report's summary and the public pages count with it (the dashboard counts in SQL).
 */
export class StatusTally {
  private readonly counts = Object.fromEntries(STATUS_KEYS.map((k) => [k, 0])) as Record<StatusKey, number>;
  private progressSum = 0;
  private progressCount = 0;

  add(key: StatusKey, progress: number | null): void {
    this.counts[key]++;
    if (progress !== null) {
      this.progressSum += progress;
      this.progressCount++;
    }
  }

  breakdown(): StatusBreakdown {
    return statusBreakdown(this.counts, this.progressSum, this.progressCount);
  }
}
