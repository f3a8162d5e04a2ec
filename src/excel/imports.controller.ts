import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { type IndicatorImportRow, IndicatorImportService } from './indicator-import.service.js';
import { type PlanImportResult, PlanImportService } from './plan-import.service.js';
import { XLSX_TYPE } from './reports.controller.js';
import { type TemplateImportResult, TemplateImportService } from './template-import.service.js';
import { TemplateService } from './template.service.js';

export class ImportOptionsDto {
  @ApiPropertyOptional({ description: 'true: nur prüfen und Vorschau zeigen, nichts speichern' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
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
  ) {}

  @Get('reporting-cycles/:id/templates/:departmentId')
  @Roles('admin', 'editor')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'Erfassungsvorlage eines Ressorts für einen Berichtszyklus (xlsx)' })
  async template(
    @Param('id', IdPipe) id: number,
    @Param('departmentId', IdPipe) departmentId: number,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    const file = await this.templates.build(id, departmentId, actor);
    return attachment(file.buffer, file.fileName);
  }

  @Post('reporting-cycles/:id/imports')
  @Roles('admin', 'editor')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({
    summary: 'Ausgefüllte Erfassungsvorlage hochladen (dryRun: nur Vorschau); alles oder nichts',
  })
  importTemplate(
    @Param('id', IdPipe) id: number,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
    @CurrentActor() actor: Actor,
  ): Promise<TemplateImportResult> {
    return this.templateImport.import(id, file?.buffer, actor, options.dryRun ?? false);
  }

  @Post('measure-plan/imports')
  @Roles('admin')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOperation({
    summary: 'Maßnahmenplan importieren: Maßnahmen nach Code anlegen oder ändern, alles oder nichts',
  })
  importPlan(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
    @CurrentActor() actor: Actor,
  ): Promise<PlanImportResult> {
    return this.planImport.import(file?.buffer, actor, options.dryRun ?? false);
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
  importIndicatorValues(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() options: ImportOptionsDto,
  ): Promise<{ dryRun: boolean; written: number; rows: IndicatorImportRow[] }> {
    return this.indicatorImport.import(file?.buffer, options.dryRun ?? false);
  }

  @Get('measure-plan')
  @Roles('admin', 'editor', 'viewer')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'Maßnahmenplan als Arbeitsmappe im Importformat' })
  async exportPlan(): Promise<StreamableFile> {
    return attachment(await this.planImport.export(), 'Massnahmenplan.xlsx');
  }
}
