/**
 * The measure catalogue in the browser: create and edit a measure (the same DTOs and service calls as
 * POST/PATCH /api/measures), end, merge or reactivate it (as POST /api/measures/:id/lifecycle), and the
 * Maßnahmenplan download and two-step upload (as /api/measure-plan). The policy decides what is shown; the
 * services decide what is allowed.
 */
import { RequestContext } from '../common/context/request-context.js';
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
import { AuditExport } from '../audit/audit-export.decorator.js';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { AppConfig } from '../common/config/app-config.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { InvalidInputException } from '../common/http/validation.js';
import { type PlanImportResult, PlanImportService } from '../excel/plan-import.service.js';
import { XLSX_TYPE } from '../excel/reports.controller.js';
import { FrameworkService } from '../framework/framework.service.js';
import { notFound } from '../common/http/domain-errors.js';
import { DecisionError } from '../governance/decision-errors.js';
import type { DecisionView } from '../governance/decision.view.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { ChangeLifecycleDto, CreateMeasureDto, UpdateMeasureDto } from '../measures/dto/measure.dto.js';
import { MeasureError } from '../measures/measure-errors.js';
import { MeasureLifecycleService } from '../measures/measure-lifecycle.service.js';
import { assertCanWriteMeasure } from '../measures/measure-policy.js';
import { levelsOf } from '../framework/plan-shape.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { MeasureDetailPage } from './measure-detail.js';
import {
  editableFields,
  formFieldErrors,
  measureFieldLabels,
  MEASURE_FIELDS,
  measureBody,
  measureFormValues,
  typedValues,
} from './measure-form.js';
import { type UploadRequest, uploadProblem } from './plan-upload.js';
import { StagedUploads } from './staged-uploads.js';
import { ExcelJobs } from '../excel/excel-jobs.js';
import { PLAN_IMPORT_ROLES } from '../excel/excel-roles.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { wordedIn } from './web-context.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { planWords, said } from '../framework/request-words.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Measure } from '../measures/measure.entity.js';

type FieldErrors = { field: string; messages: string[] }[];

/** The kind under which a checked Maßnahmenplan waits for "Übernehmen". */
const PLAN_KIND = 'measure-plan';

/** A checked Maßnahmenplan file is kept for the plan it was checked for, and applied only to that plan. */
function planKind(): string {
  return `${PLAN_KIND}:${RequestContext.current()?.planId ?? 0}`;
}

const LIFECYCLE_LABELS: Record<string, string> = {
  reason: 'Begründung',
  mergedIntoId: 'Aufgehen in',
  version: 'Version',
  lifecycle: 'Aktion',
};
const LIFECYCLE_DONE: Record<string, string> = {
  discontinued: 'eingestellt',
  merged: 'zusammengefuehrt',
  active: 'reaktiviert',
};

/** The changed fields a plan file's check names: the measure's labels, the lead organisation said short. */
function planFieldLabels(w: PlanVocabulary): Record<string, string> {
  return { ...measureFieldLabels(w), leadDepartmentId: 'Federführung' };
}

/** What the upload pages call the plan's file: Bremen's Maßnahmenplan, else the plan of its measures. */
function planFileWord(w: PlanVocabulary): string {
  return wordedIn(w, 'Maßnahmenplan', `Plan der ${w.measures}`);
}

