/**
 * One access line per request, written when the response has gone out (or the client went away): method,
 * route pattern, path without the query (which may hold a sign-in code), status, duration, request id.
 * No headers, no bodies: credentials and cookies never reach the log.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger as PinoLogger } from 'pino';
import { RequestContext } from '../context/request-context.js';

/** The route pattern that answered (`/api/measures/:id`), or `unmatched`: never the raw address. */
export function routeOf(request: Request): string {
  const { route } = request as unknown as { route?: { path?: unknown } };
  const path = route?.path;
  if (typeof path === 'string') return `${request.baseUrl}${path}`;
  return 'unmatched';
}

/** Calls `done` once with the duration in seconds when the exchange has ended, however it ended. */
export function onExchangeEnd(response: Response, done: (seconds: number, completed: boolean) => void): void {
  const started = process.hrtime.bigint();
  response.once('close', () =>
    done(Number(process.hrtime.bigint() - started) / 1e9, response.writableFinished),
  );
}

export function accessLogMiddleware(logger: PinoLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const requestId = RequestContext.current()?.requestId;
    onExchangeEnd(response, (seconds, completed) => {
      const record = {
        context: 'HTTP',
        requestId,
        method: request.method,
        route: routeOf(request),
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(completed ? {} : { aborted: true }),
      };
      if (response.statusCode >= 500) logger.warn(record, 'request completed');
      else logger.info(record, 'request completed');
    });
    next();
  };
}
