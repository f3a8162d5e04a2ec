import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../context/request-context.js';

/** The signed-in user of this request, as the AccessGuard put it there. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Actor | undefined => {
    const request = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    return request.actor;
  },
);
