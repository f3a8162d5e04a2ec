/**
 * Downloads change no entity, so the subscriber never sees them. A route that hands out data as a file declares
 * it with @AuditExport; ExportAuditInterceptor then records one "export" entry once the handler has produced the
 * file. A refused or failed download (the handler throws) leaves no entry.
 */
import { SetMetadata } from '@nestjs/common';

/** What was exported: the Umsetzungsbericht, an Erfassungsvorlage, the Maßnahmenplan. */
export type ExportKind = 'report' | 'template' | 'measure-plan';

/** Which route parameter names the exported record: e.g. `{ cycleId: 'id', departmentId: 'departmentId' }`. */
export interface ExportParams {
  reportId?: string;
  cycleId?: string;
  departmentId?: string;
}

export interface ExportDeclaration {
  kind: ExportKind;
  params: ExportParams;
}

export const EXPORT_AUDIT_KEY = 'rkm:export-audit';

export const AuditExport = (kind: ExportKind, params: ExportParams = {}): MethodDecorator =>
  SetMetadata(EXPORT_AUDIT_KEY, { kind, params } satisfies ExportDeclaration);
