/**
 * The plan (Rahmenkonzept) that a new record without a parent to take it from belongs to. An installation runs
 * one plan for now, the first framework loaded; once several plans run side by side, the plan is chosen per
 * request and passed in instead.
 */
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/http/domain-errors.js';
import { FrameworkError } from './framework-errors.js';
import { Framework } from './framework.entity.js';

export async function currentPlanId(manager: EntityManager): Promise<number> {
  const [framework] = await manager.find(Framework, { select: { id: true }, order: { id: 'ASC' }, take: 1 });
  if (!framework) throw notFound(FrameworkError.NOT_LOADED, 'Es ist noch kein Rahmenkonzept geladen.');
  return framework.id;
}
