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
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { AppConfig } from '../common/config/app-config.js';
import { notFound } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import {
  REPORT_FORMATS,
  ReportBuilderService,
  type ReportFormat,
} from '../excel/report/report-builder.service.js';
import { ExcelJobs } from '../excel/excel-jobs.js';
import { REPORT_BUILDER_ROLES } from '../excel/excel-roles.js';
import { ReportError } from '../excel/report-errors.js';
import { AuditExport } from '../audit/audit-export.decorator.js';
import { REPORT_TYPES, reportFile, XLSX_TYPE } from '../excel/reports.controller.js';
import { TemplateImportService, type TemplateImportResult } from '../excel/template-import.service.js';
import { TemplateService } from '../excel/template.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { BulkReviewStatusReportsDto } from '../measures/dto/status-report.dto.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import { todayInBremen } from '../common/dates.js';
import { CompletenessService } from '../reporting/completeness.service.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { ImplementationReportsService } from '../reporting/implementation-reports.service.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { validateForm } from './form-errors.js';
import { formRefusal, idList } from './form-outcome.js';
import { type UploadRequest, uploadProblem } from './plan-upload.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { Measure } from '../measures/measure.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { StatusReport } from '../measures/status-report.entity.js';

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
    private readonly implementationReports: ImplementationReportsService,
    private readonly context: WebContext,
    private readonly config: AppConfig,
    private readonly excelJobs: ExcelJobs,
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
  async upload(
    @Req() request: WebRequest & UploadRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const cycle = await this.cycles.current(todayInBremen());
    if (!cycle) throw notFound(CycleError.NONE, 'Zurzeit läuft kein Berichtszyklus.');
    if (request.uploadError) {
      const problem = uploadProblem(request.uploadError, this.config.UPLOAD_LIMIT_MB);
      return this.renderMine(
        request,
        response,
        { importErrors: { message: problem.message, errors: [] } },
        problem.status,
      );
    }
    try {
      const result = await this.templateImport.import(
        cycle.id,
        request.file?.buffer,
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
        departmentOptions: isAdmin
          ? (await this.frameworks.listPlanDepartments(undefined, 'named')).map((d) => ({
              value: d.id,
              label: d.name,
            }))
          : [],
        owed,
        measures,
        ...extra,
      }),
    );
  }

  @Get('pruefung')
  @Roles('admin')
  async reviewQueue(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await this.renderQueue(request, response, query, { flash: await this.reviewMessage(query) });
  }

  /** Several selected reports accepted at once (as POST /api/status-reports/review): all or none. */
  @Post('pruefung/auswahl')
  @Roles('admin')
  async reviewSelected(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const filters = queueFilters(body);
    const input = { ids: idList(body.ids) ?? [], decision: 'accept' };
    const { value, errors } = await validateForm(BulkReviewStatusReportsDto, input);
    const selected = (Array.isArray(input.ids) ? input.ids : []).map(String);
    if (errors.length) {
      const none = selected.length === 0;
      return this.renderQueue(
        request,
        response,
        filters,
        {
          selected,
          refusal: {
            message: none
              ? 'Bitte wählen Sie mindestens eine Meldung aus.'
              : `Die Auswahl ist ungültig: ${errors.flatMap((e) => e.messages).join(', ')}`,
            details: [],
          },
        },
        400,
      );
    }
    let result: { count: number };
    try {
      result = await this.reports.reviewMany(value, request.actor!);
    } catch (error) {
      const refusal = formRefusal(error);
      const payload = (error as HttpException).getResponse() as { details?: unknown };
      const details = Array.isArray(payload.details) ? (payload.details as { message: string }[]) : [];
      const n = value.ids.length;
      return this.renderQueue(
        request,
        response,
        filters,
        {
          selected,
          refusal: details.length
            ? {
                message:
                  n === 1
                    ? 'Die ausgewählte Meldung wurde nicht angenommen:'
                    : `Keine der ${n} ausgewählten Meldungen wurde angenommen, denn nicht jede kann angenommen werden:`,
                details,
              }
            : { message: refusal.message ?? 'Die Meldungen wurden nicht angenommen.', details },
        },
        refusal.status,
      );
    }
    redirectInPlan(
      request,
      response,
      `/pruefung?${queueAddress(filters, { erfolg: 'angenommen', anzahl: result.count })}`,
    );
  }

  @Post('pruefung/:id')
  @PlanOf(StatusReport, { param: 'id', via: { column: 'measureId', entity: Measure } })
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
    const done = decision === 'accept' ? 'angenommen' : 'zurueckgegeben';
    redirectInPlan(
      request,
      response,
      `/pruefung?${queueAddress(queueFilters(body), { erfolg: done, meldung: id })}`,
    );
  }

  /**
   * The review queue: the submitted reports (filtered by the measure's department and field through the
   * service's query), each beside its measure's current status, i.e. the latest accepted report.
   */
  private async renderQueue(
    request: WebRequest,
    response: Response,
    query: Record<string, unknown>,
    extra: {
      flash?: string;
      selected?: string[];
      refusal?: { message: string; details: { message: string }[] };
    },
    status = 200,
  ): Promise<void> {
    const filters = queueFilters(query);
    const page = await this.reports.list({ ...filters, reviewState: 'submitted', pageSize: 100 });
    const measures: Record<number, MeasureView> = {};
    for (const id of new Set(page.items.map((r) => r.measureId))) measures[id] = await this.measures.get(id);
    const [directory, departments, fields] = await Promise.all([
      this.frameworks.listDepartments(),
      this.frameworks.listPlanDepartments(undefined, 'named'),
      this.frameworks.listActionFields(),
    ]);
    const title = extra.refusal ? 'Fehler: Prüfung' : 'Prüfung';
    response.status(status).render(
      'review',
      await this.context.page(request, title, 'review', {
        page,
        measures,
        filters: {
          departmentId: String(filters.departmentId ?? ''),
          actionFieldId: String(filters.actionFieldId ?? ''),
        },
        filtered: filters.departmentId !== undefined || filters.actionFieldId !== undefined,
        departmentNames: Object.fromEntries(directory.map((d) => [d.id, d.name])),
        departmentOptions: departments.map((d) => ({ value: d.id, label: d.name })),
        fieldOptions: fields.map((f) => ({ value: f.id, label: `${f.code} ${f.title}` })),
        selected: extra.selected ?? [],
        refusal: extra.refusal ?? null,
        flash: extra.flash,
      }),
    );
  }

  /** The message after a review, from a fixed key and a count or the report it names. */
  private async reviewMessage(query: Record<string, unknown>): Promise<string | undefined> {
    const key = query.erfolg;
    if (key !== 'angenommen' && key !== 'zurueckgegeben') return undefined;
    const done = key === 'angenommen' ? 'angenommen' : 'zurückgegeben';
    const count = positiveInt(query.anzahl);
    if (count !== undefined) return `${count} ${count === 1 ? 'Meldung' : 'Meldungen'} ${done}`;
    const id = positiveInt(query.meldung);
    if (id === undefined) return undefined;
    const report = await this.reports.get(id).catch(() => null);
    const measure = report ? await this.measures.get(report.measureId).catch(() => null) : null;
    return measure ? `Meldung zu ${measure.code} ${done}` : `Meldung ${done}`;
  }

  /**
   * Builds the report in the chosen format (the form's `format`: xlsx, pdf, docx; the workbook by default) and
   * downloads it; the cycles page lists it afterwards with its format.
   */
  @Post('berichtszyklen/:id/bericht')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles(...REPORT_BUILDER_ROLES)
  async generate(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const format = (REPORT_FORMATS as readonly unknown[]).includes(body.format)
      ? (body.format as ReportFormat)
      : 'xlsx';
    // A large cycle's report is built as a job: its page shows how far it is, then the download.
    if (await this.excelJobs.reportIsLong(id)) {
      const job = await this.excelJobs.queueReport(id, format, request.actor!);
      return redirectInPlan(request, response, `/auftraege/${job.id}`);
    }
    if (format === 'xlsx') {
      const { report } = await this.reportBuilder.generate(id, request.actor!);
      return redirectInPlan(request, response, `/dateien/berichte/${report.id}`);
    }
    const { report } = await this.reportBuilder.generate(id, request.actor!, undefined, format);
    redirectInPlan(request, response, `/berichtszyklen?erfolg=bericht&bericht=${report.id}`);
  }

  @Get('dateien/berichte/:id')
  @PlanOf(ImplementationReport, { param: 'id' })
  @AnyRole()
  @AuditExport('report', { reportId: 'id' })
  async downloadReport(
    @Res({ passthrough: true }) response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<StreamableFile> {
    const report = (await this.reportBuilder.find(id))?.report;
    // From the database, whichever instance built it; a report from before that, from the reports folder.
    const content = report ? await this.implementationReports.content(report) : null;
    if (!report || !content) throw notFound(ReportError.NOT_FOUND, 'Dieser Bericht ist nicht vorhanden.');
    response.setHeader('Content-Type', REPORT_TYPES[report.format]);
    return reportFile(content, report.fileName, report.format);
  }

  @Get('dateien/vorlage/:cycleId/:departmentId')
  @PlanOf(ReportingCycle, { param: 'cycleId' })
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

function positiveInt(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^\d{1,10}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** The queue's filters from an address or a form: ids only, anything else is dropped. */
function queueFilters(source: Record<string, unknown>): { departmentId?: number; actionFieldId?: number } {
  return { departmentId: positiveInt(source.departmentId), actionFieldId: positiveInt(source.actionFieldId) };
}

/** The queue's address after a post: its filters, and the fixed message key with its number. */
function queueAddress(
  filters: { departmentId?: number; actionFieldId?: number },
  message: Record<string, string | number>,
): string {
  const address = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...message }))
    if (value !== undefined) address.set(key, String(value));
  return address.toString();
}
