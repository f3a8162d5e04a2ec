/**
 * The coordinating unit's governance forms: recording a meeting (participation formats with type, topics and
 * participants), recording a decision, and carrying a decision out on a measure after a preview of the
 * change. They call MeetingsService and DecisionsService as the API does, with the API's DTOs.
 */
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { type FieldError, validateDto } from '../common/http/validation.js';
import { FrameworkService } from '../framework/framework.service.js';
import { DecisionsService } from '../governance/decisions.service.js';
import type { DecisionView } from '../governance/decision.view.js';
import { ApplyDecisionDto, CreateDecisionDto, CreateMeetingDto } from '../governance/dto/governance.dto.js';
import { DECISION_KIND_LABELS, DECISION_KINDS } from '../governance/governance.constants.js';
import { GovernanceService } from '../governance/governance.service.js';
import { MeetingsService } from '../governance/meetings.service.js';
import { LIFECYCLE_LABELS } from '../measures/measure.constants.js';
import { levelLabel, levelsOf } from '../framework/plan-shape.js';
import { participationLabel } from '../governance/governance.constants.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { formRefusal, idList } from './form-outcome.js';
import { germanDate, germanNumber } from './format.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { planWords, wordedIn } from '../framework/request-words.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Decision } from '../governance/decision.entity.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { Meeting } from '../governance/meeting.entity.js';

/*
 * The labels are said in the words of the request's plan: its plural after an adjective in the plural
 * ("Teilnehmende Partnerkommunen"), its singular as a label ("Projekt einstellen") or in brackets, where Bremen's
 * phrase has an article or adjective that follows the noun's gender ("Verantwortliches Ressort").
 */

function meetingLabels(w: PlanVocabulary): Record<string, string> {
  return {
    bodyId: w.body,
    date: 'Datum',
    title: 'Titel',
    place: 'Ort',
    attendingDepartmentIds: `Teilnehmende ${w.organisations}`,
    agenda: 'Tagesordnung',
    minutesSummary: 'Ergebnisse',
    participationType: 'Art des Beteiligungsformats',
    topicActionFieldIds: `Themen (${w.fields})`,
    participantCount: 'Anzahl Teilnehmende',
  };
}

function decisionLabels(w: PlanVocabulary): Record<string, string> {
  return {
    meetingId: 'Sitzung',
    kind: 'Art',
    text: 'Beschlusstext',
    responsibleDepartmentId: responsibleLabel(w),
    dueDate: 'Fällig am',
    measureIds: `Betroffene ${w.measures}`,
  };
}

/** Who carries a decision out (the meeting and decision forms' label). */
function responsibleLabel(w: PlanVocabulary): string {
  return wordedIn(w, 'Verantwortliches Ressort', `Verantwortlich (${w.organisation})`);
}

/** Who leads a measure (a decision's change of it). */
function leadLabel(w: PlanVocabulary): string {
  return wordedIn(w, 'Federführendes Ressort', `Federführung (${w.organisation})`);
}

/** The actions offered on the page; a new measure is created on the measure form. */
const PAGE_ACTIONS = ['discontinue', 'extend', 'merge', 'change'] as const;
type PageAction = (typeof PAGE_ACTIONS)[number];
function actionLabels(w: PlanVocabulary): Record<PageAction, string> {
  return {
    discontinue: `${w.measure} einstellen`,
    extend: 'Laufzeit verlängern',
    merge: wordedIn(w, 'In eine andere Maßnahme zusammenführen', `${w.measure} zusammenführen`),
    change: wordedIn(w, 'Angaben der Maßnahme ändern', `Angaben ändern (${w.measure})`),
  };
}
/** The action a decision's kind suggests. */
const KIND_ACTION: Partial<Record<string, PageAction>> = {
  discontinuation: 'discontinue',
  extension: 'extend',
  change: 'change',
};

