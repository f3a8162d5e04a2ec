/**
 * Sign-in and token checks. Tokens are signed JWTs carrying the user id and the account's token generation;
 * every request reloads the account, so a deactivated user or a reset password ends old tokens at once.
 */
import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcryptjs';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../common/config/app-config.js';
import { forbidden } from '../common/http/domain-errors.js';
import { InvalidInputException } from '../common/http/validation.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { LoginLimiter } from './login-limiter.js';
import { resolveAuthSecret } from './secrets.js';
import { SsoError } from './sso-errors.js';
import type { User } from './user.entity.js';
import { toActor, toUserView, type UserView, UsersService } from './users.service.js';

interface TokenPayload {
  sub: number;
  gen: number;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  /** Exactly the DESIGN.md contract; the rights per plan are at GET /api/auth/me. */
  user: Pick<UserView, 'id' | 'email' | 'displayName' | 'role' | 'departmentId'> &
    Partial<Pick<UserView, 'installationAdmin' | 'memberships'>>;
}

// A fixed hash to compare against when the account does not exist, so both paths take the same time.
const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8Qw3rQ6zq5hQ0XoXbIu5Yvx1nE9G';

export const unauthorized = (message = 'Bitte melden Sie sich an.'): UnauthorizedException =>
  new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });

