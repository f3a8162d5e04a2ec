import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import {
  MeasureChangeResponse,
  MeasureDetailResponse,
  MeasureResponse,
  StatusReportResponse,
} from './measure.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import {
  ChangeLifecycleDto,
  CreateMeasureDto,
  MeasureQueryDto,
  UpdateMeasureDto,
} from './dto/measure.dto.js';
import { CreateStatusReportDto } from './dto/status-report.dto.js';
import type { MeasureChange } from './measure-change.entity.js';
import { MeasureLifecycleService } from './measure-lifecycle.service.js';
import type { MeasureDetailView, MeasureView, StatusReportView } from './measure.view.js';
import { MeasuresService } from './measures.service.js';
import { type Page } from '../common/paging.js';
import { StatusReportsService } from './status-reports.service.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Measure } from '../measures/measure.entity.js';

@ApiTags('Maßnahmen')
@ApiBearerAuth()
@Controller('api/measures')
export class MeasuresController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly lifecycle: MeasureLifecycleService,
    private readonly reports: StatusReportsService,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Maßnahmen mit Filtern und Seiten' })
  @ApiPageResponse(MeasureResponse)
  list(@Query() query: MeasureQueryDto): Promise<Page<MeasureView>> {
    return this.measures.list(query);
  }

  @Post()
  @PlanOf(ActionField, { body: 'actionFieldId' })
  @Roles('admin')
  @ApiOperation({ summary: 'Maßnahme anlegen (Koordinierungsstelle)' })
  @ApiCreatedResponse({ type: MeasureResponse })
  create(@Body() dto: CreateMeasureDto, @CurrentActor() actor: Actor): Promise<MeasureView> {
    return this.measures.create(dto, actor);
  }

  @Get(':id')
  @PlanOf(Measure, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Eine Maßnahme, mit ihrer Herkunft über Fortschreibungen (history)' })
  @ApiOkResponse({ type: MeasureDetailResponse })
  get(@Param('id', IdPipe) id: number): Promise<MeasureDetailView> {
    return this.measures.detail(id);
  }

  @Patch(':id')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  @ApiOperation({
    summary: 'Maßnahme ändern (mit version; Ressorts nur nicht-strukturelle Felder eigener Maßnahmen)',
  })
  @ApiOkResponse({ type: MeasureResponse })
  update(
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateMeasureDto,
    @CurrentActor() actor: Actor,
  ): Promise<MeasureView> {
    return this.measures.update(id, dto, actor);
  }

  @Post(':id/lifecycle')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Maßnahme einstellen, zusammenführen oder reaktivieren, mit Begründung' })
  @ApiOkResponse({ type: MeasureResponse })
  changeLifecycle(
    @Param('id', IdPipe) id: number,
    @Body() dto: ChangeLifecycleDto,
    @CurrentActor() actor: Actor,
  ): Promise<MeasureView> {
    return this.lifecycle.changeLifecycle(id, dto, actor);
  }

  @Get(':id/changes')
  @PlanOf(Measure, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Änderungen der Maßnahme mit Grund und Beschluss, neueste zuerst' })
  @ApiOkResponse({ type: MeasureChangeResponse, isArray: true })
  async changes(@Param('id', IdPipe) id: number): Promise<MeasureChange[]> {
    await this.measures.get(id);
    return this.measures.listChanges(id);
  }

  @Get(':id/status-reports')
  @PlanOf(Measure, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Verlauf der Sachstandsmeldungen, neueste zuerst' })
  @ApiOkResponse({ type: StatusReportResponse, isArray: true })
  history(@Param('id', IdPipe) id: number): Promise<StatusReportView[]> {
    return this.reports.listForMeasure(id);
  }

  @Post(':id/status-reports')
  @PlanOf(Measure, { param: 'id' })
  @Roles('admin', 'editor')
  @ApiOperation({ summary: 'Sachstandsmeldung abgeben' })
  @ApiCreatedResponse({ type: StatusReportResponse })
  report(
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateStatusReportDto,
    @CurrentActor() actor: Actor,
  ): Promise<StatusReportView> {
    return this.reports.create(id, dto, actor);
  }
}
