import { existsSync } from 'node:fs';
import {
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { notFound } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { ReportBuilderService } from '../excel/report/report-builder.service.js';
import { ReportError } from '../excel/report-errors.js';
import { AuditExport } from '../audit/audit-export.decorator.js';
import { xlsxFile, XLSX_TYPE } from '../excel/reports.controller.js';
import { TemplateImportService, type TemplateImportResult } from '../excel/template-import.service.js';
import { TemplateService } from '../excel/template.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { Measure } from '../measures/measure.entity.js';
import { MeasuresService } from '../measures/measures.service.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import { todayInBremen } from '../common/dates.js';
import { CompletenessService } from '../reporting/completeness.service.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { DataSource, In } from 'typeorm';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class ReportingPagesController {
  constructor(
    private readonly cycles: ReportingCyclesService,
    private readonly completeness: CompletenessService,
    private readonly measures: MeasuresService,
    private readonly reports: StatusReportsService,
    private readonly frameworks: FrameworkService,
    private readonly templates: TemplateService,
    private readonly templateImport: TemplateImportService,
    private readonly reportBuilder: ReportBuilderService,
    private readonly dataSource: DataSource,
    private readonly context: WebContext,
  ) {}

  @Get('meldungen')
  @Roles('editor', 'admin')
  async mine(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('departmentId') departmentId?: string,
  ): Promise<void> {
    // An admin chooses the department; an editor always sees their own.
    const chosen =
      request.actor!.role === 'admin' && /^\d{1,10}$/.test(departmentId ?? '')
        ? Number(departmentId)
        : undefined;
    await this.renderMine(request, response, {}, 200, chosen);
  }

  @Post('meldungen/vorlage')
  @Roles('editor')
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Req() request: WebRequest,
    @Res() response: Response,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const cycle = await this.cycles.current(todayInBremen());
    if (!cycle) throw notFound(CycleError.NONE, 'Zurzeit läuft kein Berichtszyklus.');
    try {
      const result = await this.templateImport.import(
        cycle.id,
        file?.buffer,
        request.actor!,
        body.dryRun === 'true',
      );
      await this.renderMine(request, response, { importResult: result });
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const payload = error.getResponse() as { message?: string; errors?: unknown[] };
      await this.renderMine(
        request,
        response,
        {
          importErrors: {
            message: payload.message ?? 'Die Datei ist ungültig.',
            errors: payload.errors ?? [],
          },
        },
        error.getStatus(),
      );
    }
  }

  private async renderMine(
    request: WebRequest,
    response: Response,
    extra: { importResult?: TemplateImportResult; importErrors?: unknown },
    status = 200,
    chosenDepartmentId?: number,
  ): Promise<void> {
    const actor = request.actor!;
    const isAdmin = actor.role === 'admin';
    const cycle = await this.cycles.current(todayInBremen());
    const departmentId = isAdmin ? chosenDepartmentId : actor.departmentId;
    const department = departmentId ? await this.frameworks.getDepartment(departmentId) : null;
    const owed =
      cycle && department
        ? ((await this.completeness.reminders(cycle, todayInBremen(), department.id))[0]?.items ?? [])
        : [];
    const measures = department
      ? (await this.measures.list({ leadDepartmentId: [department.id], lifecycle: 'active', pageSize: 200 }))
          .items
      : [];
    response.status(status).render(
      'my-reports',
      await this.context.page(request, 'Meldungen', 'reports', {
        cycle,
        department,
        isAdmin,
        departments: isAdmin ? await this.frameworks.listDepartments() : [],
        owed,
        measures,
        ...extra,
      }),
    );
  }

  @Get('pruefung')
  @Roles('admin')
  async reviewQueue(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const page = await this.reports.list({ reviewState: 'submitted', pageSize: 100 });
    const ids = [...new Set(page.items.map((r) => r.measureId))];
    const measures = ids.length
      ? await this.dataSource.manager.find(Measure, { where: { id: In(ids) } })
      : [];
    response.render(
      'review',
      await this.context.page(request, 'Prüfung', 'review', {
        page,
        measures: Object.fromEntries(measures.map((m) => [m.id, m])),
        departmentNames: Object.fromEntries(
          (await this.frameworks.listDepartments()).map((d) => [d.id, d.name]),
        ),
      }),
    );
  }

  @Post('pruefung/:id')
  @Roles('admin')
  async review(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const decision = body.decision === 'return' ? 'return' : 'accept';
    const comment = typeof body.comment === 'string' && body.comment.trim() ? body.comment.trim() : undefined;
    if (decision === 'return' && (!comment || comment.length < 3)) {
      throw new HttpException(
        { message: 'Für eine Rückgabe ist ein Kommentar (mindestens 3 Zeichen) nötig.' },
        400,
      );
    }
    await this.reports.review(id, { decision, comment }, request.actor!);
    response.redirect(303, '/pruefung');
  }

  @Post('berichtszyklen/:id/bericht')
  @Roles('admin')
  async generate(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const { report } = await this.reportBuilder.generate(id, request.actor!);
    response.redirect(303, `/dateien/berichte/${report.id}`);
  }

  @Get('dateien/berichte/:id')
  @AnyRole()
  @AuditExport('report', { reportId: 'id' })
  async downloadReport(
    @Res({ passthrough: true }) response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<StreamableFile> {
    const found = await this.reportBuilder.find(id);
    if (!found || !existsSync(found.path))
      throw notFound(ReportError.NOT_FOUND, 'Dieser Bericht ist nicht vorhanden.');
    response.setHeader('Content-Type', XLSX_TYPE);
    return xlsxFile(found.path, found.report.fileName);
  }

  @Get('dateien/vorlage/:cycleId/:departmentId')
  @Roles('admin', 'editor')
  @AuditExport('template', { cycleId: 'cycleId', departmentId: 'departmentId' })
  async downloadTemplate(
    @Req() request: WebRequest,
    @Param('cycleId', IdPipe) cycleId: number,
    @Param('departmentId', IdPipe) departmentId: number,
  ): Promise<StreamableFile> {
    const file = await this.templates.build(cycleId, departmentId, request.actor!);
    return new StreamableFile(file.buffer, {
      type: XLSX_TYPE,
      disposition: `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`,
    });
  }
}
