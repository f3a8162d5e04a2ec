/**
 * Names the plan-bound record a route works on, so that the access guard can decide the request's plan from it
 * (and the actor's role there): `@PlanOf(Measure, { param: 'id' })` for a record in the address,
 * `@PlanOf(Meeting, { body: 'meetingId' })` for one named in the body. A record without its own `frameworkId`
 * names the record that has one: `@PlanOf(StatusReport, { param: 'id', via: { column: 'measureId', entity:
 * Measure } })`.
 */
import { SetMetadata } from '@nestjs/common';

/** An entity class (TypeORM target). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;

export interface PlanOfDeclaration {
  entity: EntityClass;
  /** The route parameter that holds the record's id. */
  param?: string;
  /** The body field that holds the record's id. */
  body?: string;
  /** The record's column that names the plan-bound record, and that record's entity. */
  via?: { column: string; entity: EntityClass };
}

export const PLAN_OF_KEY = 'rkm:plan-of';

export const PlanOf = (
  entity: EntityClass,
  source: Omit<PlanOfDeclaration, 'entity'>,
): MethodDecorator & ClassDecorator =>
  SetMetadata(PLAN_OF_KEY, { entity, ...source } satisfies PlanOfDeclaration);
