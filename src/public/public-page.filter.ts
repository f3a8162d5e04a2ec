/**
 * Errors on the public pages become public German pages in the public layout: 404 for an unknown plan, cycle
 * or measure (and for a cycle that is not published), 429 when an address asked too often, a plain page with
 * the request id for anything else. Never a sign-in redirect, never an internal detail.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequestContext } from '../common/context/request-context.js';

const TITLES: Record<number, string> = {
  404: 'Seite nicht gefunden',
  429: 'Zu viele Anfragen',
};

const MESSAGES: Record<number, string> = {
  404: 'Diese Seite gibt es nicht, oder der Bericht ist (noch) nicht veröffentlicht.',
  429: 'Von Ihrer Adresse kamen in kurzer Zeit sehr viele Anfragen. Bitte versuchen Sie es in einer Minute erneut.',
};

@Catch()
export class PublicPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('Public');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) {
      this.logger.error(
        `${request.method} ${request.originalUrl}`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    // An error page is not cached by the visitor: publishing a cycle must show it at once.
    response.setHeader('Cache-Control', 'no-store');
    response.status(status).render(
      'public/error',
      {
        title: TITLES[status] ?? 'Ein Fehler ist aufgetreten',
        status,
        message:
          MESSAGES[status] ??
          (status >= 500
            ? 'Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.'
            : 'Die Anfrage ist ungültig.'),
        requestId: status >= 500 ? (RequestContext.current()?.requestId ?? '') : '',
      },
      (error: Error | null, html?: string) => {
        if (error) {
          this.logger.error(`Fehlerseite nicht darstellbar: ${String(error)}`);
          response.type('text/plain').send(TITLES[status] ?? 'Fehler');
          return;
        }
        response.type('html').send(html);
      },
    );
  }
}
