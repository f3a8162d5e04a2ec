/**
 * The global guard: every route must declare its access (@Public or @Roles); a bearer token (or, for pages, the
 * session cookie) is checked and its account loaded for every other route. Then the request's plan is decided
 * (decidePlan) and the actor's role and organisation set from its membership there; the role must be one the
 * route allows. Department scope is checked again by the service that loads the record.
 */
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import {
  ACCESS_KEY,
  type AccessDeclaration,
  INSTALLATION_ADMIN_KEY,
  WEB_KEY,
} from '../common/auth/access.decorator.js';
import { PLAN_OF_KEY, type PlanOfDeclaration } from '../common/auth/plan-of.decorator.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { forbidden, notFound } from '../common/http/domain-errors.js';
import { csrfMatches, sessionToken } from '../common/auth/session.js';
import { Framework } from '../framework/framework.entity.js';
import { PlanWordsCache } from '../framework/request-words.js';
import { AuthService, unauthorized } from './auth.service.js';
import { AccessError } from './access-errors.js';
import { actorInNoPlan, actorInPlan, memberPlanIds } from './memberships.js';

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return undefined;
}

/** A positive integer id from a query or body value, else undefined (the validation pipe answers for it). */
function idOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(number) && number > 0 && number <= 2_147_483_647 ? number : undefined;
}

