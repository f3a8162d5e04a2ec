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
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { InvalidInputException } from '../common/http/validation.js';
import { STATUS_KEYS } from '../dashboard/dashboard.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { type DueFilter, MeasureQueryDto } from '../measures/dto/measure.dto.js';
import { CreateStatusReportDto } from '../measures/dto/status-report.dto.js';
import { assertCanWriteMeasure, initialReviewState } from '../measures/measure-policy.js';
import { MEASURE_STATUSES, STATUS_LABELS } from '../measures/measure.constants.js';
import { levelsOf } from '../framework/plan-shape.js';
import { latestReport } from '../measures/measure-rules.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { StatusReportsService } from '../measures/status-reports.service.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { MeasureDetailPage, measureMessage, planMessage } from './measure-detail.js';
import { formFieldErrors, isoDate } from './measure-form.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Measure } from '../measures/measure.entity.js';

const REPORT_LABELS: Record<string, string> = {
  status: 'Status',
  progress: 'Fortschritt',
  summary: 'Sachstand',
  obstacles: 'Hindernisse',
  nextSteps: 'Nächste Schritte',
  reportedAt: 'Stichtag',
  correctsReportId: 'Korrektur',
};

/** The list's lifecycle filter; "counted" is what the dashboard counts (links from it carry it). */
const LIFECYCLE_FILTER_OPTIONS: [string, string][] = [
  ['counted', 'aktiv oder eingestellt (wie in der Übersicht gezählt)'],
  ['active', 'aktiv'],
  ['discontinued', 'eingestellt'],
  ['merged', 'zusammengeführt'],
];

/** The list's filter of a cycle's due measures by reporting state, named as the cycle's completeness names it. */
const DUE_FILTER_OPTIONS: [DueFilter, string][] = [
  ['all', 'alle fälligen'],
  ['reported', 'gemeldet'],
  ['accepted', 'angenommen'],
  ['awaitingReview', 'wartet auf Prüfung'],
  ['returned', 'zurückgegeben'],
  ['missing', 'Meldung fehlt'],
];