const CHANGE_FIELDS = [
  'title',
  'description',
  'leadDepartmentId',
  'level',
  'plannedStart',
  'plannedEnd',
  'budget',
] as const;
type ChangeField = (typeof CHANGE_FIELDS)[number];
function changeLabels(w: PlanVocabulary): Record<ChangeField, string> {
  return {
    title: 'Titel',
    description: 'Beschreibung',
    leadDepartmentId: leadLabel(w),
    level: 'Ebene',
    plannedStart: 'Geplanter Beginn',
    plannedEnd: 'Geplantes Ende',
    budget: 'Budget (Euro)',
  };
}

function applyLabels(w: PlanVocabulary): Record<string, string> {
  const changes = changeLabels(w);
  return {
    action: 'Was der Beschluss bewirkt',
    measureId: w.measure,
    version: wordedIn(w, 'Version der Maßnahme', `Version (${w.measure})`),
    plannedEnd: 'Neues Ende',
    mergedIntoId: 'Zusammenführen in',
    changes: 'Änderungen',
    ...Object.fromEntries(CHANGE_FIELDS.map((f) => [`changes.${f}`, `Neu: ${changes[f]}`])),
  };
}

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller('gremien')
export class GovernanceFormsController {
  constructor(
    private readonly governance: GovernanceService,
    private readonly meetings: MeetingsService,
    private readonly decisions: DecisionsService,
    private readonly measures: MeasuresService,
    private readonly frameworks: FrameworkService,
    private readonly context: WebContext,
  ) {}

  // ---- meetings ----

