/**
 * The plan in the page address: `/plaene/<plan code>/…` is served by the same routes as `/…`, with the request's
 * plan set to that plan. An address with a code no plan has is left alone: the plan pages answer it with the
 * German 404 page. With several plans, a signed-in page asked for without a plan is sent (303) to the same page
 * under the user's first plan, so that every page of a plan-bound reading has its plan in the address.
 */
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { type Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import { ACCESS_KEY, type AccessDeclaration, WEB_KEY } from '../common/auth/access.decorator.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { Framework } from '../framework/framework.entity.js';
import { vocabularyOf } from '../framework/plans.service.js';
import { memberPlanIds } from '../auth/memberships.js';

export const PLAN_ADDRESS = '/plaene';

/** The path segment after /plaene/ that is a page of its own, never a plan code. */
export const SWITCH_SEGMENT = 'wechseln';

const PREFIXED = /^\/plaene\/([A-Za-z0-9][A-Za-z0-9_-]{0,59})(\/[^?]*)?(\?.*)?$/;

export type PlanAddressRequest = Request & { planCode?: string; actor?: Actor };

/** The address prefix of a plan's pages. */
export function planBaseOf(code: string | undefined): string {
  return code ? `${PLAN_ADDRESS}/${encodeURIComponent(code)}` : '';
}

/** A path of the signed-in pages under the plan the request's address names (unchanged without one). */
export function planPath(request: Request, path: string): string {
  return planBaseOf((request as PlanAddressRequest).planCode) + path;
}

/** Sends the browser (303) to a page of the request's plan. */
export function redirectInPlan(request: Request, response: Response, path: string): void {
  response.redirect(303, planPath(request, path));
}

/**
 * Reads the plan code from the address (one small query per prefixed request, so that a plan loaded a moment
 * ago is found at once) and serves the rest of the address as if it had been asked for without the prefix.
 */
export function planAddressMiddleware(dataSource: DataSource) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const match = PREFIXED.exec(request.url);
    if (!match || match[1] === SWITCH_SEGMENT) return next();
    const [, code, rest, query] = match;
    dataSource
      .getRepository(Framework)
      .findOne({ select: { id: true, code: true, vocabulary: true }, where: { code } })
      .then((plan) => {
        if (plan) {
          request.url = `${rest ?? '/'}${query ?? ''}`;
          (request as PlanAddressRequest).planCode = plan.code;
          RequestContext.setPlan(plan.id, vocabularyOf(plan));
        }
        next();
      })
      .catch(next);
  };
}

/** The account's first plan by its memberships; none for an installation admin (they start at the first plan). */
export function firstPlanOf(actor: Actor | undefined): number | undefined {
  if (!actor || actor.installationAdmin) return undefined;
  return memberPlanIds(actor)[0];
}

/** Page addresses that are about no plan: never sent to a plan's address. */
const PLAN_FREE = [/^\/plaene(\/|$)/, /^\/konto(\/|$)/];

/**
 * With several plans, a GET of a signed-in page without a plan in its address goes to the same page under the
 * plan it is about (a record's plan) or else the user's first plan (an installation admin's, or without
 * memberships: the plan with the lowest id). With one
 * plan, pages answer unprefixed as they always did.
 */
@Injectable()
export class PlanAddressInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<PlanAddressRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const web = this.reflector.getAllAndOverride<boolean | undefined>(WEB_KEY, targets);
    const access = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_KEY, targets);
    if (
      !web ||
      access?.public !== false ||
      request.method !== 'GET' ||
      request.planCode ||
      !request.actor ||
      PLAN_FREE.some((pattern) => pattern.test(request.path))
    )
      return next.handle();
    const plans = await this.dataSource
      .getRepository(Framework)
      .find({ select: { id: true, code: true }, order: { id: 'ASC' } });
    if (plans.length < 2) return next.handle();
    // The plan the access guard decided (the record's plan, a frameworkId, the account's only plan), else the
    // account's first plan.
    const decided = RequestContext.current()?.planId ?? firstPlanOf(request.actor);
    const first = plans.find((plan) => plan.id === decided) ?? plans[0];
    context
      .switchToHttp()
      .getResponse<Response>()
      .redirect(303, `${planBaseOf(first.code)}${request.url}`);
    return of(undefined);
  }
}