/** The report form's date, typed as TT.MM.JJJJ or JJJJ-MM-TT. */
const REPORT_DATE_FIELDS: ReadonlySet<string> = new Set(['reportedAt']);

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller('massnahmen')
export class MeasurePagesController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly reports: StatusReportsService,
    private readonly frameworks: FrameworkService,
    private readonly context: WebContext,
    private readonly detailPage: MeasureDetailPage,
    private readonly cycles: ReportingCyclesService,
  ) {}

  private async departmentNames(): Promise<Record<number, string>> {
    return Object.fromEntries((await this.frameworks.listDepartments()).map((d) => [d.id, d.name]));
  }

  @Get()
  @AnyRole()
  async list(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const { value, errors } = await validateForm(MeasureQueryDto, { ...query, pageSize: '25' }, [
      'page',
      'pageSize',
    ]);
    const invalid = new Set(errors.map((e) => e.field.split('.')[0]));
    const filters = Object.fromEntries(
      Object.entries(value).filter(([key]) => !invalid.has(key)),
    ) as MeasureQueryDto;
    // A level the plan does not have is ignored too.
    const framework = await this.frameworks.current();
    const levelCodes = levelsOf(framework).map((l) => l.code);
    if (filters.level) filters.level = filters.level.filter((l) => levelCodes.includes(l));
    const page = await this.measures.list(filters);
    const keep = new URLSearchParams();
    for (const key of [
      'q',
      'actionFieldId',
      'goalId',
      'leadDepartmentId',
      'status',
      'level',
      'areaId',
      'targetGroup',
      'lifecycle',
      'cycleId',
      'due',
    ]) {
      const v = query[key];
      if (typeof v === 'string' && v !== '' && !invalid.has(key)) keep.set(key, v);
    }
    const cycles = await this.cycles.list();
    const dueCycle = filters.cycleId ? cycles.find((c) => c.id === filters.cycleId) : undefined;
    response.render(
      'measures',
      await this.context.page(request, (vocab) => vocab.measures, 'measures', {
        page,
        pages: Math.max(1, Math.ceil(page.total / page.pageSize)),
        pageQuery: keep.toString(),
        q: Object.fromEntries(keep.entries()),
        departmentNames: await this.departmentNames(),
        fields: await this.frameworks.listActionFields(),
        goals: await this.frameworks.listGoals(),
        departments: await this.frameworks.listPlanDepartments(undefined, 'named'),
        statusKeys: STATUS_KEYS,
        levels: levelsOf(framework).map((l) => l.code),
        levelNames: Object.fromEntries(levelsOf(framework).map((l) => [l.code, l.name])),
        areas: await this.frameworks.listAreas(),
        targetGroups: framework.targetGroups,
        lifecycleOptions: LIFECYCLE_FILTER_OPTIONS,
        cycles,
        dueOptions: DUE_FILTER_OPTIONS,
        dueFilter: dueCycle
          ? {
              cycleCode: dueCycle.code,
              label: DUE_FILTER_OPTIONS.find(([key]) => key === (filters.due ?? 'all'))![1],
            }
          : null,
        isAdmin: request.actor?.role === 'admin',
        flash: planMessage(query),
      }),
    );
  }

  @Get(':id')
  @PlanOf(Measure, { param: 'id' })
  @AnyRole()
  async detail(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const { code } = await this.measures.get(id);
    const flash =
      measureMessage(query.meldung, code) ??
      (query.gemeldet === '1'
        ? initialReviewState(request.actor!) === 'accepted'
          ? `Meldung zu ${code} gespeichert und angenommen`
          : `Meldung zu ${code} eingereicht – wartet auf Prüfung`
        : undefined);
    await this.detailPage.render(request, response, id, { flash });
  }

  @Get(':id/meldung')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  async form(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const measure = await this.measures.get(id);
    assertCanWriteMeasure(request.actor!, measure);
    await this.renderForm(request, response, measure, {}, []);
  }

  @Post(':id/meldung')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  async submit(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const measure = await this.measures.get(id);
    assertCanWriteMeasure(request.actor!, measure);
    // The date as the API takes it: German (TT.MM.JJJJ) or ISO.
    const posted =
      typeof body.reportedAt === 'string' ? { ...body, reportedAt: isoDate(body.reportedAt) } : body;
    const { value, errors } = await validateForm(CreateStatusReportDto, posted, [
      'progress',
      'correctsReportId',
    ]);
    if (errors.length) return this.renderForm(request, response, measure, body, errors, 400);
    try {
      await this.reports.create(id, value, request.actor!);
    } catch (error) {
      if (error instanceof InvalidInputException) {
        const payload = error.getResponse() as { errors: { field: string; messages: string[] }[] };
        return this.renderForm(request, response, measure, body, payload.errors, 400);
      }
      if (error instanceof HttpException && error.getStatus() === 409) {
        const payload = error.getResponse() as { message: string };
        return this.renderForm(
          request,
          response,
          measure,
          body,
          [{ field: 'reportedAt', messages: [payload.message] }],
          409,
        );
      }
      throw error;
    }
    redirectInPlan(request, response, `/massnahmen/${id}?gemeldet=1`);
  }

  private async renderForm(
    request: WebRequest,
    response: Response,
    measure: MeasureView,
    values: Record<string, unknown>,
    errors: { field: string; messages: string[] }[],
    status = 200,
  ): Promise<void> {
    const history = await this.reports.listForMeasure(measure.id);
    const latest = history[0];
    // A new report starts from the measure's current status: its latest accepted report.
    const lastAccepted = latestReport(history);
    const shown =
      Object.keys(values).length === 0 && lastAccepted
        ? { status: lastAccepted.status, progress: String(lastAccepted.progress) }
        : values;
    response.status(status).render(
      'report-form',
      await this.context.page(
        request,
        errors.length ? `Fehler: Sachstand melden ${measure.code}` : `Sachstand melden ${measure.code}`,
        'reports',
        {
          measure,
          values: shown,
          lastAccepted,
          statusOptions: MEASURE_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] })),
          returned: latest?.reviewState === 'returned' ? latest : null,
          ...formErrors(formFieldErrors(errors, REPORT_DATE_FIELDS), REPORT_LABELS),
        },
      ),
    );
  }
}
