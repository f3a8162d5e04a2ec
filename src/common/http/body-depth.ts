/**
 * A limit on how deeply a request body may nest. JSON.parse copes with thousands of levels, but the recursive
 * code behind it (class-transformer, class-validator, the audit's comparisons) overflows the stack and answered
 * with a 500. The body is measured right after parsing, with an explicit stack, so the check cannot overflow
 * itself, and refused with a German 400 before any route sees it.
 */
import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from './error-codes.js';

/** Far more than any form or API body of the application needs (they nest 3 levels at most). */
export const MAX_BODY_DEPTH = 400;

/** True when arrays and objects in `value` nest more than `limit` levels deep (`{"a":1}` is 1 level). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: object; depth: number }[] = [];
  if (value !== null && typeof value === 'object') stack.push({ node: value, depth: 1 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > limit) return true;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

export class BodyTooDeepException extends BadRequestException {
  constructor(limit: number) {
    super({
      statusCode: 400,
      code: ErrorCode.BODY_TOO_DEEP,
      error: 'Bad Request',
      message: `Die Anfrage ist zu tief verschachtelt (höchstens ${limit} Ebenen erlaubt).`,
    });
  }
}

/** Express middleware, registered after the body parsers. */
export function bodyDepthLimit(
  limit = MAX_BODY_DEPTH,
): (request: Request, response: Response, next: NextFunction) => void {
  return (request, _response, next) => {
    const body: unknown = request.body;
    if (nestsDeeperThan(body, limit)) return next(new BodyTooDeepException(limit));
    next();
  };
}
