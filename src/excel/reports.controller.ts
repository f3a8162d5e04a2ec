import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  applyDecorators,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ImplementationReportResponse } from './excel.response.js';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AuditExport } from '../audit/audit-export.decorator.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { DomainError, notFound } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ApiJobAcceptedResponse } from '../jobs/jobs.response.js';
import { acceptedJob, prefersAsync } from '../jobs/job-http.js';
import type { JobView } from '../jobs/jobs.service.js';
import { ImplementationReportsService } from '../reporting/implementation-reports.service.js';
import { ExcelJobs } from './excel-jobs.js';
import { REPORT_BUILDER_ROLES } from './excel-roles.js';
import { REPORT_FORMATS, ReportBuilderService, type ReportFormat } from './report/report-builder.service.js';
import { ReportError } from './report-errors.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_TYPE = 'application/pdf';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The content type of each format a report is built in. */
export const REPORT_TYPES: Record<ReportFormat, string> = {
  xlsx: XLSX_TYPE,
  pdf: PDF_TYPE,
  docx: DOCX_TYPE,
};

/**
 * A generated report file as a download, with the content type of its format: from its path, or from a stream
 * (ImplementationReportsService.content: the bytes kept in the database).
 */
export function reportFile(
  source: string | Readable,
  fileName: string,
  format: ReportFormat = 'xlsx',
): StreamableFile {
  return new StreamableFile(typeof source === 'string' ? createReadStream(source) : source, {
    type: REPORT_TYPES[format],
    disposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}

export function xlsxFile(path: string, fileName: string): StreamableFile {
  return reportFile(path, fileName, 'xlsx');
}

/** The report as a binary body in any of its formats. */
export function ApiReportFileResponse(description: string): MethodDecorator {
  const binary = { schema: { type: 'string' as const, format: 'binary' } };
  return applyDecorators(
    ApiProduces(...Object.values(REPORT_TYPES)),
    ApiOkResponse({
      description,
      content: Object.fromEntries(Object.values(REPORT_TYPES).map((type) => [type, binary])),
    }),
  );
}

export class ReportFormatQueryDto {
  @ApiPropertyOptional({
    enum: [...REPORT_FORMATS],
    default: 'xlsx',
    description: 'xlsx: Arbeitsmappe; pdf: barrierearmes PDF; docx: Word-Dokument',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

class ReportListQueryDto extends PlanQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  cycleId?: number;
}

@ApiTags('Umsetzungsberichte')
@ApiBearerAuth()
@Controller('api')
export class ReportsController {
  constructor(
    private readonly reports: ReportBuilderService,
    private readonly files: ImplementationReportsService,
    private readonly excelJobs: ExcelJobs,
  ) {}

  /**
   * Building a report writes a file and a record: a POST, so that no link, prefetch or crawler starts one.
   * With `Prefer: respond-async` (RFC 7240) the report is built as a job by whichever instance takes it up:
   * 202 with the job and its address in `Location`; GET /api/jobs/:id says how far it is and, once done,
   * which report to download.
   */
  @Post('reporting-cycles/:id/report')
  @PlanOf(ReportingCycle, { param: 'id' })
  @HttpCode(200)
  @Roles(...REPORT_BUILDER_ROLES)
  @ApiOperation({
    summary:
      'Umsetzungsbericht erzeugen (format=xlsx, pdf oder docx; Vorgabe xlsx); abgeschlossen: eingefrorener Stand, sonst Entwurf; mit „Prefer: respond-async“ als Auftrag (202)',
  })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: 'respond-async: den Bericht als Auftrag erzeugen lassen; die Antwort 202 nennt den Auftrag',
  })
  @ApiReportFileResponse('Der Umsetzungsbericht als Arbeitsmappe, PDF oder Word-Dokument')
  @ApiJobAcceptedResponse()
  async generate(
    @Param('id', IdPipe) id: number,
    @Query() query: ReportFormatQueryDto,
    @CurrentActor() actor: Actor,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile | JobView> {
    const format = query.format ?? 'xlsx';
    if (prefersAsync(prefer)) {
      return acceptedJob(response, await this.excelJobs.queueReport(id, format, actor));
    }
    const { report, path } = await this.reports.generate(id, actor, undefined, format);
    return reportFile(path, report.fileName, format);
  }

  /** The former way to build a report: says which request does it now. */
  @Get('reporting-cycles/:id/report')
  @PlanOf(ReportingCycle, { param: 'id' })
  @AnyRole()
  @Header('Allow', 'POST')
  @ApiOperation({
    summary: 'Nicht mehr unterstützt: Berichte werden mit POST erzeugt (405)',
    deprecated: true,
  })
  generateByGet(@Param('id', IdPipe) id: number): never {
    throw new DomainError(
      'method_not_allowed',
      ReportError.USE_POST,
      `Umsetzungsberichte werden mit POST /api/reporting-cycles/${id}/report erzeugt; erzeugte Berichte lädt GET /api/reports/:id/download herunter.`,
    );
  }

  @Get('reports')
  @AnyRole()
  @ApiOperation({
    summary: 'Erzeugte Umsetzungsberichte (alle Formate) mit Zyklus, Format, Ersteller, Zeit und Prüfsumme',
  })
  @ApiOkResponse({ type: ImplementationReportResponse, isArray: true })
  list(@Query() query: ReportListQueryDto): Promise<ImplementationReport[]> {
    return this.reports.list(query.cycleId, query.frameworkId);
  }

  @Get('reports/:id/download')
  @PlanOf(ImplementationReport, { param: 'id' })
  @AnyRole()
  @AuditExport('report', { reportId: 'id' })
  @ApiOperation({ summary: 'Einen erzeugten Umsetzungsbericht erneut herunterladen (in seinem Format)' })
  @ApiReportFileResponse('Der Umsetzungsbericht als Arbeitsmappe, PDF oder Word-Dokument')
  async download(@Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const report = await this.files.find(id);
    if (!report) throw notFound(ReportError.NOT_FOUND, `Bericht ${id} wurde nicht gefunden.`);
    // From the database, whichever instance built it; a report from before that, from the reports folder.
    const content = await this.files.content(report);
    if (!content) {
      throw notFound(
        ReportError.FILE_MISSING,
        `Die Datei ${report.fileName} ist nicht mehr vorhanden; bitte den Bericht neu erzeugen.`,
      );
    }
    return reportFile(content, report.fileName, report.format);
  }
}