  @Get('sitzungen/neu')
  @Roles('admin')
  async meetingForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.renderMeetingForm(request, response, {}, []);
  }

  @Post('sitzungen')
  @PlanOf(GovernanceBody, { body: 'bodyId' })
  @Roles('admin')
  async createMeeting(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const input = {
      ...body,
      attendingDepartmentIds: idList(body.attendingDepartmentIds),
      topicActionFieldIds: idList(body.topicActionFieldIds),
    };
    const { value, errors } = await validateForm(CreateMeetingDto, input, ['bodyId', 'participantCount']);
    if (errors.length) return this.renderMeetingForm(request, response, body, errors, undefined, 400);
    let id: number;
    try {
      id = (await this.meetings.createMeeting(value)).id;
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderMeetingForm(request, response, body, refusal.errors, refusal.message, refusal.status);
    }
    redirectInPlan(request, response, `/gremien?erfolg=sitzung&sitzung=${id}`);
  }

  private async renderMeetingForm(
    request: WebRequest,
    response: Response,
    values: Record<string, unknown>,
    errors: FieldError[],
    message?: string,
    status = 200,
  ): Promise<void> {
    const heading = 'Sitzung erfassen';
    const bodies = await this.governance.bodies();
    response.status(status).render(
      'meeting-form',
      await this.context.page(
        request,
        errors.length || message ? `Fehler: ${heading}` : heading,
        'governance',
        {
          heading,
          values,
          checked: {
            attendingDepartmentIds: asStrings(values.attendingDepartmentIds),
            topicActionFieldIds: asStrings(values.topicActionFieldIds),
          },
          bodies: bodies.map((b) => ({ value: b.id, label: b.name })),
          formatBodies: bodies.filter((b) => b.participationFormats?.length).map((b) => b.name),
          departments: (await this.frameworks.listPlanDepartments()).map((d) => ({
            value: d.id,
            label: d.name,
          })),
          fields: (await this.frameworks.listActionFields()).map((f) => ({
            value: f.id,
            label: `${f.code} ${f.title}`,
          })),
          participationTypes: participationOptions(bodies),
          message,
          labels: meetingLabels(planWords()),
          ...formErrors(errors, meetingLabels(planWords())),
        },
      ),
    );
  }

  // ---- decisions ----

  @Get('beschluesse/neu')
  @Roles('admin')
  async decisionForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('meetingId') meetingId?: string,
  ): Promise<void> {
    await this.renderDecisionForm(request, response, { meetingId, kind: 'other' }, []);
  }

  @Post('beschluesse')
  @PlanOf(Meeting, { body: 'meetingId' })
  @Roles('admin')
  async createDecision(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const input = { ...body, measureIds: idList(body.measureIds) };
    const { value, errors } = await validateForm(CreateDecisionDto, input, [
      'meetingId',
      'responsibleDepartmentId',
    ]);
    if (errors.length) return this.renderDecisionForm(request, response, body, errors, undefined, 400);
    let id: number;
    try {
      id = (await this.decisions.createDecision(value, request.actor!)).id;
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderDecisionForm(
        request,
        response,
        body,
        refusal.errors,
        refusal.message,
        refusal.status,
      );
    }
    redirectInPlan(request, response, `/gremien?erfolg=beschluss&beschluss=${id}`);
  }

  private async renderDecisionForm(
    request: WebRequest,
    response: Response,
    values: Record<string, unknown>,
    errors: FieldError[],
    message?: string,
    status = 200,
  ): Promise<void> {
    const heading = 'Beschluss erfassen';
    const bodies = new Map((await this.governance.bodies()).map((b) => [b.id, b.name]));
    const meetings = (await this.meetings.listMeetings({ pageSize: 200 })).items;
    response.status(status).render(
      'decision-form',
      await this.context.page(
        request,
        errors.length || message ? `Fehler: ${heading}` : heading,
        'governance',
        {
          heading,
          values: { ...values, measureIds: asStrings(values.measureIds) },
          meetings: meetings.map((m) => ({
            value: m.id,
            label: `${germanDate(m.date)} – ${bodies.get(m.bodyId) ?? ''}: ${m.title}`,
          })),
          kinds: DECISION_KINDS.map((k) => ({ value: k, label: DECISION_KIND_LABELS[k] })),
          departments: (await this.frameworks.listPlanDepartments()).map((d) => ({
            value: d.id,
            label: d.name,
          })),
          measures: (await this.allMeasures()).map((m) => ({ value: m.id, label: `${m.code} ${m.title}` })),
          message,
          labels: decisionLabels(planWords()),
          ...formErrors(errors, decisionLabels(planWords())),
        },
      ),
    );
  }

  // ---- applying a decision to a measure: form → preview → apply ----

  @Get('beschluesse/:id/anwenden')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin')
  async applyForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const decision = await this.decisions.decision(id);
    await this.renderApplyForm(
      request,
      response,
      decision,
      {
        action: KIND_ACTION[decision.kind] ?? '',
        measureId: decision.measureIds.length === 1 ? decision.measureIds[0] : '',
      },
      [],
    );
  }

  @Post('beschluesse/:id/vorschau')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin')
  async preview(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const decision = await this.decisions.decision(id);
    const measureId = Number(body.measureId);
    const measure =
      Number.isSafeInteger(measureId) && measureId > 0 ? await this.findMeasure(measureId) : null;
    // The preview takes the measure's version as it is now; applying refuses if it changes in between.
    const { value, errors } = await validateDto(ApplyDecisionDto, applyInput(body, measure?.version));
    if (errors.length || !measure)
      return this.renderApplyForm(request, response, decision, body, errors, undefined, 400);
    response.status(200).render(
      'decision-preview',
      await this.context.page(request, `Vorschau: Beschluss auf ${measure.code} anwenden`, 'governance', {
        decision,
        measure,
        actionLabel: actionLabels(planWords())[value.action as PageAction],
        rows: await this.previewRows(value, measure),
        hidden: hiddenFields(value),
      }),
    );
  }

  @Post('beschluesse/:id/anwenden')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin')
  async apply(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const decision = await this.decisions.decision(id);
    const version = /^\d+$/.test(String(body.version)) ? Number(body.version) : undefined;
    const { value, errors } = await validateDto(ApplyDecisionDto, applyInput(body, version));
    if (errors.length) return this.renderApplyForm(request, response, decision, body, errors, undefined, 400);
    try {
      await this.decisions.apply(id, value, request.actor!);
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderApplyForm(
        request,
        response,
        decision,
        body,
        refusal.errors,
        refusal.message,
        refusal.status,
      );
    }
    redirectInPlan(
      request,
      response,
      `/gremien?erfolg=angewendet&beschluss=${id}&massnahme=${value.measureId}&aktion=${value.action}`,
    );
  }

  private async renderApplyForm(
    request: WebRequest,
    response: Response,
    decision: DecisionView,
    values: Record<string, unknown>,
    errors: FieldError[],
    message?: string,
    status = 200,
  ): Promise<void> {
    const words = planWords();
    const heading = wordedIn(
      words,
      'Beschluss auf eine Maßnahme anwenden',
      `Beschluss anwenden (${words.measure})`,
    );
    const measures = await this.allMeasures();
    const linked = new Set(decision.measureIds);
    const options = [
      ...measures.filter((m) => linked.has(m.id)).map((m) => ({ m, note: ' (mit dem Beschluss verknüpft)' })),
      ...measures.filter((m) => !linked.has(m.id)).map((m) => ({ m, note: '' })),
    ].map(({ m, note }) => ({
      value: m.id,
      label: `${m.code} ${m.title}${m.lifecycle !== 'active' ? ` – ${LIFECYCLE_LABELS[m.lifecycle]}` : ''}${note}`,
    }));
    const flat: Record<string, unknown> = { ...values };
    for (const field of CHANGE_FIELDS) flat[`changes.${field}`] = values[`changes[${field}]`];
    response.status(status).render(
      'decision-apply',
      await this.context.page(
        request,
        errors.length || message ? `Fehler: ${heading}` : heading,
        'governance',
        {
          heading,
          decision,
          values: flat,
          measureOptions: options,
          targetOptions: measures
            .filter((m) => m.lifecycle === 'active')
            .map((m) => ({ value: m.id, label: `${m.code} ${m.title}` })),
          actions: PAGE_ACTIONS.map((a) => ({ value: a, label: actionLabels(words)[a] })),
          departments: (await this.frameworks.listPlanDepartments()).map((d) => ({
            value: d.id,
            label: d.name,
          })),
          levels: levelsOf(await this.frameworks.current()).map((l) => ({ value: l.code, label: l.name })),
          message,
          labels: applyLabels(words),
          ...formErrors(errors, applyLabels(words)),
        },
      ),
    );
  }

  /** "Field: before → after" for the change the decision will make. */
  private async previewRows(
    dto: ApplyDecisionDto,
    measure: MeasureView,
  ): Promise<{ label: string; before: string; after: string }[]> {
    const departments = new Map((await this.frameworks.listDepartments()).map((d) => [d.id, d.name]));
    const plan = await this.frameworks.current(measure.frameworkId);
    const lifecycle = LIFECYCLE_LABELS[measure.lifecycle];
    switch (dto.action) {
      case 'discontinue':
        return [{ label: 'Lebenszyklus', before: lifecycle, after: LIFECYCLE_LABELS.discontinued }];
      case 'merge': {
        const target = await this.findMeasure(dto.mergedIntoId!);
        return [
          { label: 'Lebenszyklus', before: lifecycle, after: LIFECYCLE_LABELS.merged },
          {
            label: 'Aufgegangen in',
            before: '–',
            after: target ? `${target.code} ${target.title}` : `${planWords().measure} ${dto.mergedIntoId}`,
          },
        ];
      }
      case 'extend':
        return [
          {
            label: 'Geplantes Ende',
            before: germanDate(measure.plannedEnd),
            after: germanDate(dto.plannedEnd),
          },
        ];
      default: {
        const show = (field: ChangeField, value: unknown): string => {
          if (value === null || value === undefined || value === '') return '–';
          const v = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
          if (field === 'leadDepartmentId') return departments.get(Number(v)) ?? v;
          if (field === 'level') return levelLabel(plan, v);
          if (field === 'plannedStart' || field === 'plannedEnd') return germanDate(v);
          if (field === 'budget') return `${germanNumber(Number(v), 2)} €`;
          return v;
        };
        const changes = (dto.changes ?? {}) as Partial<Record<ChangeField, unknown>>;
        return CHANGE_FIELDS.filter((f) => changes[f] !== undefined).map((f) => ({
          label: changeLabels(planWords())[f],
          before: show(f, measure[f]),
          after: show(f, changes[f]),
        }));
      }
    }
  }

  private async findMeasure(id: number): Promise<MeasureView | null> {
    return this.measures.get(id).catch(() => null);
  }

  private async allMeasures(): Promise<MeasureView[]> {
    const first = await this.measures.list({ pageSize: 200, sort: 'code' });
    const items = [...first.items];
    for (let page = 2; items.length < first.total; page += 1) {
      const next = await this.measures.list({ pageSize: 200, sort: 'code', page });
      if (!next.items.length) break;
      items.push(...next.items);
    }
    return items;
  }
}

