import { canChangeDecisionState } from '../governance/decision-policy.js';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { InvalidInputException } from '../common/http/validation.js';
import { FrameworkService } from '../framework/framework.service.js';
import { ChangeDecisionStateDto } from '../governance/dto/governance.dto.js';
import {
  DECISION_STATE_LABELS,
  DECISION_STATES,
  participationLabel,
} from '../governance/governance.constants.js';
import { membersOn } from '../governance/governance-body.entity.js';
import { LIFECYCLE_LABELS } from '../measures/measure.constants.js';
import { MeasuresService } from '../measures/measures.service.js';
import { DecisionsService } from '../governance/decisions.service.js';
import type { DecisionView } from '../governance/decision.view.js';
import { GovernanceService } from '../governance/governance.service.js';
import { MeetingsService } from '../governance/meetings.service.js';
import { IndicatorsService } from '../indicators/indicators.service.js';
import { todayInBremen } from '../common/dates.js';
import { validateForm } from './form-errors.js';
import { flashKey } from './form-outcome.js';
import { germanDate } from './format.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Decision } from '../governance/decision.entity.js';

const CADENCE_LABELS = {
  met: 'eingehalten',
  below: 'unterschritten',
  above: 'überschritten',
  running: 'Jahr läuft noch',
};

const FLASH_KEYS = ['beschluss', 'stand', 'angewendet'] as const;

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class GovernancePagesController {
  constructor(
    private readonly governance: GovernanceService,
    private readonly meetings: MeetingsService,
    private readonly decisions: DecisionsService,
    private readonly indicators: IndicatorsService,
    private readonly frameworks: FrameworkService,
    private readonly measures: MeasuresService,
    private readonly context: WebContext,
  ) {}

  @Get('gremien')
  @AnyRole()
  async page(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const actor = request.actor!;
    const year = Number(todayInBremen().slice(0, 4));
    const bodies = await this.governance.bodies();
    const departments = await this.frameworks.listDepartments();
    const organisations = new Map(departments.map((d) => [d.code, d.name]));
    const today = todayInBremen();
    response.render(
      'governance',
      await this.context.page(request, (vocab) => vocab.bodies, 'governance', {
        year,
        cadence: await this.governance.cadence(year),
        cadenceLabels: CADENCE_LABELS,
        decisions: (await this.decisions.listDecisions({ pageSize: 200 })).items,
        meetings: (await this.meetings.listMeetings({ pageSize: 100 })).items,
        bodyNames: Object.fromEntries(bodies.map((b) => [b.id, b.name])),
        departmentNames: Object.fromEntries(departments.map((d) => [d.id, d.name])),
        // Members are organisations (with their representative's function) or persons by function alone.
        bodyMembers: bodies.map((b) => ({
          name: b.name,
          members: membersOn(b.members, today).map((m) => ({
            organisation: m.departmentCode ? (organisations.get(m.departmentCode) ?? m.departmentCode) : null,
            function: m.function,
          })),
          formats: (b.participationFormats ?? []).map(participationLabel),
        })),
        decisionStates: DECISION_STATES.map((key) => ({ key, label: DECISION_STATE_LABELS[key] })),
        canChange: (d: DecisionView) => canChangeDecisionState(actor, d).allowed,
        isAdmin: actor.role === 'admin',
        flash: await this.flash(query),
      }),
    );
  }

  @Post('gremien/beschluesse/:id/stand')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin', 'editor')
  async changeState(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { value, errors } = await validateForm(ChangeDecisionStateDto, body, ['version']);
    if (errors.length)
      throw new InvalidInputException(errors, 'Der Stand wurde nicht geändert: die Angaben sind ungültig.');
    await this.decisions.changeState(id, value, request.actor!);
    redirectInPlan(request, response, `/gremien?erfolg=stand&beschluss=${id}`);
  }

  /** The message after a post, built from a fixed key and the records it names (never text from the address). */
  private async flash(query: Record<string, unknown>): Promise<string | undefined> {
    const meetingFlash = query.erfolg === 'sitzung' ? flashKey(query, ['sitzung'], 'sitzung') : null;
    if (meetingFlash) {
      const meeting = await this.meetings.meeting(meetingFlash.id).catch(() => null);
      if (!meeting) return undefined;
      const body = await this.governance.body(meeting.bodyId);
      return `Sitzung am ${germanDate(meeting.date)} erfasst (${body.name})`;
    }
    const flash = flashKey(query, FLASH_KEYS, 'beschluss');
    if (!flash) return undefined;
    const decision = await this.decisions.decision(flash.id).catch(() => null);
    if (!decision) return undefined;
    const of = `der ${decision.bodyName} vom ${germanDate(decision.meetingDate)}`;
    switch (flash.key) {
      case 'beschluss':
        return `Beschluss ${of} erfasst`;
      case 'stand':
        return `Stand des Beschlusses ${of}: ${decision.stateLabel}`;
      case 'angewendet':
        return this.appliedMessage(query);
    }
  }

  private async appliedMessage(query: Record<string, unknown>): Promise<string | undefined> {
    const measureId = Number(query.massnahme);
    if (!Number.isSafeInteger(measureId) || measureId < 1) return undefined;
    const measure = await this.measures.get(measureId).catch(() => null);
    if (!measure) return undefined;
    let what: string;
    switch (query.aktion) {
      case 'discontinue':
        what = LIFECYCLE_LABELS.discontinued;
        break;
      case 'merge': {
        const target = measure.mergedIntoId
          ? await this.measures.get(measure.mergedIntoId).catch(() => null)
          : null;
        what = target ? `zusammengeführt in ${target.code}` : LIFECYCLE_LABELS.merged;
        break;
      }
      case 'extend':
        what = `verlängert bis ${germanDate(measure.plannedEnd)}`;
        break;
      case 'change':
        what = 'Angaben geändert';
        break;
      default:
        return undefined;
    }
    return `Beschluss auf ${measure.code} angewendet: ${what}`;
  }

  @Get('indikatoren')
  @AnyRole()
  async indicatorsPage(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    response.render(
      'indicators',
      await this.context.page(request, 'Indikatoren', 'indicators', {
        indicators: await this.indicators.list(),
      }),
    );
  }
}
