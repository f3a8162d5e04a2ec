/**
 * One indicator's page: its values as a table and a line chart (server-side SVG), a form to enter a value
 * (admin, as POST /api/indicators/:id/values), and the workbook import of indicator values in two steps:
 * the file is checked first (dry run), then "Übernehmen" writes it without choosing it again.
 */
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
import { AppConfig } from '../common/config/app-config.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { IndicatorImportService, VALUE_COLUMNS, VALUES_SHEET } from '../excel/indicator-import.service.js';
import { CreateIndicatorValueDto } from '../indicators/dto/indicator.dto.js';
import { type IndicatorView, IndicatorsService, TOTAL_GROUP } from '../indicators/indicators.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { formRefusal } from './form-outcome.js';
import { lineChart, lineLegend, type LineSeries, type ReferenceLine } from './line-chart.js';
import { type UploadRequest, uploadProblem } from './plan-upload.js';
import { StagedUploads } from './staged-uploads.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Indicator } from '../indicators/indicator.entity.js';

const VALUE_LABELS: Record<string, string> = {
  year: 'Jahr',
  group: 'Gruppe',
  value: 'Wert',
  note: 'Anmerkung',
};

const IMPORT_KIND = 'indicator-values';

type FieldErrors = { field: string; messages: string[] }[];

/** "37,2" or "37.2" → 37.2; anything else stays as typed, for the DTO to refuse in German. */
function germanDecimal(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim().replace(/\s/g, '');
  return /^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : raw;
}

/** The chart's series: one per group, "gesamt" first. */
function seriesOf(indicator: IndicatorView): LineSeries[] {
  const groups = [...indicator.groups].sort((a, b) =>
    a === TOTAL_GROUP ? -1 : b === TOTAL_GROUP ? 1 : a.localeCompare(b, 'de'),
  );
  return groups
    .map((group) => ({
      name: group,
      points: indicator.values
        .filter((v) => v.group === group)
        .map((v) => ({ year: v.year, value: v.value }))
        .sort((a, b) => a.year - b.year),
    }))
    .filter((s) => s.points.length > 0);
}

