/** Records the downloads declared with @AuditExport, after the handler produced the file (see the decorator). */
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { mergeMap, type Observable } from 'rxjs';
import { EXPORT_AUDIT_KEY, type ExportDeclaration } from './audit-export.decorator.js';
import { AuditService } from './audit.service.js';

function numberParam(request: Request, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const value = Number(request.params[name]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The plan named in the address (`?frameworkId=`), for an export that no cycle or report ties to a plan. */
function planQuery(request: Request): number | undefined {
  const value = Number(request.query.frameworkId);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

@Injectable()
export class ExportAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declaration = this.reflector.get<ExportDeclaration | undefined>(
      EXPORT_AUDIT_KEY,
      context.getHandler(),
    );
    if (!declaration || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const { kind, params } = declaration;
    // Recorded before the file is sent: if the entry cannot be written, the file is not handed out either.
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.audit.recordExport({
          kind,
          reportId: numberParam(request, params.reportId),
          cycleId: numberParam(request, params.cycleId),
          departmentId: numberParam(request, params.departmentId),
          frameworkId: planQuery(request),
        });
        return result;
      }),
    );
  }
}
