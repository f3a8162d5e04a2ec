/**
 * Which organisations of the shared directory take part in a plan (`framework_departments`): a plan's
 * measures and meetings name only those.
 */
import type { EntityManager } from 'typeorm';
import { FrameworkDepartment } from './area.entity.js';

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