function referencesOf(indicator: IndicatorView): ReferenceLine[] {
  const refs: ReferenceLine[] = [];
  if (indicator.baselineValue !== null && indicator.baselineYear !== null)
    refs.push({ label: 'Ausgangswert', value: indicator.baselineValue, year: indicator.baselineYear });
  if (indicator.targetValue !== null && indicator.targetYear !== null)
    refs.push({ label: 'Zielwert', value: indicator.targetValue, year: indicator.targetYear });
  return refs;
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class IndicatorPagesController {
  constructor(
    private readonly indicators: IndicatorsService,
    private readonly indicatorImport: IndicatorImportService,
    private readonly staged: StagedUploads,
    private readonly config: AppConfig,
    private readonly context: WebContext,
  ) {}

  // The import routes come first: "/indikatoren/import" is not an indicator id.

  @Get('indikatoren/import')
  @Roles('admin')
  async importForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const written = typeof query.uebernommen === 'string' && /^\d{1,6}$/.test(query.uebernommen);
    await this.renderImport(request, response, {
      flash: written
        ? `Indikatorwerte übernommen: ${Number(query.uebernommen)} Wert(e) gespeichert.`
        : undefined,
    });
  }

  /** Step 1: the file is checked and previewed (a dry run); nothing is written. */
  @Post('indikatoren/import')
  @Roles('admin')
  async checkImport(@Req() request: UploadRequest & WebRequest, @Res() response: Response): Promise<void> {
    if (request.uploadError) {
      const problem = uploadProblem(request.uploadError, this.config.UPLOAD_LIMIT_MB);
      return this.renderImport(request, response, { problem: problem.message }, problem.status);
    }
    const buffer = request.file?.buffer;
    try {
      const result = await this.indicatorImport.import(buffer, true);
      const token = await this.staged.put(request.actor!.id, IMPORT_KIND, buffer!);
      const counts = { create: 0, update: 0, unchanged: 0 };
      for (const row of result.rows) counts[row.action]++;
      await this.renderImport(request, response, {
        result,
        counts,
        token,
        fileName: request.file?.originalname,
        flash: `Vorschau: ${counts.create} neue und ${counts.update} geänderte Werte, ${counts.unchanged} unverändert. Es wurde noch nichts gespeichert.`,
      });
    } catch (error) {
      await this.renderImportError(request, response, error);
    }
  }

  /** Step 2: the file checked in step 1 is written, all or nothing, checked again. */
  @Post('indikatoren/import/uebernehmen')
  @Roles('admin')
  async applyImport(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const buffer = await this.staged.take(request.actor!.id, IMPORT_KIND, body.token);
    if (!buffer) {
      return this.renderImport(
        request,
        response,
        {
          problem:
            'Die geprüfte Datei liegt nicht mehr vor (sie wird 30 Minuten aufbewahrt und nur einmal übernommen). Bitte laden Sie sie erneut hoch.',
        },
        409,
      );
    }
    let written: number;
    try {
      written = (await this.indicatorImport.import(buffer, false)).written;
    } catch (error) {
      return this.renderImportError(request, response, error);
    }
    redirectInPlan(request, response, `/indikatoren/import?uebernommen=${written}`);
  }

  @Get('indikatoren/:id')
  @PlanOf(Indicator, { param: 'id' })
  @AnyRole()
  async page(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const indicator = await this.indicators.get(id);
    const savedId = typeof query.gespeichert === 'string' ? Number(query.gespeichert) : NaN;
    const saved = indicator.values.find((v) => v.id === savedId);
    await this.renderPage(request, response, indicator, {}, [], 200, {
      flash: saved
        ? `Wert ${saved.year} für ${indicator.code} gespeichert (${saved.group}: ${saved.value.toLocaleString('de-DE')}${indicator.unit ? ` ${indicator.unit}` : ''}).`
        : undefined,
    });
  }

  @Post('indikatoren/:id/werte')
  @PlanOf(Indicator, { param: 'id' })
  @Roles('admin')
  async addValue(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const indicator = await this.indicators.get(id);
    const { value, errors } = await validateForm(
      CreateIndicatorValueDto,
      { ...body, value: germanDecimal(body.value) },
      ['year'],
    );
    if (errors.length) return this.renderPage(request, response, indicator, body, errors, 400);
    let after: IndicatorView;
    try {
      after = await this.indicators.addValue(id, value);
    } catch (error) {
      const refusal = formRefusal(error);
      const fields: FieldErrors = refusal.errors.length
        ? refusal.errors
        : [{ field: 'year', messages: [refusal.message ?? 'Der Wert wurde nicht gespeichert.'] }];
      return this.renderPage(request, response, indicator, body, fields, refusal.status);
    }
    const saved = after.values.find((v) => v.year === value.year && v.group === value.group);
    redirectInPlan(request, response, `/indikatoren/${id}${saved ? `?gespeichert=${saved.id}` : ''}`);
  }

  private async renderPage(
    request: WebRequest,
    response: Response,
    indicator: IndicatorView,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const series = seriesOf(indicator);
    const references = referencesOf(indicator);
    const title = `${indicator.code} ${indicator.name}`;
    const years = [...new Set(indicator.values.map((v) => v.year))].sort((a, b) => a - b);
    const groups = series.map((s) => s.name);
    const table = years.map((year) => ({
      year,
      cells: groups.map(
        (group) => indicator.values.find((v) => v.year === year && v.group === group) ?? null,
      ),
    }));
    response.status(status).render(
      'indicator',
      await this.context.page(
        request,
        `${errors.length ? 'Fehler: ' : ''}Indikator ${indicator.code}`,
        'indicators',
        {
          indicator,
          chart: lineChart('indicator-chart', `Verlauf: ${title}`, indicator.unit, series, references),
          legend: lineLegend(series, references),
          groups,
          table,
          isAdmin: request.actor?.role === 'admin',
          values: {
            year: values.year ?? '',
            group: values.group ?? TOTAL_GROUP,
            value: values.value ?? '',
            note: values.note ?? '',
          },
          ...formErrors(errors, VALUE_LABELS),
          ...extra,
        },
      ),
    );
  }

  private async renderImport(
    request: WebRequest,
    response: Response,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const indicators = await this.indicators.list();
    response.status(status).render(
      'indicator-import',
      await this.context.page(request, 'Indikatorwerte importieren', 'indicators', {
        sheet: VALUES_SHEET,
        columns: VALUE_COLUMNS,
        codes: indicators.map((i) => ({ code: i.code, name: i.name, groups: i.groups })),
        limitMb: this.config.UPLOAD_LIMIT_MB,
        ...extra,
      }),
    );
  }

  private async renderImportError(request: WebRequest, response: Response, error: unknown): Promise<void> {
    if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
    const payload = error.getResponse() as { message?: string; errors?: unknown[] };
    await this.renderImport(
      request,
      response,
      {
        importErrors: {
          message: payload.message ?? 'Die Datei ist ungültig.',
          errors: Array.isArray(payload.errors) ? payload.errors : [],
        },
      },
      error.getStatus(),
    );
  }
}