/** The participation formats of the bodies that have any: one option per format, naming its bodies. */
function participationOptions(bodies: GovernanceBody[]): { value: string; label: string }[] {
  const bodiesOf = new Map<string, string[]>();
  for (const body of bodies) {
    for (const format of body.participationFormats ?? []) {
      bodiesOf.set(format, [...(bodiesOf.get(format) ?? []), body.name]);
    }
  }
  return [...bodiesOf].map(([format, names]) => ({
    value: format,
    label:
      bodies.filter((b) => b.participationFormats?.length).length > 1
        ? `${participationLabel(format)} (${names.join(', ')})`
        : participationLabel(format),
  }));
}

function asStrings(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** The apply body from the form's fields: only what the chosen action uses, numbers as numbers. */
function applyInput(body: Record<string, unknown>, version: number | undefined): Record<string, unknown> {
  const action = typeof body.action === 'string' ? body.action : '';
  const num = (v: unknown): unknown => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v);
  const input: Record<string, unknown> = {
    action: (PAGE_ACTIONS as readonly string[]).includes(action) ? action : undefined,
    measureId: body.measureId === '' ? undefined : num(body.measureId),
    version,
  };
  if (action === 'extend') input.plannedEnd = body.plannedEnd === '' ? undefined : body.plannedEnd;
  if (action === 'merge') input.mergedIntoId = body.mergedIntoId === '' ? undefined : num(body.mergedIntoId);
  if (action === 'change') {
    const changes: Record<string, unknown> = {};
    for (const field of CHANGE_FIELDS) {
      const raw = body[`changes[${field}]`];
      if (typeof raw !== 'string' || raw.trim() === '') continue;
      changes[field] =
        field === 'leadDepartmentId'
          ? num(raw)
          : field === 'budget' && /^\d+([.,]\d+)?$/.test(raw.trim())
            ? Number(raw.trim().replace(',', '.'))
            : raw;
    }
    input.changes = changes;
  }
  return input;
}

/** The validated apply body as hidden form fields, for the preview's "Anwenden". */
function hiddenFields(dto: ApplyDecisionDto): { name: string; value: string }[] {
  const fields: { name: string; value: string }[] = [];
  for (const key of ['action', 'measureId', 'version', 'plannedEnd', 'mergedIntoId'] as const) {
    const v = dto[key];
    if (v !== undefined && v !== null) fields.push({ name: key, value: String(v) });
  }
  for (const [field, v] of Object.entries(dto.changes ?? {})) {
    if (v !== undefined && v !== null) fields.push({ name: `changes[${field}]`, value: String(v) });
  }
  return fields;
}