/** 429 with the seconds to wait, after too many failed sign-ins or password confirmations. */
function tooManyFailures(what: string, retryAfter: number): HttpException {
  return new HttpException(
    {
      statusCode: 429,
      error: 'Too Many Requests',
      message: `${what} Bitte warten Sie ${retryAfter} Sekunden.`,
      retryAfter,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

@Injectable()
export class AuthService {
  /** Key for the web forms' CSRF tokens, derived from the signing secret. */
  readonly csrfSecret: string;

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.csrfSecret = `csrf:${resolveAuthSecret(config)}`;
  }

  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    // Recorded as a failure before the password is checked, so parallel attempts cannot all pass the limit.
    const attempt = await this.limiter.begin(email, ip);
    if (attempt.retryAfter > 0) {
      await this.audit.recordEvent({ action: 'login_blocked', entity: 'Session', userEmail: email });
      throw tooManyFailures('Zu viele fehlgeschlagene Anmeldungen.', attempt.retryAfter);
    }
    if (!this.passwordSignInAllowed(email)) {
      await this.limiter.release(attempt);
      await this.audit.recordEvent({
        action: 'login_failed',
        entity: 'Session',
        userEmail: email,
        note: 'Anmeldung mit Passwort abgeschaltet',
      });
      throw forbidden(
        SsoError.LOCAL_LOGIN_DISABLED,
        'Die Anmeldung mit Passwort ist abgeschaltet. Bitte melden Sie sich mit Ihrem Dienstkonto an.',
      );
    }
    const user = await this.users.findWithHash(email);
    const matches = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !matches || !user.active) {
      // The attempt's row stays: it is this failure.
      await this.audit.recordEvent({
        action: 'login_failed',
        entity: 'Session',
        entityId: user ? String(user.id) : '',
        userId: user?.id ?? null,
        userEmail: email,
        note: !user ? 'unbekanntes Konto' : !matches ? 'falsches Passwort' : 'Konto deaktiviert',
      });
      throw unauthorized('E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist deaktiviert.');
    }
    await this.limiter.reset(email, ip);
    await this.audit.recordEvent({
      action: 'login',
      entity: 'Session',
      entityId: String(user.id),
      userId: user.id,
      userEmail: user.email,
    });
    return this.issue(user);
  }

  /** With LOCAL_LOGIN=off only the break-glass account may sign in with a password. */
  passwordSignInAllowed(email: string): boolean {
    if (this.config.LOCAL_LOGIN !== 'off') return true;
    const breakGlass = this.config.LOCAL_LOGIN_BREAK_GLASS?.trim().toLowerCase();
    return !!breakGlass && email.trim().toLowerCase() === breakGlass;
  }

  /**
   * Sign-in after the identity provider vouched for `identifier` (the value of OIDC_MATCH_CLAIM): only an
   * existing, active account with that e-mail address; there is no self-registration.
   */
  async loginWithSso(identifier: string): Promise<LoginResult> {
    const email = identifier.trim().toLowerCase();
    const user = email ? await this.users.findWithHash(email) : null;
    if (!user || !user.active) {
      await this.audit.recordEvent({
        action: 'login_failed',
        entity: 'Session',
        entityId: user ? String(user.id) : '',
        userId: user?.id ?? null,
        userEmail: email.slice(0, 254),
        note: user ? 'Dienstkonto: Konto deaktiviert' : 'Dienstkonto: kein Konto',
      });
      throw user
        ? forbidden(
            SsoError.ACCOUNT_INACTIVE,
            'Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Koordinierungsstelle.',
          )
        : forbidden(
            SsoError.UNKNOWN_ACCOUNT,
            `Für das Dienstkonto ${email || '(ohne Kennung)'} gibt es kein Konto im Rahmenkonzept-Monitor. Bitte wenden Sie sich an die Koordinierungsstelle.`,
          );
    }
    await this.audit.recordEvent({
      action: 'login',
      entity: 'Session',
      entityId: String(user.id),
      userId: user.id,
      userEmail: user.email,
      note: 'Dienstkonto (Single Sign-on)',
    });
    return this.issue(user);
  }

  /**
   * The signed-in account sets a new password, confirming the current one. Wrong current passwords count
   * towards the same limit as failed sign-ins. Every other session ends; the answer carries a new token.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    ip: string,
  ): Promise<LoginResult> {
    const attempt = await this.limiter.begin(actor.email, ip);
    if (attempt.retryAfter > 0)
      throw tooManyFailures('Zu viele fehlgeschlagene Versuche.', attempt.retryAfter);
    const user = await this.users.findWithHash(actor.email);
    if (!user || !(await bcrypt.compare(currentPassword, user.passwordHash))) {
      // The attempt's row stays: it is this failure.
      await this.audit.recordEvent({
        action: 'password_change_failed',
        entity: 'User',
        entityId: String(actor.id),
        userId: actor.id,
        userEmail: actor.email,
        note: 'bisheriges Passwort falsch',
      });
      throw new InvalidInputException([
        { field: 'currentPassword', messages: ['Das bisherige Passwort stimmt nicht.'] },
      ]);
    }
    if (currentPassword === newPassword) {
      // The right current password: not a failure.
      await this.limiter.release(attempt);
      throw new InvalidInputException([
        { field: 'newPassword', messages: ['Das neue Passwort muss sich vom bisherigen unterscheiden.'] },
      ]);
    }
    await this.limiter.reset(actor.email, ip);
    await this.users.resetPassword(user.id, newPassword, { field: 'newPassword', action: 'password_change' });
    const changed = await this.users.findById(user.id);
    return this.issue(changed!);
  }

  private async issue(user: User): Promise<LoginResult> {
    const expiresIn = this.config.TOKEN_TTL_MINUTES * 60;
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, gen: user.tokenGeneration } satisfies TokenPayload,
      {
        expiresIn,
      },
    );
    const view = toUserView(user);
    return {
      accessToken,
      expiresIn,
      user: {
        id: view.id,
        email: view.email,
        displayName: view.displayName,
        role: view.role,
        departmentId: view.departmentId,
      },
    };
  }

  /** The actor behind a token, or a 401 saying why not. */
  async authenticate(token: string): Promise<Actor> {
    return (await this.authenticateWithPlan(token)).actor;
  }

  /**
   * The actor behind a token (its role and organisation as `users` keeps them until the access guard sets the
   * request's plan) and the installation's only plan (null with several), read in the same query.
   */
  async authenticateWithPlan(token: string): Promise<{ actor: Actor; onlyPlanId: number | null }> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw unauthorized(
        expired
          ? 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.'
          : 'Die Anmeldung ist ungültig.',
      );
    }
    if (typeof payload.sub !== 'number' || typeof payload.gen !== 'number')
      throw unauthorized('Die Anmeldung ist ungültig.');
    const found = await this.users.findForRequest(payload.sub);
    const user = found?.account;
    if (!user || !user.active) throw unauthorized('Das Konto ist deaktiviert oder existiert nicht mehr.');
    if (user.tokenGeneration !== payload.gen)
      throw unauthorized('Die Anmeldung wurde beendet. Bitte melden Sie sich neu an.');
    RequestContext.setDataVersion(found.dataVersion);
    return { actor: toActor(user, found.memberships), onlyPlanId: found.onlyPlanId };
  }

  async logout(actor: Actor): Promise<void> {
    await this.users.endSessions(actor.id);
  }
}
