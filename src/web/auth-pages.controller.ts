import { Body, Controller, Get, HttpException, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource, In } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { AuthService } from '../auth/auth.service.js';
import { OidcService } from '../auth/oidc.service.js';
import { ChangePasswordDto } from '../auth/dto/auth.dto.js';
import { AnyRole, Public, WebPages } from '../common/auth/access.decorator.js';
import {
  clearLoginNonce,
  fromForeignPage,
  issueLoginNonce,
  loginFormToken,
  loginFormTokenMatches,
  loginNonce,
} from '../common/auth/login-csrf.js';
import { safeNext } from '../common/auth/safe-next.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../common/auth/session.js';
import { AppConfig } from '../common/config/app-config.js';
import { InvalidInputException } from '../common/http/validation.js';
import { todayInBremen } from '../common/dates.js';
import { formErrors, validateForm } from './form-errors.js';
import { sendOnward, SSO_COOKIE } from './sso-pages.controller.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', description: 'Koordinierungsstelle (alle Rechte)' },
  { email: 'soziales@demo.local', description: 'Ressort Arbeit, Soziales, Jugend und Integration' },
  { email: 'bildung@demo.local', description: 'Ressort Kinder und Bildung' },
  { email: 'steuerung@demo.local', description: 'Steuerungsrunde (nur lesen)' },
  { email: 'regiopol@demo.local', description: 'Regiopolregion Bielefeld: Partnerkommune Bielefeld' },
  { email: 'nordwest@demo.local', description: 'Metropolregion Nordwest (nur lesen)' },
  {
    email: 'spk@demo.local',
    description: 'OE SPK Tempelhof-Schöneberg: Regionalkoordination Schöneberg Nord',
  },
];

const LOGIN_REFUSED =
  'Die Anmeldung ist abgelaufen oder kam von einer fremden Seite. Bitte erneut versuchen.';

