import { createReadStream, existsSync } from 'node:fs';
import { Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiFileResponse } from '../common/http/openapi-responses.js';
import { ImplementationReportResponse } from './excel.response.js';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { AuditExport } from '../audit/audit-export.decorator.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { DomainError, notFound } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import type { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ReportBuilderService } from './report/report-builder.service.js';
import { ReportError } from './report-errors.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function xlsxFile(path: string, fileName: string): StreamableFile {
  return new StreamableFile(createReadStream(path), {
    type: XLSX_TYPE,
    disposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}

class ReportListQueryDto {
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
  constructor(private readonly reports: ReportBuilderService) {}

  /** Building a report writes a file and a record: a POST, so that no link, prefetch or crawler starts one. */
  @Post('reporting-cycles/:id/report')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Umsetzungsbericht erzeugen (xlsx); abgeschlossen: eingefrorener Stand, sonst Entwurf',
  })
  @ApiFileResponse(XLSX_TYPE, 'Der Umsetzungsbericht als Arbeitsmappe')
  async generate(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const { report, path } = await this.reports.generate(id, actor);
    return xlsxFile(path, report.fileName);
  }

  /** The former way to build a report: says which request does it now. */
  @Get('reporting-cycles/:id/report')
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
  @ApiOperation({ summary: 'Erzeugte Umsetzungsberichte mit Zyklus, Ersteller, Zeit und Prüfsumme' })
  @ApiOkResponse({ type: ImplementationReportResponse, isArray: true })
  list(@Query() query: ReportListQueryDto): Promise<ImplementationReport[]> {
    return this.reports.list(query.cycleId);
  }

  @Get('reports/:id/download')
  @AnyRole()
  @AuditExport('report', { reportId: 'id' })
  @ApiOperation({ summary: 'Einen erzeugten Umsetzungsbericht erneut herunterladen' })
  @ApiFileResponse(XLSX_TYPE, 'Der Umsetzungsbericht als Arbeitsmappe')
  async download(@Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const found = await this.reports.find(id);
    if (!found) throw notFound(ReportError.NOT_FOUND, `Bericht ${id} wurde nicht gefunden.`);
    if (!existsSync(found.path)) {
      throw notFound(
        ReportError.FILE_MISSING,
        `Die Datei ${found.report.fileName} ist nicht mehr vorhanden; bitte den Bericht neu erzeugen.`,
      );
    }
    return xlsxFile(found.path, found.report.fileName);
  }
}
