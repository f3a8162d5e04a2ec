/**
 * Errors on web pages become German pages: not signed in → the sign-in page (returning afterwards),
 * 403 and 404 → a clear page, anything else → a page with the request id.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequestContext } from '../common/context/request-context.js';
import { storageFaultAnswer } from '../database/storage-faults.js';

@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request & { actor?: unknown }>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const fault = storageFaultAnswer(exception);
    if (fault) {
      this.logger.warn(`${request.method} ${request.originalUrl}: ${fault.body.code}`);
      response.setHeader('Retry-After', String(fault.retryAfterSeconds));
      response.status(fault.status).render('error', {
        title: 'Vorübergehend nicht möglich',
        status: fault.status,
        message: fault.body.message,
        requestId: RequestContext.current()?.requestId ?? '',
        actor: request.actor,
      });
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 401) {
      const next = request.method === 'GET' ? `?weiter=${encodeURIComponent(request.originalUrl)}` : '';
      response.redirect(303, `/anmelden${next}`);
      return;
    }
    const payload = exception instanceof HttpException ? exception.getResponse() : null;
    const message =
      typeof payload === 'object' && payload && 'message' in payload ? String(payload.message) : '';
    if (status >= 500) {
      this.logger.error(
        `${request.method} ${request.originalUrl}`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    const titles: Record<number, string> = {
      400: 'Die Anfrage ist ungültig',
      403: 'Kein Zugriff',
      404: 'Seite nicht gefunden',
      409: 'Konflikt',
      413: 'Die Datei ist zu groß',
    };
    response.status(status).render('error', {
      title: titles[status] ?? 'Ein Fehler ist aufgetreten',
      status,
      message:
        status === 404
          ? 'Diese Seite oder dieser Eintrag existiert nicht.'
          : status >= 500
            ? 'Ein interner Fehler ist aufgetreten. Bitte nennen Sie bei Rückfragen die Anfrage-ID.'
            : message,
      requestId: RequestContext.current()?.requestId ?? '',
      actor: request.actor,
    });
  }
}
