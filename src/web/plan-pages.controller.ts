/**
 * The plans of the installation: the list (where the plan switcher leads without a choice), the switcher's
 * target (the same page under the plan chosen), and the 404 page for a plan code no plan has.
 */
import { All, Controller, Get, NotFoundException, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Public, WebPages } from '../common/auth/access.decorator.js';
import { safeNext } from '../common/auth/safe-next.js';
import { plansOf } from '../auth/memberships.js';
import { PlansService } from '../framework/plans.service.js';
import { PLAN_ADDRESS, planBaseOf, SWITCH_SEGMENT } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * Where the switcher leads under another plan: the same page, up to the first record of the old plan (a
 * measure of one plan is not in the other), without the old plan's filters; the path checked like a sign-in's
 * return address.
 */
export function switchTarget(target: unknown): string {
  const path = safeNext(typeof target === 'string' ? target.split(/[?#]/)[0] : target);
  if (path.startsWith(PLAN_ADDRESS + '/') || path === PLAN_ADDRESS) return '/';
  const segments = path.split('/');
  const record = segments.findIndex((segment, index) => index > 0 && /^\d+$/.test(segment));
  return record > 0 ? segments.slice(0, record).join('/') || '/' : path;
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller(PLAN_ADDRESS.slice(1))
export class PlanPagesController {
  constructor(
    private readonly plans: PlansService,
    private readonly context: WebContext,
  ) {}

  @Get()
  @AnyRole()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const plans = plansOf(request.actor, await this.plans.list()).map((plan) => ({
      ...plan,
      href: `${planBaseOf(plan.code)}/`,
    }));
    response.render('plans', await this.context.page(request, 'Pläne', 'plans', { planList: plans }));
  }

  @Get(SWITCH_SEGMENT)
  @AnyRole()
  async switch(
    @Res() response: Response,
    @Query('plan') code: unknown,
    @Query('ziel') target: unknown,
  ): Promise<void> {
    const plan = (await this.plans.list()).find((p) => p.code === code);
    if (!plan) return response.redirect(303, PLAN_ADDRESS);
    response.redirect(303, `${planBaseOf(plan.code)}${switchTarget(target)}`);
  }

  /** Reached only by a code no plan has: the address middleware serves every known plan's pages. */
  @All(':code')
  @Public()
  unknownPlan(): never {
    throw new NotFoundException();
  }

  @All(':code/*rest')
  @Public()
  unknownPlanPage(): never {
    throw new NotFoundException();
  }
}
