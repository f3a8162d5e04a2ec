/**
 * Errors on web pages become German pages: not signed in → the sign-in page (returning afterwards),
 * 403 and 404 → a clear page, anything else → a page with the request id. Error pages carry the same
 * header and navigation as every page, so that a refused user can go on from there.
 */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { RequestContext } from '../common/context/request-context.js';
import { storageFaultAnswer } from '../database/storage-faults.js';
import { WebContext, type WebRequest } from './web-context.js';

@Injectable()
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(private readonly context: WebContext) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const fault = storageFaultAnswer(exception);
    if (fault) {
      this.logger.warn(`${request.method} ${request.originalUrl}: ${fault.body.code}`);
      response.setHeader('Retry-After', String(fault.retryAfterSeconds));
      // A locked or full database cannot give the page context: this page goes without navigation.
      response.status(fault.status).render('error', {
        title: 'Vorübergehend nicht möglich',
        status: fault.status,
        message: fault.body.message,
        requestId: RequestContext.current()?.requestId ?? '',
        actor: request.actor,
        userLabel: request.actor?.displayName ?? '',
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
    this.render(request, response, status, {
      title: titles[status] ?? 'Ein Fehler ist aufgetreten',
      status,
      message:
        status === 404
          ? 'Diese Seite oder dieser Eintrag existiert nicht.'
          : status >= 500
            ? 'Ein interner Fehler ist aufgetreten. Bitte nennen Sie bei Rückfragen die Anfrage-ID.'
            : message,
      requestId: RequestContext.current()?.requestId ?? '',
    });
  }

  private render(
    request: WebRequest,
    response: Response,
    status: number,
    view: Record<string, unknown>,
  ): void {
    this.context
      .errorPage(request, view)
      .then((locals) => {
        if (!response.headersSent) response.status(status).render('error', locals);
      })
      .catch((error: unknown) => {
        this.logger.error(`Fehlerseite nicht darstellbar: ${String(error)}`);
        if (!response.headersSent) response.status(status).type('text/plain').send(String(view.title));
      });
  }
}
