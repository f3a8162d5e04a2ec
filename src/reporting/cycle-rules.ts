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
