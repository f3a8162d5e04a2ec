/**
 * Which organisations of the shared directory take part in a plan (`framework_departments`): a plan's
 * measures and meetings name only those.
 */
import type { EntityManager } from 'typeorm';
import { Measure } from '../measures/measure.entity.js';
import { FrameworkDepartment } from './area.entity.js';
import { Department } from './department.entity.js';

/**
 * The ids among `departmentIds` that do not take part in the plan. A plan that names no organisation at all
 * (one written without a framework file) takes any from the directory.
 */
export async function departmentsOutsidePlan(
  manager: EntityManager,
  frameworkId: number,
  departmentIds: number[],
): Promise<number[]> {
  if (departmentIds.length === 0) return [];
  const links = await manager.find(FrameworkDepartment, {
    select: { departmentId: true },
    where: { frameworkId },
  });
  if (links.length === 0) return [];
  const taking = new Set(links.map((l) => l.departmentId));
  return [...new Set(departmentIds)].filter((id) => !taking.has(id));
}

/**
 * The organisations taking part in a plan, in directory order: what a form that names organisations for the
 * plan's records offers. A plan that names no organisation at all has the whole directory.
 */
export function planParticipants(manager: EntityManager, frameworkId: number): Promise<Department[]> {
  return ofPlan(manager, frameworkId, false);
}

/**
 * The organisations a plan's lists and breakdowns name, in directory order: those taking part in the plan and
 * any that leads one of its measures. A plan that names no organisation at all has the whole directory.
 */
export function planDepartments(manager: EntityManager, frameworkId: number): Promise<Department[]> {
  return ofPlan(manager, frameworkId, true);
}

async function ofPlan(
  manager: EntityManager,
  frameworkId: number,
  leadingToo: boolean,
): Promise<Department[]> {
  const departments = await manager.find(Department, { order: { sortOrder: 'ASC', id: 'ASC' } });
  const links = await manager.find(FrameworkDepartment, {
    select: { departmentId: true },
    where: { frameworkId },
  });
  if (links.length === 0) return departments;
  const leading = leadingToo
    ? await manager
        .createQueryBuilder(Measure, 'm')
        .select('DISTINCT m.leadDepartmentId', 'id')
        .where('m.frameworkId = :frameworkId', { frameworkId })
        .getRawMany<{ id: number | string }>()
    : [];
  const named = new Set([...links.map((l) => l.departmentId), ...leading.map((r) => Number(r.id))]);
  return departments.filter((d) => named.has(d.id));
}