export const NO_MEMBERSHIP_MESSAGE = 'Sie haben in diesem Plan keine Rolle.';

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  private readonly words = new PlanWordsCache();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_KEY, targets);
    if (!access) {
      this.logger.error(`Route ohne Zugriffsregel: ${context.getClass().name}.${context.getHandler().name}`);
      throw forbidden(AccessError.UNDECLARED, 'Für diese Adresse ist kein Zugriff vorgesehen.');
    }
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const web = this.reflector.getAllAndOverride<boolean | undefined>(WEB_KEY, targets);
    let token: string | undefined;
    if (web) {
      // Pages are signed in by the session cookie; every form post must carry the session's CSRF token.
      const session = sessionToken(request);
      if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && session) {
        const body = request.body as Record<string, unknown> | undefined;
        // Never from the address: a token in a URL ends up in logs and the browser history.
        const given = body?._csrf ?? request.headers['x-csrf-token'];
        if (!csrfMatches(this.auth.csrfSecret, session, given)) {
          throw forbidden(
            AccessError.CSRF,
            'Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu.',
          );
        }
      }
      if (access.public) {
        if (session) {
          const signedIn = await this.auth.authenticateWithPlan(session).catch(() => undefined);
          if (signedIn) {
            // A public page shows who is signed in; it grants nothing, so a missing membership refuses nothing.
            const plan = await this.decidePlan(context, request, signedIn.actor, signedIn.onlyPlanId).catch(
              () => undefined,
            );
            const actor = plan === undefined ? null : actorInPlan(signedIn.actor, plan);
            request.actor = actor ?? actorInNoPlan(signedIn.actor);
            RequestContext.setActor(request.actor);
          }
        }
        return true;
      }
      if (!session) throw unauthorized();
      token = session;
    } else {
      if (access.public) return true;
      token = bearerToken(request);
      if (!token) throw unauthorized();
    }
    const { actor: account, onlyPlanId } = await this.auth.authenticateWithPlan(token);
    // Signed in, even if refused below: the pages' error answers name the account.
    request.actor = actorInNoPlan(account);
    RequestContext.setActor(request.actor);
    const plan = await this.decidePlan(context, request, account, onlyPlanId);
    let actor: Actor;
    if (plan === undefined) actor = actorInNoPlan(account);
    else {
      const inPlan = actorInPlan(account, plan);
      // A membership names an existing plan; an installation administrator holds every plan, so a plan named
      // by its id is checked to be there.
      const known =
        (inPlan && !account.installationAdmin) ||
        plan === onlyPlanId ||
        plan === RequestContext.current()?.planId;
      const exists = known || (await this.dataSource.manager.existsBy(Framework, { id: plan }));
      if (!exists) {
        // A plan that does not exist: the service that resolves it answers 404.
        actor = actorInNoPlan(account);
      } else if (inPlan) {
        RequestContext.setPlan(plan, await this.words.of(this.dataSource.manager, plan));
        actor = inPlan;
      } else {
        throw forbidden(AccessError.NO_MEMBERSHIP, NO_MEMBERSHIP_MESSAGE);
      }
    }
    request.actor = actor;
    RequestContext.setActor(actor);
    if (this.reflector.getAllAndOverride<boolean | undefined>(INSTALLATION_ADMIN_KEY, targets)) {
      if (!actor.installationAdmin) {
        throw forbidden(
          AccessError.INSTALLATION_ADMIN,
          'Das ist Sache der Administration der Installation (Konten, Benachrichtigungen aller Pläne).',
        );
      }
      return true;
    }
    if (!access.roles.includes(actor.role))
      throw forbidden(AccessError.ROLE, 'Ihre Rolle erlaubt diese Aktion nicht.');
    return true;
  }

  /**
   * The request's plan: the one the page address named (already in the request context); else `frameworkId`
   * in the query or body; else the plan of the record the route works on (@PlanOf); else the installation's
   * only plan, or the only plan the actor has a membership in. Undefined when none of these decides it. A record
   * of another plan than the one named is not found in it (404).
   */
  private async decidePlan(
    context: ExecutionContext,
    request: Request,
    actor: Actor,
    onlyPlanId: number | null,
  ): Promise<number | undefined> {
    // The plan named by the address, the query and the body: where two name a plan, they must name the same,
    // so that the role is checked in the plan the service then writes to.
    const namings = [
      RequestContext.current()?.planId,
      idOf((request.query as Record<string, unknown> | undefined)?.frameworkId),
      idOf((request.body as Record<string, unknown> | undefined)?.frameworkId),
    ].filter((id): id is number => id !== undefined);
    if (namings.some((id) => id !== namings[0])) {
      throw notFound(AccessError.OTHER_PLAN, 'Der Datensatz gehört nicht zu diesem Plan.');
    }
    const named = namings[0];
    const declaration = this.reflector.getAllAndOverride<PlanOfDeclaration | undefined>(PLAN_OF_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const recordPlan = declaration ? await this.planOfRecord(declaration, request) : undefined;
    if (named !== undefined && recordPlan !== undefined && named !== recordPlan) {
      throw notFound(AccessError.OTHER_PLAN, 'Der Datensatz gehört nicht zu diesem Plan.');
    }
    const decided = named ?? recordPlan;
    if (decided !== undefined) return decided;
    if (onlyPlanId !== null) return onlyPlanId;
    const plans = memberPlanIds(actor);
    return !actor.installationAdmin && plans.length === 1 ? plans[0] : undefined;
  }

  /** The plan of the record the route names, in one small query; undefined when there is no such record. */
  private async planOfRecord(declaration: PlanOfDeclaration, request: Request): Promise<number | undefined> {
    const raw = declaration.param
      ? (request.params as Record<string, unknown>)[declaration.param]
      : declaration.body
        ? (request.body as Record<string, unknown> | undefined)?.[declaration.body]
        : undefined;
    const id = idOf(raw);
    if (id === undefined) return undefined;
    const query = this.dataSource
      .createQueryBuilder()
      .from(declaration.entity, 'r')
      .where('r.id = :id', { id });
    if (declaration.via) {
      query
        .innerJoin(declaration.via.entity, 'p', `p.id = r.${declaration.via.column}`)
        .select('p.frameworkId', 'plan');
    } else query.select('r.frameworkId', 'plan');
    const row = await query.getRawOne<{ plan: number | string | null }>();
    return row && row.plan !== null ? Number(row.plan) : undefined;
  }
}
