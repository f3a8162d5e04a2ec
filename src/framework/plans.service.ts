/**
 * The plans (Rahmenkonzepte) of the installation, and which plan a request is about. Every read of plan-bound
 * records takes its plan from resolvePlan: with one plan in the installation a request may leave the plan out,
 * with several it must name it (frameworkId), so that no list mixes two plans' records.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { invalid, notFound } from '../common/http/domain-errors.js';
import { FrameworkError } from './framework-errors.js';
import { Framework } from './framework.entity.js';

/** The words a plan uses for its parts, singular and plural (Ziel/Ziele, Handlungsfeld/Handlungsfelder, …). */
export interface PlanVocabulary {
  goal: string;
  goals: string;
  field: string;
  fields: string;
  measure: string;
  measures: string;
  organisation: string;
  organisations: string;
  body: string;
  bodies: string;
  report: string;
  reports: string;
}

/** The Bremen Rahmenkonzept's words: a plan's vocabulary where its framework file names no other. */
export const DEFAULT_VOCABULARY: Readonly<PlanVocabulary> = Object.freeze({
  goal: 'Ziel',
  goals: 'Ziele',
  field: 'Handlungsfeld',
  fields: 'Handlungsfelder',
  measure: 'Maßnahme',
  measures: 'Maßnahmen',
  organisation: 'Ressort',
  organisations: 'Ressorts',
  body: 'Gremium',
  bodies: 'Gremien',
  report: 'Umsetzungsbericht',
  reports: 'Umsetzungsberichte',
});

/** The plan's words: those its framework file names, the Bremen words for the rest. */
export function vocabularyOf(plan: Pick<Framework, 'vocabulary'> | null | undefined): PlanVocabulary {
  const own = plan?.vocabulary ?? {};
  const words = { ...DEFAULT_VOCABULARY };
  for (const key of Object.keys(words) as (keyof PlanVocabulary)[]) {
    const word = own[key];
    if (typeof word === 'string' && word.length > 0) words[key] = word;
  }
  return words;
}

/** A plan as the list of plans shows it. */
export interface PlanSummary {
  id: number;
  code: string;
  name: string;
  region: string;
  vocabulary: PlanVocabulary;
}

export const PLAN_REQUIRED_MESSAGE = 'Diese Installation führt mehrere Pläne; bitte frameworkId angeben.';

/**
 * The plan a request is about: the one named (404 FRAMEWORK.NOT_FOUND when there is none with that id), or
 * the one the request context has decided (page address, the record's plan), or, when neither, the
 * installation's only plan (400 FRAMEWORK.PLAN_REQUIRED when there are several,
 * 404 FRAMEWORK.NOT_LOADED when there is none yet).
 */
export async function resolvePlan(manager: EntityManager, frameworkId?: number | null): Promise<number> {
  if (frameworkId !== undefined && frameworkId !== null) {
    if (!(await manager.existsBy(Framework, { id: frameworkId })))
      throw notFound(FrameworkError.NOT_FOUND, `Ein Rahmenkonzept mit der ID ${frameworkId} gibt es nicht.`);
    return frameworkId;
  }
  const decided = RequestContext.current()?.planId;
  if (decided !== undefined) return decided;
  const plans = await manager.find(Framework, { select: { id: true }, order: { id: 'ASC' }, take: 2 });
  if (plans.length === 0)
    throw notFound(FrameworkError.NOT_LOADED, 'Es ist noch kein Rahmenkonzept geladen.');
  if (plans.length > 1) throw invalid(FrameworkError.PLAN_REQUIRED, PLAN_REQUIRED_MESSAGE);
  return plans[0].id;
}

@Injectable()
export class PlansService {
  constructor(@InjectRepository(Framework) private readonly frameworks: Repository<Framework>) {}

  /** Every plan of the installation, in the order they were loaded. */
  async list(): Promise<PlanSummary[]> {
    const plans = await this.frameworks.find({ order: { id: 'ASC' } });
    return plans.map((plan) => this.summary(plan));
  }

  async get(id: number): Promise<PlanSummary> {
    const plan = await this.frameworks.findOneBy({ id });
    if (!plan) throw notFound(FrameworkError.NOT_FOUND, `Ein Rahmenkonzept mit der ID ${id} gibt es nicht.`);
    return this.summary(plan);
  }

  /** See resolvePlan: the plan named, else the only one. */
  resolvePlan(
    frameworkId?: number | null,
    manager: EntityManager = this.frameworks.manager,
  ): Promise<number> {
    return resolvePlan(manager, frameworkId);
  }

  private summary(plan: Framework): PlanSummary {
    return {
      id: plan.id,
      code: plan.code,
      name: plan.name,
      region: plan.region,
      vocabulary: vocabularyOf(plan),
    };
  }
}