/** A measure's title from a decision's text: its first sentence, at most 200 characters (the title's limit). */
function decisionTitle(text: string): string {
  const first = text.trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return first.length <= 200 ? first : `${first.slice(0, 199).trimEnd()}…`;
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class MeasureAdminPagesController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly lifecycle: MeasureLifecycleService,
    private readonly frameworks: FrameworkService,
    private readonly planImport: PlanImportService,
    private readonly staged: StagedUploads,
    private readonly detailPage: MeasureDetailPage,
    private readonly config: AppConfig,
    private readonly context: WebContext,
    private readonly decisions: DecisionsService,
    private readonly excelJobs: ExcelJobs,
  ) {}

  // ---- create ----------------------------------------------------------------------------------------------

  @Get('massnahmen/neu')
  @Roles('admin')
  async newForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('beschluss') decisionParam?: string,
  ): Promise<void> {
    // "Neue Maßnahme aus diesem Beschluss": the decision's text and responsible department prefilled.
    const decision = await this.decisionOf(decisionParam);
    const values = decision
      ? typedValues({
          title: decisionTitle(decision.text),
          description: decision.text,
          leadDepartmentId: String(decision.responsibleDepartmentId),
        })
      : typedValues({});
    await this.renderForm(request, response, null, values, [], 200, false, decision);
  }

  /** The decision a new measure comes from (?beschluss=… or the form's decisionId); unknown ones are a 404. */
  private async decisionOf(value: unknown): Promise<DecisionView | null> {
    if (typeof value !== 'string' || value === '') return null;
    const id = /^\d{1,10}$/.test(value) ? Number(value) : 0;
    if (id < 1) throw notFound(DecisionError.NOT_FOUND, `Beschluss ${value} wurde nicht gefunden.`);
    return this.decisions.decision(id);
  }

  @Post('massnahmen/neu')
  @PlanOf(ActionField, { body: 'actionFieldId' })
  @Roles('admin')
  async create(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const body = measureBody(form, 'create');
    const decision = await this.decisionOf(form.decisionId);
    const { value, errors } = await validateForm(CreateMeasureDto, body);
    if (errors.length)
      return this.renderForm(request, response, null, typedValues(form), errors, 400, false, decision);
    let created: MeasureView;
    try {
      // From a decision: created as the decision's application (POST /api/decisions/:id/apply, "create"), so
      // the measure's history names the decision and the decision links the measure.
      created = decision
        ? (await this.decisions.apply(decision.id, { action: 'create', measure: value }, request.actor!))
            .measure
        : await this.measures.create(value, request.actor!);
    } catch (error) {
      const errors = this.fieldErrorsOf(error);
      if (!errors) throw error;
      return this.renderForm(
        request,
        response,
        null,
        typedValues(form),
        errors.list,
        errors.status,
        false,
        decision,
      );
    }
    redirectInPlan(request, response, `/massnahmen/${created.id}?meldung=angelegt`);
  }

  // ---- edit ------------------------------------------------------------------------------------------------

  @Get('massnahmen/:id/bearbeiten')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  async editForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const measure = await this.measures.get(id);
    assertCanWriteMeasure(request.actor!, measure);
    await this.renderForm(request, response, measure, measureFormValues(measure), []);
  }

  @Post('massnahmen/:id/bearbeiten')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  async update(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const measure = await this.measures.get(id);
    assertCanWriteMeasure(request.actor!, measure);
    const body = measureBody(form, 'edit');
    const { value, errors } = await validateForm(UpdateMeasureDto, body);
    if (body.description === '' && !errors.some((e) => e.field === 'description')) value.description = '';
    if (errors.length) return this.renderForm(request, response, measure, typedValues(form), errors, 400);
    try {
      await this.measures.update(id, value, request.actor!);
    } catch (error) {
      const found = this.fieldErrorsOf(error);
      if (!found) throw error;
      // A stale version keeps what was typed and offers the current version, so that saving again is a choice.
      const current = found.stale ? await this.measures.get(id) : measure;
      const values = { ...typedValues(form), ...(found.stale ? { version: String(current.version) } : {}) };
      return this.renderForm(request, response, current, values, found.list, found.status, found.stale);
    }
    redirectInPlan(request, response, `/massnahmen/${id}?meldung=geaendert`);
  }

  /** A refusal that belongs in the form (field errors, duplicate code, stale version); others go to the filter. */
  private fieldErrorsOf(error: unknown): { list: FieldErrors; status: number; stale: boolean } | undefined {
    if (error instanceof InvalidInputException) {
      const payload = error.getResponse() as { errors: FieldErrors };
      return { list: payload.errors, status: 400, stale: false };
    }
    if (error instanceof HttpException && error.getStatus() === 409) {
      const payload = error.getResponse() as { code?: string; message: string };
      if (payload.code === MeasureError.CODE_EXISTS)
        return { list: [{ field: 'code', messages: [payload.message] }], status: 409, stale: false };
      if (payload.code === MeasureError.STALE_VERSION) return { list: [], status: 409, stale: true };
    }
    return undefined;
  }

  private async renderForm(
    request: WebRequest,
    response: Response,
    measure: MeasureView | null,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
    stale = false,
    fromDecision: DecisionView | null = null,
  ): Promise<void> {
    const actor = request.actor!;
    const editable = editableFields(actor);
    const [framework, fields, goals, departments, areas] = await Promise.all([
      this.frameworks.current(measure?.frameworkId),
      this.frameworks.listActionFields(),
      this.frameworks.listGoals(),
      this.frameworks.listPlanDepartments(),
      this.frameworks.listAreas(measure?.frameworkId),
    ]);
    // Organisations the measure names that no longer take part in its plan stay choosable for it (its writes
    // may keep them, see measure-write-checks.ts).
    const kept = measure ? [measure.leadDepartmentId, ...measure.participatingDepartmentIds] : [];
    if (kept.some((id) => !departments.some((d) => d.id === id)))
      departments.push(
        ...(await this.frameworks.listDepartments()).filter(
          (d) => kept.includes(d.id) && !departments.some((own) => own.id === d.id),
        ),
      );
    // Target groups stored earlier but no longer in the framework's list stay choosable for this measure.
    const targetGroups = [
      ...framework.targetGroups,
      ...(measure?.targetGroups ?? []).filter((g) => !framework.targetGroups.includes(g)),
    ];
    const { vocab } = await this.context.plan(request);
    const heading = measure
      ? `${vocab.measure} ${measure.code} bearbeiten`
      : wordedIn(vocab, 'Neue Maßnahme', `${vocab.measure} anlegen`);
    const listed = formFieldErrors(errors).filter(
      (e) => (MEASURE_FIELDS as readonly string[]).includes(e.field) || e.field === 'version',
    );
    response.status(status).render(
      'measure-form',
      await this.context.page(request, listed.length ? `Fehler: ${heading}` : heading, 'measures', {
        heading,
        measure,
        values,
        editable: Object.fromEntries(editable.map((f) => [f, true])),
        fields,
        goals,
        departments,
        departmentNames: Object.fromEntries(departments.map((d) => [d.id, d.name])),
        fieldLabel: Object.fromEntries(fields.map((f) => [f.id, `${f.code} ${f.title}`])),
        goalLabel: Object.fromEntries(goals.map((g) => [g.id, `${g.code} ${g.title}`])),
        levels: levelsOf(framework).map((l) => l.code),
        levelNames: Object.fromEntries(levelsOf(framework).map((l) => [l.code, l.name])),
        areaOptions: areas.map((a) => ({ value: String(a.id), label: a.name })),
        goalOptions: goals.map((g) => ({ value: String(g.id), label: `${g.code} ${g.title}` })),
        depOptions: departments.map((d) => ({ value: String(d.id), label: d.name })),
        groupOptions: targetGroups.map((g) => ({ value: g, label: g })),
        stale,
        fromDecision,
        action: measure ? `/massnahmen/${measure.id}/bearbeiten` : '/massnahmen/neu',
        ...formErrors(listed, measureFieldLabels(planWords())),
      }),
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  @Post('massnahmen/:id/lebenszyklus')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin')
  async changeLifecycle(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const posted = typeof form.lifecycle === 'string' ? form.lifecycle : '';
    const refuse = (list: FieldErrors, status: number, message?: string): Promise<void> =>
      this.detailPage.render(
        request,
        response,
        id,
        {
          lifecycleForm: {
            lifecycle: posted,
            values: typedValues(form),
            message,
            ...formErrors(list, LIFECYCLE_LABELS),
          },
        },
        status,
      );
    const { value, errors } = await validateForm(ChangeLifecycleDto, form, ['version', 'mergedIntoId']);
    if (errors.length) return refuse(errors, 400);
    try {
      await this.lifecycle.changeLifecycle(id, value, request.actor!);
    } catch (error) {
      if (error instanceof InvalidInputException)
        return refuse((error.getResponse() as { errors: FieldErrors }).errors, 400);
      if (error instanceof HttpException && error.getStatus() === 409) {
        const payload = error.getResponse() as { code?: string; message: string };
        const message =
          payload.code === MeasureError.STALE_VERSION
            ? `${said('Die Maßnahme wurde', () => 'Die Angaben wurden')} inzwischen geändert. Bitte prüfen Sie den aktuellen Stand unten und senden Sie das Formular erneut.`
            : payload.message;
        return refuse([], 409, message);
      }
      throw error;
    }
    redirectInPlan(request, response, `/massnahmen/${id}?meldung=${LIFECYCLE_DONE[value.lifecycle]}`);
  }

  // ---- Maßnahmenplan ---------------------------------------------------------------------------------------

  @Get('dateien/massnahmenplan')
  @AnyRole()
  @AuditExport('measure-plan')
  async downloadPlan(): Promise<StreamableFile> {
    return new StreamableFile(await this.planImport.export(), {
      type: XLSX_TYPE,
      disposition: 'attachment; filename="Massnahmenplan.xlsx"',
    });
  }

  /** Step 1: check the file (nothing is written) and keep it for "Übernehmen". */
  @Post('massnahmen/massnahmenplan')
  @Roles(...PLAN_IMPORT_ROLES)
  async checkPlan(@Req() request: UploadRequest & WebRequest, @Res() response: Response): Promise<void> {
    if (request.uploadError) {
      const problem = uploadProblem(request.uploadError, this.config.UPLOAD_LIMIT_MB);
      return this.renderPlan(request, response, { problem: problem.message }, problem.status);
    }
    const buffer = request.file?.buffer;
    let result: PlanImportResult;
    try {
      result = await this.planImport.import(buffer, request.actor!, true);
    } catch (error) {
      return this.renderPlanError(request, response, error);
    }
    const token = await this.staged.put(request.actor!.id, planKind(), buffer!);
    await this.renderPlan(request, response, { result, token, fileName: request.file?.originalname });
  }

  /** Step 2: write the file checked in step 1 (all or nothing, checked again). */
  @Post('massnahmen/massnahmenplan/uebernehmen')
  @Roles(...PLAN_IMPORT_ROLES)
  async applyPlan(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() form: Record<string, unknown>,
  ): Promise<void> {
    const buffer = await this.staged.take(request.actor!.id, planKind(), form.token);
    if (!buffer) {
      return this.renderPlan(
        request,
        response,
        {
          problem:
            'Die geprüfte Datei liegt nicht mehr vor (sie wird nur kurze Zeit aufbewahrt und nur einmal übernommen). Bitte laden Sie sie erneut hoch.',
        },
        409,
      );
    }
    // A large plan is written as a job: its page shows how far it is.
    if (this.excelJobs.planImportIsLong(buffer.length)) {
      const job = await this.excelJobs.queuePlanImport(buffer, planFileName(form.fileName), request.actor!);
      return redirectInPlan(request, response, `/auftraege/${job.id}`);
    }
    let result: PlanImportResult;
    try {
      result = await this.planImport.import(buffer, request.actor!, false);
    } catch (error) {
      return this.renderPlanError(request, response, error);
    }
    redirectInPlan(
      request,
      response,
      `/massnahmen?plan=uebernommen&neu=${result.created}&geaendert=${result.updated}`,
    );
  }

  private async renderPlanError(request: WebRequest, response: Response, error: unknown): Promise<void> {
    if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
    const payload = error.getResponse() as { message?: string; errors?: unknown[] };
    await this.renderPlan(
      request,
      response,
      { problem: payload.message ?? 'Die Datei ist ungültig.', cellErrors: payload.errors ?? [] },
      error.getStatus(),
    );
  }

  private async renderPlan(
    request: WebRequest,
    response: Response,
    extra: {
      result?: PlanImportResult;
      token?: string;
      fileName?: string;
      problem?: string;
      cellErrors?: unknown[];
    },
    status = 200,
  ): Promise<void> {
    const words = planWords();
    const heading = `${planFileWord(words)} ${extra.problem ? 'hochladen' : 'prüfen'}`;
    response.status(status).render(
      'plan-import',
      await this.context.page(request, extra.problem ? `Fehler: ${heading}` : heading, 'measures', {
        heading,
        planFile: planFileWord(words),
        fieldLabels: planFieldLabels(words),
        ...extra,
      }),
    );
  }
}

/** The uploaded file's name as the preview form carries it back: a label for the job, nothing more. */
function planFileName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim().slice(0, 200) : '';
  return name || 'Maßnahmenplan.xlsx';
}
