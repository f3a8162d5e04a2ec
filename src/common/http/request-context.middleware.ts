import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '../context/request-context.js';

/** Opens the request context (request id, client address) that the guard, the audit trail and the logs read. */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', requestId);
  RequestContext.run({ requestId, ipAddress: request.ip ?? '' }, () => next());
}
