import { canChangeDecisionState } from '../governance/decision-policy.js';
import { Body, Controller, Get, HttpException, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { FrameworkService } from '../framework/framework.service.js';
import {
  DECISION_STATE_LABELS,
  DECISION_STATES,
  type DecisionState,
} from '../governance/governance.constants.js';
import { DecisionsService } from '../governance/decisions.service.js';
import type { DecisionView } from '../governance/decision.view.js';
import { GovernanceService } from '../governance/governance.service.js';
import { MeetingsService } from '../governance/meetings.service.js';
import { IndicatorsService } from '../indicators/indicators.service.js';
import { todayInBremen } from '../common/dates.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const CADENCE_LABELS = {
  met: 'eingehalten',
  below: 'unterschritten',
  above: 'überschritten',
  running: 'Jahr läuft noch',
};

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
    private readonly context: WebContext,
  ) {}

  @Get('gremien')
  @AnyRole()
  async page(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    const year = Number(todayInBremen().slice(0, 4));
    const bodies = await this.governance.bodies();
    response.render(
      'governance',
      await this.context.page(request, 'Gremien', 'governance', {
        year,
        cadence: await this.governance.cadence(year),
        cadenceLabels: CADENCE_LABELS,
        decisions: (await this.decisions.listDecisions({ pageSize: 200 })).items,
        meetings: (await this.meetings.listMeetings({ pageSize: 100 })).items,
        bodyNames: Object.fromEntries(bodies.map((b) => [b.id, b.name])),
        departmentNames: Object.fromEntries(
          (await this.frameworks.listDepartments()).map((d) => [d.id, d.name]),
        ),
        decisionStates: DECISION_STATES.map((key) => ({ key, label: DECISION_STATE_LABELS[key] })),
        canChange: (d: DecisionView) => canChangeDecisionState(actor, d).allowed,
      }),
    );
  }

  @Post('gremien/beschluesse/:id/stand')
  @Roles('admin', 'editor')
  async changeState(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const state = String(body.state) as DecisionState;
    const version = Number(body.version);
    if (!DECISION_STATES.includes(state) || !Number.isInteger(version))
      throw new HttpException({ message: 'Ungültiger Stand.' }, 400);
    await this.decisions.changeState(id, { state, version }, request.actor!);
    response.redirect(303, '/gremien');
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
