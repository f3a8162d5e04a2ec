/**
 * A plan's shape as its framework file says it: the levels its measures work on and the rule for its measure
 * codes. A plan without its own (null columns) has Bremen's. Read by the measure checks, the pages and the
 * workbooks, so that all of them speak of the same levels and codes.
 */
import { DEFAULT_LEVELS, DEFAULT_MEASURE_CODE, measureCodeRegExp } from './framework-file.js';
import type { EntityManager } from 'typeorm';
import { InvalidInputException } from '../common/http/validation.js';
import { Framework } from './framework.entity.js';

export interface PlanLevel {
  code: string;
  name: string;
}

type LevelsOf = Pick<Framework, 'levels'> | null | undefined;

/** The plan's levels (Bremen's Land and two Stadtgemeinden unless its file names others). */
export function levelsOf(plan: LevelsOf): PlanLevel[] {
  return (plan?.levels?.length ? plan.levels : DEFAULT_LEVELS).map((l) => ({ code: l.code, name: l.name }));
}

/** The name of a level of the plan ("Stadtgemeinde Bremen"); an unknown code stays as it is. */
export function levelLabel(plan: LevelsOf, code: string): string {
  return levelsOf(plan).find((l) => l.code === code)?.name ?? code;
}

/** A filter by level (measure list, dashboard) names the plan's levels only: 400 listing them otherwise. */
export async function checkLevelFilter(
  manager: EntityManager,
  frameworkId: number,
  wanted: readonly string[] | undefined,
): Promise<void> {
  if (!wanted?.length) return;
  const levels = levelsOf(await manager.findOneBy(Framework, { id: frameworkId }));
  const unknown = wanted.filter((l) => !levels.some((level) => level.code === l));
  if (unknown.length) {
    throw new InvalidInputException([
      {
        field: 'level',
        messages: [
          `unbekannte Ebene(n) ${unknown.join(', ')}; erlaubt: ${levels.map((l) => l.code).join(', ')}`,
        ],
      },
    ]);
  }
}

export interface MeasureCodeRule {
  pattern: RegExp;
  example: string;
}

/** The plan's rule for measure codes, matched against the whole code, and its example ("3.1-04"). */
export function measureCodeRule(
  plan: Pick<Framework, 'measureCodePattern' | 'measureCodeExample'> | null | undefined,
): MeasureCodeRule {
  if (!plan?.measureCodePattern) {
    return {
      pattern: measureCodeRegExp(DEFAULT_MEASURE_CODE.pattern),
      example: DEFAULT_MEASURE_CODE.example,
    };
  }
  return {
    pattern: measureCodeRegExp(plan.measureCodePattern),
    example: plan.measureCodeExample ?? DEFAULT_MEASURE_CODE.example,
  };
}

/** The German message when a code does not follow the plan's rule. */
export function measureCodeMessage(rule: MeasureCodeRule): string {
  return `Kürzel muss dem Muster des Plans folgen, z. B. ${rule.example}`;
}
