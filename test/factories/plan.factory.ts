/**
 * A second plan for a suite, written directly as a framework file would leave it: the framework row with its
 * code and name (the rest as a plain file gives it), to which a suite adds the goals, fields and records it needs.
 */
import type { EntityManager } from 'typeorm';
import { Framework } from '../../src/framework/framework.entity.js';
import type { PlanVocabulary } from '../../src/framework/plans.service.js';

/** The words of a second plan that speaks its own (a suite writes them to frameworks.vocabulary). */
export const OWN_WORDS = {
  goal: 'Leitziel',
  goals: 'Leitziele',
  field: 'Themenfeld',
  fields: 'Themenfelder',
  measure: 'Projekt',
  measures: 'Projekte',
  organisation: 'Organisation',
  organisations: 'Organisationen',
  body: 'Gremium',
  bodies: 'Gremien',
  report: 'Sachstandsbericht',
  reports: 'Sachstandsberichte',
} satisfies PlanVocabulary;

export function addPlan(
  manager: EntityManager,
  plan: Partial<Framework> & Pick<Framework, 'code' | 'name'>,
): Promise<Framework> {
  return manager.save(
    manager.create(Framework, {
      region: 'Region',
      adopted: '2025',
      version: '1',
      targetGroups: [],
      sourceFile: `${plan.code}.json`,
      ...plan,
    }),
  );
}
