/**
 * Sign-in with the administration's identity provider ("Mit Dienstkonto anmelden"): the start sends the
 * browser to the provider with the flow's secrets in a signed cookie; the provider's answer comes back to the
 * callback, which signs the matching account in or shows the sign-in page with the German reason.
 */
import { Controller, Get, HttpException, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { OIDC_CALLBACK_PATH, OidcService } from '../auth/oidc.service.js';
import { Public, WebPages } from '../common/auth/access.decorator.js';
import { issueLoginNonce, loginFormToken } from '../common/auth/login-csrf.js';
import { safeNext } from '../common/auth/safe-next.js';
import { setSessionCookie } from '../common/auth/session.js';
import { AppConfig } from '../common/config/app-config.js';
import { escapeHtml } from '../common/html.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const FLOW_COOKIE = 'rkm_sso_flow';
/** The provider's ID token, kept for the logout at the provider (id_token_hint). */
export const SSO_COOKIE = 'rkm_sso';

/**
 * A page of our own that sends the browser on to `target` (meta refresh, with a link) instead of a redirect.
 * After the provider's callback: the session cookie is SameSite=Strict, and a browser does not send it on a
 * redirect chain that another site started; the next navigation starts here. After the logout form: the content
 * security policy (form-action 'self') forbids a form post to end on another site, so a redirect to the
 * provider's logout would be blocked; a navigation that this page starts is not a form submission.
 */
export function sendOnward(response: Response, target: string, title: string, text: string): void {
  const href = escapeHtml(target);
  response
    .status(200)
    .type('html')
    .send(
      `<!doctype html><html lang="de"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}">` +
        `<title>${title} – Rahmenkonzept-Monitor</title></head><body><main><h1>${title}</h1>` +
        `<p role="status">${text} <a href="${href}">Weiter</a></p></main></body></html>`,
    );
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class SsoPagesController {
  constructor(
    private readonly oidc: OidcService,
    private readonly auth: AuthService,
    private readonly context: WebContext,
    private readonly config: AppConfig,
  ) {}

  private get secure(): boolean {
    return this.config.NODE_ENV === 'production';
  }

  @Get('anmelden/dienstkonto')
  @Public()
  async start(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('weiter') next?: string,
  ): Promise<void> {
    try {
      const { url, flow } = await this.oidc.start(safeNext(next));
      // Lax, not Strict: the provider's redirect back is a navigation from another site.
      response.cookie(FLOW_COOKIE, this.oidc.seal(flow), {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secure,
        path: '/anmelden/dienstkonto',
        maxAge: 10 * 60 * 1000,
      });
      response.redirect(303, url);
    } catch (error) {
      await this.refuse(request, response, error);
    }
  }

  @Get(OIDC_CALLBACK_PATH.slice(1))
  @Public()
  async callback(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const cookies = (request as unknown as { cookies?: Record<string, unknown> }).cookies ?? {};
    const flow = this.oidc.unseal(cookies[FLOW_COOKIE]);
    response.clearCookie(FLOW_COOKIE, { path: '/anmelden/dienstkonto' });
    try {
      const { session, idToken, next } = await this.oidc.finish(
        new URL(request.originalUrl, 'http://localhost').search,
        flow,
      );
      setSessionCookie(response, session.accessToken, session.expiresIn, this.secure);
      if (idToken)
        response.cookie(SSO_COOKIE, idToken, {
          httpOnly: true,
          sameSite: 'strict',
          secure: this.secure,
          path: '/',
          maxAge: session.expiresIn * 1000,
        });
      // A page of our own rather than a redirect (see sendOnward).
      sendOnward(response, safeNext(next), 'Angemeldet', 'Sie sind mit Ihrem Dienstkonto angemeldet.');
    } catch (error) {
      await this.refuse(request, response, error);
    }
  }

  /** The sign-in page with the reason (403 for a refused account or flow, 503 when the provider is away). */
  private async refuse(request: WebRequest, response: Response, error: unknown): Promise<void> {
    if (!(error instanceof HttpException)) throw error;
    const payload = error.getResponse() as { message?: string };
    const page = await this.context.page(request, 'Anmelden', 'login', { next: '', loggedOut: false });
    const nonce = issueLoginNonce(response, this.secure);
    response.status(error.getStatus()).render('login', {
      ...page,
      email: '',
      error: payload.message ?? 'Die Anmeldung mit Dienstkonto ist fehlgeschlagen.',
      loginToken: loginFormToken(this.auth.csrfSecret, nonce),
      ssoEnabled: this.oidc.enabled,
      localLogin: this.config.LOCAL_LOGIN === 'on',
      demoAccounts: null,
    });
  }
}
