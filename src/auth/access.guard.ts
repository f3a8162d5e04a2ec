/**
 * The global guard: every route must declare its access (@Public or @Roles); a bearer token is checked and
 * its user loaded for every other route; the role must be one the route allows. Department scope is checked
 * again by the service that loads the record.
 */
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY, type AccessDeclaration, WEB_KEY } from '../common/auth/access.decorator.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { forbidden } from '../common/http/domain-errors.js';
import { csrfMatches, sessionToken } from '../common/auth/session.js';
import { AuthService, unauthorized } from './auth.service.js';
import { AccessError } from './access-errors.js';

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return undefined;
}

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) {
      this.logger.error(`Route ohne Zugriffsregel: ${context.getClass().name}.${context.getHandler().name}`);
      throw forbidden(AccessError.UNDECLARED, 'Für diese Adresse ist kein Zugriff vorgesehen.');
    }
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const web = this.reflector.getAllAndOverride<boolean | undefined>(WEB_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
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
        if (session) request.actor = await this.auth.authenticate(session).catch(() => undefined);
        if (request.actor) RequestContext.setActor(request.actor);
        return true;
      }
      if (!session) throw unauthorized();
      const actor = await this.auth.authenticate(session);
      request.actor = actor;
      RequestContext.setActor(actor);
      if (!access.roles.includes(actor.role))
        throw forbidden(AccessError.ROLE, 'Ihre Rolle erlaubt diese Aktion nicht.');
      return true;
    }
    if (access.public) return true;
    const token = bearerToken(request);
    if (!token) throw unauthorized();
    const actor = await this.auth.authenticate(token);
    request.actor = actor;
    RequestContext.setActor(actor);
    if (!access.roles.includes(actor.role)) {
      throw forbidden(AccessError.ROLE, 'Ihre Rolle erlaubt diese Aktion nicht.');
    }
    return true;
  }
}
