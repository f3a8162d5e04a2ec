/**
 * Every route declares who may call it: @Public() for the few deliberately open routes, @Roles(...) for the
 * rest. The global AccessGuard refuses any route without a declaration, and a test enumerates the routes.
 */
import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../auth/user.entity.js';

export const ACCESS_KEY = 'rkm:access';

export type AccessDeclaration = { public: true } | { public: false; roles: readonly Role[] };

export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { public: true } satisfies AccessDeclaration);

export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { public: false, roles } satisfies AccessDeclaration);

/** Readable by every signed-in role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles('admin', 'editor', 'viewer');

export const WEB_KEY = 'rkm:web';

/**
 * Marks a controller as server-rendered pages: signed in by the session cookie (not a bearer token), form
 * posts carry a CSRF token, and errors are answered with German pages instead of JSON.
 */
export const WebPages = (): ClassDecorator => SetMetadata(WEB_KEY, true);

export const INSTALLATION_ADMIN_KEY = 'rkm:installation-admin';

/**
 * Accounts (and plans) are managed by installation administrators only: a plan's admin who is not one is
 * refused, whatever the route's roles say.
 */
export const InstallationAdmin = (): MethodDecorator & ClassDecorator =>
  SetMetadata(INSTALLATION_ADMIN_KEY, true);
