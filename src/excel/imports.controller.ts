import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ApiFileResponse } from '../common/http/openapi-responses.js';
import { IndicatorImportResponse, PlanImportResponse, TemplateImportResponse } from './excel.response.js';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { AuditExport } from '../audit/audit-export.decorator.js';
import { Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { invalid } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { IdField } from '../common/http/dto-fields.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';
import { ApiJobAcceptedResponse } from '../jobs/jobs.response.js';
import { acceptedJob, prefersAsync } from '../jobs/job-http.js';
import type { JobView } from '../jobs/jobs.service.js';
import { ExcelJobs } from './excel-jobs.js';
import { PLAN_IMPORT_ROLES } from './excel-roles.js';
import { ImportError } from './import-errors.js';
import { type IndicatorImportRow, IndicatorImportService } from './indicator-import.service.js';
import { type PlanImportResult, PlanImportService } from './plan-import.service.js';
import { XLSX_TYPE } from './reports.controller.js';
import { type TemplateImportResult, TemplateImportService } from './template-import.service.js';
import { TemplateService } from './template.service.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';

export class ImportOptionsDto {
  @ApiPropertyOptional({
    description: 'true: nur prüfen und Vorschau zeigen, nichts speichern (im Formular oder als ?dryRun=true)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

/**
 * A dry run may be asked for in the form (field dryRun) or in the address (?dryRun=true); both given with
 * different values is refused rather than guessed, since guessing wrong writes.
 */
export function resolveDryRun(form: ImportOptionsDto, query: ImportOptionsDto): boolean {
  if (form.dryRun !== undefined && query.dryRun !== undefined && form.dryRun !== query.dryRun) {
    throw invalid(
      ImportError.DRY_RUN_CONFLICT,
      `dryRun steht in der Adresse (${String(query.dryRun)}) und im Formular (${String(form.dryRun)}) mit verschiedenen Werten. Bitte nur einmal angeben; es wurde nichts gespeichert.`,
    );
  }
  return form.dryRun ?? query.dryRun ?? false;
}

/** An import's options in the address: the dry run and the plan it is for (see resolvePlan). */
export class ImportQueryDto extends ImportOptionsDto {
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Das Rahmenkonzept (der Plan), in das importiert wird; nötig, wenn die Installation mehrere Pläne führt',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IdField()
  frameworkId?: number;
}

class UploadDto extends ImportOptionsDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  file: unknown;
}

function attachment(buffer: Buffer, fileName: string): StreamableFile {
  return new StreamableFile(buffer, {
    type: XLSX_TYPE,
    disposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}

@ApiTags('Excel')
@ApiBearerAuth()
@Controller('api')
export class ImportsController {
  constructor(
    private readonly templates: TemplateService,
    private readonly templateImport: TemplateImportService,
    private readonly planImport: PlanImportService,
    private readonly indicatorImport: IndicatorImportService,
    private readonly excelJobs: ExcelJobs,
  ) {}

  @Get('reporting-cycles/:id/templates/:departmentId')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin', 'editor')
  @AuditExport('template', { cycleId: 'id', departmentId: 'departmentId' })
  @ApiOperation({ summary: 'Erfassungsvorlage eines Ressorts für einen Berichtszyklus (xlsx)' })
  @ApiFileResponse(XLSX_TYPE, 'Die Erfassungsvorlage als Arbeitsmappe')
  async template(
    @Param('id', IdPipe) id: number,
    @Param('departmentId', IdPipe) departmentId: number,
    @CurrentActor() actor: Actor,
    @Query() query: PlanQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.templates.build(id, departmentId, actor, query.frameworkId);
    return attachment(file.buffer, file.fileName);
  }

  @Post('reporting-cycles/:id/imports')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin', 'editor')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({
    summary: 'Ausgefüllte Erfassungsvorlage hochladen (dryRun: nur Vorschau); alles oder nichts',
  })
  @ApiOkResponse({ type: TemplateImportResponse })
  importTemplate(
    @Param('id', IdPipe) id: number,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
    @Query() query: ImportQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<TemplateImportResult> {
    return this.templateImport.import(
      id,
      file?.buffer,
      actor,
      resolveDryRun(options, query),
      query.frameworkId,
    );
  }

  @Post('measure-plan/imports')
  @Roles(...PLAN_IMPORT_ROLES)
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({
    summary: 'Maßnahmenplan importieren: Maßnahmen nach Code anlegen oder ändern, alles oder nichts',
  })
  @ApiOkResponse({ type: PlanImportResponse })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description:
      'respond-async: die Datei als Auftrag übernehmen lassen (nicht mit dryRun); die Antwort 202 nennt den Auftrag',
  })
  @ApiJobAcceptedResponse()
  async importPlan(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
    @Query() query: ImportQueryDto,
    @CurrentActor() actor: Actor,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlanImportResult | JobView> {
    const dryRun = resolveDryRun(options, query);
    if (!dryRun && file?.buffer && prefersAsync(prefer)) {
      return acceptedJob(
        response,
        await this.excelJobs.queuePlanImport(file.buffer, file.originalname, actor, query.frameworkId),
      );
    }
    return this.planImport.import(file?.buffer, actor, dryRun, undefined, undefined, query.frameworkId);
  }

  @Post('indicators/imports')
  @Roles('admin')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({
    summary: 'Indikatorwerte aus einer Arbeitsmappe (Blatt „Werte“) importieren, alles oder nichts',
  })
  @ApiOkResponse({ type: IndicatorImportResponse })
  importIndicatorValues(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
    @Query() query: ImportQueryDto,
  ): Promise<{ dryRun: boolean; written: number; rows: IndicatorImportRow[] }> {
    return this.indicatorImport.import(file?.buffer, resolveDryRun(options, query), query.frameworkId);
  }

  @Get('measure-plan')
  @Roles('admin', 'editor', 'viewer')
  @AuditExport('measure-plan')
  @ApiOperation({ summary: 'Maßnahmenplan als Arbeitsmappe im Importformat' })
  @ApiFileResponse(XLSX_TYPE, 'Der Maßnahmenplan als Arbeitsmappe')
  async exportPlan(@Query() query: PlanQueryDto): Promise<StreamableFile> {
    return attachment(await this.planImport.export(query.frameworkId), 'Massnahmenplan.xlsx');
  }
}
