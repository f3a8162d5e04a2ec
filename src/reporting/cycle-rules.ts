import { ALLOW, deny, type PolicyDecision } from '../common/auth/policy.js';
import { CYCLE_STATE_LABELS, type CycleState } from './reporting-cycle.entity.js';
import { CycleError } from './cycle-errors.js';

/**
 * Which closed cycle a cycle is compared with: the latest closed (or published) one that ended before it
 * began; for the live state (no cycle), the latest closed one of all. A cycle's own snapshot never counts.
 * The dashboard's "changes" and the report's "Änderungen" sheet both ask this.
 */
export interface ClosedCycleCandidate {
  snapshotId: number | null;
  periodStart: string;
  periodEnd: string;
}

export function previousClosedCycle<T extends ClosedCycleCandidate>(
  cycles: readonly T[],
  cycle: Pick<ClosedCycleCandidate, 'periodStart'> | null,
  ownSnapshotId: number | null = null,
): (T & { snapshotId: number }) | null {
  let previous: (T & { snapshotId: number }) | null = null;
  for (const candidate of cycles) {
    if (candidate.snapshotId === null || candidate.snapshotId === ownSnapshotId) continue;
    if (cycle && candidate.periodEnd >= cycle.periodStart) continue;
    if (!previous || candidate.periodEnd > previous.periodEnd)
      previous = candidate as T & { snapshotId: number };
  }
  return previous;
}

/** Status reports dated into a cycle are taken while it is not closed (planned, collecting or reviewing). */
export function cycleAcceptsReports(cycle: { code: string; state: CycleState }): PolicyDecision {
  if (cycle.state !== 'closed' && cycle.state !== 'published') return ALLOW;
  return deny(
    CycleError.CLOSED,
    `Der Berichtszyklus ${cycle.code} ist ${CYCLE_STATE_LABELS[cycle.state]}; Meldungen für diesen Zeitraum sind nicht mehr möglich.`,
    'conflict',
  );
}

/**
 * A closed or published cycle is frozen: it is shown, counted and reported from its snapshot and can no
 * longer be edited; an open one from live data.
 */
export function isFrozen(state: CycleState): boolean {
  return state === 'closed' || state === 'published';
}

/** A cycle's dates as the new-cycle form proposes them. */
export interface ProposedCycle {
  code: string;
  periodStart: string;
  periodEnd: string;
  inputDeadline: string;
}

/**
 * The cycle that follows the plan's latest one by its reporting rhythm: its period starts the day after the
 * latest period ends and lasts `months` months; reports are due a month after its end. Named by its years
 * ("2028" for one year, "2028-2029" for longer). Without a cycle yet: from the start of `today`'s year.
 */
export function nextCycle(latestPeriodEnd: string | null, months: number, today: string): ProposedCycle {
  const start = latestPeriodEnd ? addDays(latestPeriodEnd, 1) : `${today.slice(0, 4)}-01-01`;
  const end = addDays(addMonths(start, months), -1);
  const [from, to] = [start.slice(0, 4), end.slice(0, 4)];
  return {
    code: from === to ? from : `${from}-${to}`,
    periodStart: start,
    periodEnd: end,
    inputDeadline: addDays(addMonths(addDays(end, 1), 1), -1),
  };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The same day `months` later (clamped to the month's last day). */
function addMonths(date: string, months: number): string {
  const [y, m, day] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}