const PASSWORD_LABELS = {
  currentPassword: 'Bisheriges Passwort',
  newPassword: 'Neues Passwort',
  repeatPassword: 'Neues Passwort wiederholen',
};

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly context: WebContext,
    private readonly config: AppConfig,
    private readonly oidc: OidcService,
    private readonly dataSource: DataSource,
  ) {}

  @Get('anmelden')
  @Public()
  async loginPage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('weiter') next?: string,
    @Query('abgemeldet') loggedOut?: string,
  ): Promise<void> {
    if (request.actor) return response.redirect(303, safeNext(next));
    // A session cookie that no longer signs anyone in would make the guard ask the sign-in post for that
    // session's token; the page drops it.
    if (sessionToken(request)) clearSessionCookie(response);
    await this.renderLogin(request, response, 200, { next, loggedOut: !!loggedOut });
  }

  @Post('anmelden')
  @Public()
  async login(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
    @Query('weiter') next?: string,
  ): Promise<void> {
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    // Login CSRF: only a post from this site's sign-in page, with the token bound to its pre-session cookie.
    if (
      fromForeignPage(request) ||
      !loginFormTokenMatches(this.auth.csrfSecret, loginNonce(request), body._csrf)
    ) {
      return this.renderLogin(request, response, 403, { next, email, error: LOGIN_REFUSED, renew: true });
    }
    try {
      if (!email || !password)
        throw new HttpException({ message: 'Bitte E-Mail-Adresse und Passwort eingeben.' }, 401);
      const result = await this.auth.login(email, password, request.ip ?? '');
      setSessionCookie(response, result.accessToken, result.expiresIn, this.config.NODE_ENV === 'production');
      clearLoginNonce(response);
      response.redirect(303, safeNext(next));
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const payload = error.getResponse() as { message?: string };
      await this.renderLogin(request, response, error.getStatus(), {
        next,
        email,
        error: payload.message ?? 'Anmeldung fehlgeschlagen.',
      });
    }
  }

  /** The sign-in page with its form token; `renew` (or no valid cookie) starts a new pre-session. */
  private async renderLogin(
    request: WebRequest,
    response: Response,
    status: number,
    options: { next?: string; email?: string; error?: string; loggedOut?: boolean; renew?: boolean },
  ): Promise<void> {
    const existing = options.renew ? undefined : loginNonce(request);
    const nonce = existing ?? issueLoginNonce(response, this.config.NODE_ENV === 'production');
    const page = await this.context.page(request, 'Anmelden', 'login', {
      next: options.next ? safeNext(options.next) : '',
      loggedOut: options.loggedOut ?? false,
    });
    response.status(status).render('login', {
      ...page,
      email: options.email ?? '',
      error: options.error,
      loginToken: loginFormToken(this.auth.csrfSecret, nonce),
      demoAccounts: page.demo ? await this.demoAccounts() : null,
      ssoEnabled: this.oidc.enabled,
      localLogin: this.config.LOCAL_LOGIN === 'on',
    });
  }

  @Post('abmelden')
  @AnyRole()
  async logout(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.auth.logout(request.actor!);
    clearSessionCookie(response);
    // Signed in with the service account: end the provider's session too, where it offers a logout.
    const cookies = (request as unknown as { cookies?: Record<string, unknown> }).cookies ?? {};
    const idToken = cookies[SSO_COOKIE];
    if (typeof idToken === 'string' && idToken) {
      response.clearCookie(SSO_COOKIE, { path: '/' });
      const providerLogout = await this.oidc.endSessionUrl(idToken);
      // Not a redirect: the policy's form-action 'self' would block this form post from ending at the provider.
      if (providerLogout)
        return sendOnward(
          response,
          providerLogout,
          'Abgemeldet',
          'Sie sind hier abgemeldet. Weiter zur Abmeldung beim Anmeldedienst.',
        );
    }
    response.redirect(303, '/anmelden?abgemeldet=1');
  }

  @Get('konto/passwort')
  @AnyRole()
  async passwordPage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('geaendert') changed?: string,
  ): Promise<void> {
    await this.renderPassword(request, response, [], 200, !!changed);
  }

  @Post('konto/passwort')
  @AnyRole()
  async changePassword(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const field = (name: string): string => (typeof body[name] === 'string' ? body[name] : '');
    const { value, errors } = await validateForm(ChangePasswordDto, {
      currentPassword: field('currentPassword'),
      newPassword: field('newPassword'),
    });
    if (field('newPassword') !== field('repeatPassword'))
      errors.push({ field: 'repeatPassword', messages: ['stimmt nicht mit dem neuen Passwort überein'] });
    if (errors.length) return this.renderPassword(request, response, errors, 400);
    try {
      const result = await this.auth.changePassword(
        request.actor!,
        value.currentPassword,
        value.newPassword,
        request.ip ?? '',
      );
      setSessionCookie(response, result.accessToken, result.expiresIn, this.config.NODE_ENV === 'production');
      redirectInPlan(request, response, '/konto/passwort?geaendert=1');
    } catch (error) {
      if (error instanceof InvalidInputException) {
        const payload = error.getResponse() as { errors: { field: string; messages: string[] }[] };
        return this.renderPassword(request, response, payload.errors, 400);
      }
      if (error instanceof HttpException && error.getStatus() === 429) {
        const payload = error.getResponse() as { message: string };
        return this.renderPassword(
          request,
          response,
          [{ field: 'currentPassword', messages: [payload.message] }],
          429,
        );
      }
      throw error;
    }
  }

  private async renderPassword(
    request: WebRequest,
    response: Response,
    errors: { field: string; messages: string[] }[],
    status: number,
    changed = false,
  ): Promise<void> {
    response.status(status).render(
      'password',
      await this.context.page(
        request,
        errors.length ? 'Fehler: Passwort ändern' : 'Passwort ändern',
        'password',
        {
          changed,
          ...formErrors(errors, PASSWORD_LABELS),
        },
      ),
    );
  }

  @Get('barrierefreiheit')
  @Public()
  async accessibility(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    response.render(
      'accessibility',
      await this.context.page(request, 'Erklärung zur Barrierefreiheit', 'accessibility', {
        today: todayInBremen(),
      }),
    );
  }

  /** The demo accounts this installation holds (those of a plan exist once its plan is loaded). */
  private async demoAccounts(): Promise<typeof DEMO_ACCOUNTS> {
    const existing = await this.dataSource.manager.find(User, {
      where: { email: In(DEMO_ACCOUNTS.map((a) => a.email)), isDemo: true },
      select: { id: true, email: true },
    });
    const emails = new Set(existing.map((u) => u.email));
    return DEMO_ACCOUNTS.filter((a) => emails.has(a.email));
  }
}
