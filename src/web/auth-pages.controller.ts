import { Body, Controller, Get, HttpException, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { AnyRole, Public, WebPages } from '../common/auth/access.decorator.js';
import { clearSessionCookie, setSessionCookie } from '../common/auth/session.js';
import { AppConfig } from '../common/config/app-config.js';
import { todayInBremen } from '../measures/status-reports.service.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', description: 'Koordinierungsstelle (alle Rechte)' },
  { email: 'soziales@demo.local', description: 'Ressort Arbeit, Soziales, Jugend und Integration' },
  { email: 'bildung@demo.local', description: 'Ressort Kinder und Bildung' },
  { email: 'steuerung@demo.local', description: 'Steuerungsrunde (nur lesen)' },
];

/** Only same-site relative paths are followed after sign-in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/anmelden')
    ? next
    : '/';
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly context: WebContext,
    private readonly config: AppConfig,
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
    const page = await this.context.page(request, 'Anmelden', 'login', {
      next: next ? safeNext(next) : '',
      loggedOut: !!loggedOut,
    });
    response.render('login', { ...page, demoAccounts: page.demo ? DEMO_ACCOUNTS : null });
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
    try {
      if (!email || !password)
        throw new HttpException({ message: 'Bitte E-Mail-Adresse und Passwort eingeben.' }, 401);
      const result = await this.auth.login(email, password, request.ip ?? '');
      setSessionCookie(response, result.accessToken, result.expiresIn, this.config.NODE_ENV === 'production');
      response.redirect(303, safeNext(next));
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const payload = error.getResponse() as { message?: string };
      const page = await this.context.page(request, 'Anmelden', 'login', {
        next: next ? safeNext(next) : '',
      });
      response.status(error.getStatus()).render('login', {
        ...page,
        email,
        error: payload.message ?? 'Anmeldung fehlgeschlagen.',
        demoAccounts: page.demo ? DEMO_ACCOUNTS : null,
      });
    }
  }

  @Post('abmelden')
  @AnyRole()
  async logout(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.auth.logout(request.actor!);
    clearSessionCookie(response);
    response.redirect(303, '/anmelden?abgemeldet=1');
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
}
