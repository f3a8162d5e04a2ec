/** The documented JSON of Excel imports and of the list of generated implementation reports. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import { MEASURE_STATUSES, type MeasureStatus } from '../measures/measure.constants.js';
import type { ImplementationReport } from '../reporting/implementation-report.entity.js';
import type { IndicatorImportRow, IndicatorImportService } from './indicator-import.service.js';
import type { PlanChange, PlanImportResult } from './plan-import.service.js';
import type { ImportedRow, TemplateImportResult } from './template-import.service.js';

const IMPORT_ACTIONS = ['create', 'update', 'unchanged'] as const;

export class ImportedRowResponse {
  @ApiProperty({ type: 'integer', description: 'Zeile im Arbeitsblatt' })
  row: number;

  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty()
  code: string;

  @ApiProperty({ enum: [...MEASURE_STATUSES] })
  status: MeasureStatus;

  @ApiProperty({ type: 'integer' })
  progress: number;

  @ApiProperty()
  summary: string;

  @ApiProperty()
  obstacles: string;

  @ApiProperty()
  nextSteps: string;

  @ApiProperty({
    enum: ['create', 'unchanged'],
    description: 'create: neue Meldung; unchanged: gleich der letzten Meldung im Zyklus, nichts angelegt',
  })
  state: 'create' | 'unchanged';
}

export class TemplateImportResponse {
  @ApiProperty({ description: 'true: nur geprüft, nichts gespeichert' })
  dryRun: boolean;

  @ApiProperty({ type: 'integer' })
  cycleId: number;

  @ApiProperty()
  cycleCode: string;

  @ApiProperty({ type: 'integer' })
  departmentId: number;

  @ApiProperty()
  departmentCode: string;

  @ApiProperty({ format: 'date' })
  reportedAt: string;

  @ApiProperty({ enum: ['submitted', 'accepted'] })
  reviewState: 'submitted' | 'accepted';

  @ApiProperty({ type: 'integer' })
  created: number;

  @ApiProperty({ type: 'integer', description: 'Zeilen gleich der letzten Meldung: nichts angelegt' })
  unchanged: number;

  @ApiProperty({ type: 'integer' })
  skipped: number;

  @ApiProperty({ type: [ImportedRowResponse] })
  rows: ImportedRowResponse[];

  @ApiProperty({ type: 'integer', isArray: true, description: 'die angelegten Meldungen' })
  reportIds: number[];
}

export class PlanChangeResponse {
  @ApiProperty({ type: 'integer' })
  row: number;

  @ApiProperty()
  code: string;

  @ApiProperty({ enum: [...IMPORT_ACTIONS] })
  action: 'create' | 'update' | 'unchanged';

  @ApiProperty({ type: String, isArray: true, description: 'geänderte Felder' })
  fields: string[];
}

export class PlanImportResponse {
  @ApiProperty({ description: 'true: nur geprüft, nichts gespeichert' })
  dryRun: boolean;

  @ApiProperty({ type: 'integer' })
  created: number;

  @ApiProperty({ type: 'integer' })
  updated: number;

  @ApiProperty({ type: 'integer' })
  unchanged: number;

  @ApiProperty({ type: [PlanChangeResponse] })
  changes: PlanChangeResponse[];
}

export class IndicatorImportRowResponse {
  @ApiProperty({ type: 'integer' })
  row: number;

  @ApiProperty()
  code: string;

  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty()
  group: string;

  @ApiProperty()
  value: number;

  @ApiProperty()
  note: string;

  @ApiProperty({ enum: [...IMPORT_ACTIONS] })
  action: 'create' | 'update' | 'unchanged';
}

export class IndicatorImportResponse {
  @ApiProperty({ description: 'true: nur geprüft, nichts gespeichert' })
  dryRun: boolean;

  @ApiProperty({ type: 'integer', description: 'gespeicherte Werte' })
  written: number;

  @ApiProperty({ type: [IndicatorImportRowResponse] })
  rows: IndicatorImportRowResponse[];
}

export class ImplementationReportResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ type: 'integer' })
  cycleId: number;

  @ApiProperty()
  cycleCode: string;

  @ApiProperty()
  fileName: string;

  @ApiProperty({ enum: ['xlsx', 'pdf', 'docx'], description: 'xlsx: Arbeitsmappe; pdf, docx: Dokument' })
  format: 'xlsx' | 'pdf' | 'docx';

  @ApiProperty({ description: 'Prüfsumme der Datei (hex)' })
  sha256: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes: number;

  @ApiProperty({ description: 'aus dem laufenden Stand erzeugt, solange der Zyklus offen war ("Entwurf")' })
  draft: boolean;

  @ApiProperty()
  containsExampleData: boolean;

  @ApiProperty({ type: 'integer' })
  measureCount: number;

  @ApiProperty({ type: 'integer', nullable: true })
  generatedById: number | null;

  @ApiProperty()
  generatedBy: string;

  @ApiProperty({ format: 'date-time' })
  generatedAt: string;
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type ExcelResponsesMirror = AllMirror<
  [
    Mirrors<ImportedRowResponse, ImportedRow>,
    Mirrors<TemplateImportResponse, TemplateImportResult>,
    Mirrors<PlanChangeResponse, PlanChange>,
    Mirrors<PlanImportResponse, PlanImportResult>,
    Mirrors<IndicatorImportRowResponse, IndicatorImportRow>,
    Mirrors<IndicatorImportResponse, Awaited<ReturnType<IndicatorImportService['import']>>>,
    Mirrors<ImplementationReportResponse, Json<ImplementationReport>>,
  ]
>;
