/**
 * Which plan (Rahmenkonzept) an audit entry belongs to. A plan-bound record names its plan itself (so does an
 * account's membership in a plan); a record that hangs off one (a status report off its measure, a value off its
 * indicator) takes its parent's; the accounts, sign-ins and the shared directory of organisations belong to the
 * installation (null); anything else takes the plan the request is about, if it is about one.
 */
import type { EntityManager, ObjectLiteral } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { queryNamed } from '../database/sql.js';

/** Entities (and event kinds) of the installation as a whole: never filed under a plan. */
export const INSTALLATION_ENTITIES: ReadonlySet<string> = new Set([
  'User',
  'Session',
  'LoginFailure',
  'Department',
  'NotificationLog',
  'JobLock',
  'RateLimitCounter',
]);

/** Records without a plan column whose parent has one: the parent's table and the field naming it. */
const PARENTS: Record<string, { table: string; field: string }> = {
  StatusReport: { table: 'measures', field: 'measureId' },
  MeasureChange: { table: 'measures', field: 'measureId' },
  IndicatorValue: { table: 'indicators', field: 'indicatorId' },
  CycleSnapshot: { table: 'reporting_cycles', field: 'cycleId' },
  DecisionStateChange: { table: 'decisions', field: 'decisionId' },
};

const asPlan = (value: unknown): number | null => {
  const n = Number(value);
  return value === null || value === undefined || !Number.isInteger(n) || n <= 0 ? null : n;
};

/** The plan of an entry about `entity` (a name as the trail files it) with no record at hand. */
export function planOfEvent(entity: string): number | null {
  if (INSTALLATION_ENTITIES.has(entity)) return null;
  return RequestContext.current()?.planId ?? null;
}

/** The plan of a written record of `entity`. */
export async function planOfRecord(
  manager: EntityManager,
  entity: string,
  record: ObjectLiteral,
): Promise<number | null> {
  if (INSTALLATION_ENTITIES.has(entity)) return null;
  if (entity === 'Framework') return asPlan(record.id);
  const own = asPlan(record.frameworkId);
  if (own !== null) return own;
  const parent = PARENTS[entity];
  const parentId = parent ? asPlan(record[parent.field]) : null;
  if (parent && parentId !== null) {
    const rows = await queryNamed<{ frameworkId: unknown }>(
      manager,
      `SELECT "frameworkId" FROM "${parent.table}" WHERE "id" = :id`,
      { id: parentId },
    );
    const plan = asPlan(rows[0]?.frameworkId);
    if (plan !== null) return plan;
  }
  return planOfEvent(entity);
}
