/**
 * The global guard: every route must declare its access (@Public or @Roles); a bearer token is checked and
 * its user loaded for every other route; the role must be one the route allows. Department scope is checked
 * again by the service that loads the record.
 */
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY, type AccessDeclaration } from '../common/auth/access.decorator.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { forbidden } from '../common/http/domain-errors.js';
import { AuthService, unauthorized } from './auth.service.js';

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
      throw forbidden('ACCESS.UNDECLARED', 'Für diese Adresse ist kein Zugriff vorgesehen.');
    }
    if (access.public) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const token = bearerToken(request);
    if (!token) throw unauthorized();
    const actor = await this.auth.authenticate(token);
    request.actor = actor;
    RequestContext.setActor(actor);
    if (!access.roles.includes(actor.role)) {
      throw forbidden('ACCESS.ROLE', 'Ihre Rolle erlaubt diese Aktion nicht.');
    }
    return true;
  }
}
