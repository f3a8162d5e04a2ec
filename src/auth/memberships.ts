/**
 * An actor's rights in a given plan, from its memberships: for places that check another plan than the
 * request's (the access guard uses them to set `actor.role` for the request's plan).
 */
import type { Actor } from '../common/context/request-context.js';
import type { Role } from './user.entity.js';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** The actor's role in the plan, or null when it has none there. Installation administrators are admin everywhere. */
export function roleIn(
  actor: Pick<Actor, 'installationAdmin' | 'memberships'>,
  frameworkId: number,
): Role | null {
  if (actor.installationAdmin) return 'admin';
  return (actor.memberships ?? []).find((m) => m.frameworkId === frameworkId)?.role ?? null;
}

/** The actor as it acts in the plan (its role and organisation there), or null when it has no rights there. */
export function actorInPlan(actor: Actor, frameworkId: number): Actor | null {
  if (actor.installationAdmin) return { ...actor, role: 'admin', departmentId: null };
  const membership = (actor.memberships ?? []).find((m) => m.frameworkId === frameworkId);
  if (!membership) return null;
  return { ...actor, role: membership.role, departmentId: membership.departmentId };
}

/**
 * The actor when the request's plan is not decided (several plans, several memberships, a route about no plan):
 * admin for installation administrators, else its highest role in any plan (with that membership's
 * organisation). A plan-bound service still needs a plan and answers 400 through resolvePlan.
 */
export function actorInNoPlan(actor: Actor): Actor {
  if (actor.installationAdmin) return { ...actor, role: 'admin', departmentId: null };
  const highest = [...(actor.memberships ?? [])].sort(
    (a, b) => RANK[b.role] - RANK[a.role] || a.frameworkId - b.frameworkId,
  )[0];
  if (!highest) return { ...actor, role: 'viewer', departmentId: null };
  return { ...actor, role: highest.role, departmentId: highest.departmentId };
}

/** The plans the actor has a membership in, lowest id first. */
export function memberPlanIds(actor: Pick<Actor, 'memberships'>): number[] {
  return [...new Set((actor.memberships ?? []).map((m) => m.frameworkId))].sort((a, b) => a - b);
}

/**
 * The actor as it may write a record of the given plan, for services that check a record outside the request's
 * plan (a selection of reports from several plans, a job): its role and organisation there; with no membership
 * there a reader without organisation, whom every write policy refuses. A system actor without memberships
 * (example data, a test fixture) stays as it is.
 */
export function writerIn(actor: Actor, frameworkId: number): Actor {
  if (actor.memberships === undefined && !actor.installationAdmin) return actor;
  return actorInPlan(actor, frameworkId) ?? { ...actor, role: 'viewer', departmentId: null };
}

/** The plans an account may open: every plan for an installation administrator, else those it has a role in. */
export function plansOf<T extends { id: number }>(actor: Actor | undefined, plans: T[]): T[] {
  if (!actor || actor.installationAdmin || actor.memberships === undefined) return plans;
  const member = new Set(actor.memberships.map((m) => m.frameworkId));
  return plans.filter((plan) => member.has(plan.id));
}
