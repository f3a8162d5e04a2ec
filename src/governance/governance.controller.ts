import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import {
  AppliedDecisionResponse,
  CadenceRowResponse,
  DecisionResponse,
  GovernanceBodyResponse,
  MeetingResponse,
  MeetingWithDecisionsResponse,
} from './governance.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import type { MeasureView } from '../measures/measure.view.js';
import type { Page } from '../common/paging.js';
import { todayInBremen } from '../common/dates.js';
import {
  ApplyDecisionDto,
  CadenceQueryDto,
  ChangeDecisionStateDto,
  CreateDecisionDto,
  CreateMeetingDto,
  DecisionQueryDto,
  MeetingQueryDto,
  UpdateMeetingDto,
} from './dto/governance.dto.js';
import { GovernanceBody } from './governance-body.entity.js';
import { DecisionsService } from './decisions.service.js';
import type { DecisionView } from './decision.view.js';
import { type CadenceRow, GovernanceService } from './governance.service.js';
import { Meeting } from './meeting.entity.js';
import { MeetingsService } from './meetings.service.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Decision } from '../governance/decision.entity.js';

@ApiTags('Gremien')
@ApiBearerAuth()
@Controller('api')
export class GovernanceController {
  constructor(
    private readonly governance: GovernanceService,
    private readonly meetingsService: MeetingsService,
    private readonly decisionsService: DecisionsService,
  ) {}

  @Get('governance/bodies')
  @AnyRole()
  @ApiOperation({ summary: 'Gremien mit Mitgliedern und Turnus' })
  @ApiOkResponse({ type: GovernanceBodyResponse, isArray: true })
  bodies(@Query() query: PlanQueryDto): Promise<GovernanceBody[]> {
    return this.governance.bodies(query.frameworkId);
  }

  @Get('governance/bodies/:id')
  @PlanOf(GovernanceBody, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Ein Gremium' })
  @ApiOkResponse({ type: GovernanceBodyResponse })
  body(@Param('id', IdPipe) id: number): Promise<GovernanceBody> {
    return this.governance.body(id);
  }

  @Get('governance/cadence')
  @AnyRole()
  @ApiOperation({ summary: 'Sitzungen je Gremium und Jahr gegenüber dem Turnus' })
  @ApiOkResponse({ type: CadenceRowResponse, isArray: true })
  cadence(@Query() query: CadenceQueryDto): Promise<CadenceRow[]> {
    const year = query.year ?? Number(todayInBremen().slice(0, 4));
    return this.governance.cadence(year, todayInBremen(), undefined, query.frameworkId);
  }

  @Get('meetings')
  @AnyRole()
  @ApiOperation({ summary: 'Sitzungen, neueste zuerst' })
  @ApiPageResponse(MeetingResponse)
  meetings(@Query() query: MeetingQueryDto): Promise<Page<Meeting>> {
    return this.meetingsService.listMeetings(query);
  }

  @Post('meetings')
  @PlanOf(GovernanceBody, { body: 'bodyId' })
  @Roles('admin')
  @ApiOperation({ summary: 'Sitzung erfassen (auch Beteiligungsformate)' })
  @ApiCreatedResponse({ type: MeetingResponse })
  createMeeting(@Body() dto: CreateMeetingDto): Promise<Meeting> {
    return this.meetingsService.createMeeting(dto);
  }

  @Get('meetings/:id')
  @PlanOf(Meeting, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Eine Sitzung mit ihren Beschlüssen' })
  @ApiOkResponse({ type: MeetingWithDecisionsResponse })
  meeting(@Param('id', IdPipe) id: number): Promise<Meeting & { decisions: DecisionView[] }> {
    return this.meetingsService.meeting(id);
  }

  @Patch('meetings/:id')
  @PlanOf(Meeting, { param: 'id' })
  @Roles('admin')
  @ApiOperation({ summary: 'Sitzung ändern (mit version)' })
  @ApiOkResponse({ type: MeetingResponse })
  updateMeeting(@Param('id', IdPipe) id: number, @Body() dto: UpdateMeetingDto): Promise<Meeting> {
    return this.meetingsService.updateMeeting(id, dto);
  }

  @Get('decisions')
  @AnyRole()
  @ApiOperation({
    summary: 'Beschlüsse (Filter: state, responsibleDepartmentId, meetingId, measureId, overdue=true)',
  })
  @ApiPageResponse(DecisionResponse)
  decisions(@Query() query: DecisionQueryDto): Promise<Page<DecisionView>> {
    return this.decisionsService.listDecisions(query);
  }

  @Post('decisions')
  @PlanOf(Meeting, { body: 'meetingId' })
  @Roles('admin')
  @ApiOperation({ summary: 'Beschluss erfassen' })
  @ApiCreatedResponse({ type: DecisionResponse })
  createDecision(@Body() dto: CreateDecisionDto, @CurrentActor() actor: Actor): Promise<DecisionView> {
    return this.decisionsService.createDecision(dto, actor);
  }

  @Get('decisions/:id')
  @PlanOf(Decision, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Ein Beschluss mit Verlauf und den Änderungen, die er bewirkt hat' })
  @ApiOkResponse({ type: DecisionResponse })
  decision(@Param('id', IdPipe) id: number): Promise<DecisionView> {
    return this.decisionsService.decision(id);
  }

  @Post('decisions/:id/state')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin', 'editor')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stand eines Beschlusses ändern (Koordinierungsstelle oder verantwortliches Ressort)',
  })
  @ApiOkResponse({ type: DecisionResponse })
  changeState(
    @Param('id', IdPipe) id: number,
    @Body() dto: ChangeDecisionStateDto,
    @CurrentActor() actor: Actor,
  ): Promise<DecisionView> {
    return this.decisionsService.changeState(id, dto, actor);
  }

  @Post('decisions/:id/apply')
  @PlanOf(Decision, { param: 'id' })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Beschluss an einer Maßnahme umsetzen (einstellen, verlängern, ändern, zusammenführen, neu anlegen)',
  })
  @ApiOkResponse({ type: AppliedDecisionResponse })
  apply(
    @Param('id', IdPipe) id: number,
    @Body() dto: ApplyDecisionDto,
    @CurrentActor() actor: Actor,
  ): Promise<{ decision: DecisionView; measure: MeasureView }> {
    return this.decisionsService.apply(id, dto, actor);
  }
}
