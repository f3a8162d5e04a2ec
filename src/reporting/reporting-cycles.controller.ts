import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CycleResponse,
  DepartmentCompletenessResponse,
  DepartmentReminderResponse,
  SnapshotResponse,
} from './reporting.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { notFound } from '../common/http/domain-errors.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { todayInBremen } from '../common/dates.js';
import {
  CompletenessService,
  type DepartmentCompleteness,
  type DepartmentReminder,
} from './completeness.service.js';
import { CycleError } from './cycle-errors.js';
import type { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import {
  CreateCycleDto,
  DepartmentFilterDto,
  ReopenCycleDto,
  TransitionCycleDto,
  UpdateCycleDto,
  VersionDto,
} from './dto/cycle.dto.js';
import { type CycleView, ReportingCyclesService } from './reporting-cycles.service.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';

@ApiTags('Berichtszyklen')
@ApiBearerAuth()
@Controller('api/reporting-cycles')
export class ReportingCyclesController {
  constructor(
    private readonly cycles: ReportingCyclesService,
    private readonly completeness: CompletenessService,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Berichtszyklen' })
  @ApiOkResponse({ type: CycleResponse, isArray: true })
  list(@Query() query: PlanQueryDto): Promise<CycleView[]> {
    return this.cycles.list(query.frameworkId);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Berichtszyklus anlegen' })
  @ApiCreatedResponse({ type: CycleResponse })
  create(@Body() dto: CreateCycleDto): Promise<CycleView> {
    return this.cycles.create(dto);
  }

  @Get(':id')
  @PlanOf(ReportingCycle, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Ein Berichtszyklus' })
  @ApiOkResponse({ type: CycleResponse })
  get(@Param('id', IdPipe) id: number): Promise<CycleView> {
    return this.cycles.get(id);
  }

  @Patch(':id')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  @ApiOperation({ summary: 'Berichtszyklus ändern (nur vor dem Abschluss)' })
  @ApiOkResponse({ type: CycleResponse })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateCycleDto): Promise<CycleView> {
    return this.cycles.update(id, dto);
  }

  @Post(':id/transition')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Zustand wechseln: collecting, reviewing, closed (friert ein), published (mit publicReportTexts wahlweise mit Hindernissen und nächsten Schritten); Wiedereröffnen (closed → reviewing) und Veröffentlichung zurücknehmen (published → closed) mit reason',
  })
  @ApiOkResponse({ type: CycleResponse })
  transition(
    @Param('id', IdPipe) id: number,
    @Body() dto: TransitionCycleDto,
    @CurrentActor() actor: Actor,
  ): Promise<CycleView> {
    return this.cycles.transition(id, dto.to, dto.version, actor, dto.reason, {
      publicReportTexts: dto.publicReportTexts,
    });
  }

  @Post(':id/close')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Berichtszyklus abschließen und den Stand aller Maßnahmen einfrieren' })
  @ApiOkResponse({ type: CycleResponse })
  close(
    @Param('id', IdPipe) id: number,
    @Body() dto: VersionDto,
    @CurrentActor() actor: Actor,
  ): Promise<CycleView> {
    return this.cycles.transition(id, 'closed', dto.version, actor);
  }

  @Post(':id/reopen')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Abgeschlossenen Berichtszyklus mit Begründung wiedereröffnen' })
  @ApiOkResponse({ type: CycleResponse })
  reopen(
    @Param('id', IdPipe) id: number,
    @Body() dto: ReopenCycleDto,
    @CurrentActor() actor: Actor,
  ): Promise<CycleView> {
    return this.cycles.transition(id, 'reviewing', dto.version, actor, dto.reason);
  }

  @Get(':id/completeness')
  @PlanOf(ReportingCycle, { param: 'id' })
  @AnyRole()
  @ApiOperation({
    summary: 'Vollständigkeit je Ressort: fällig, gemeldet, angenommen, zurückgegeben, fehlend',
  })
  @ApiOkResponse({ type: DepartmentCompletenessResponse, isArray: true })
  async completenessOf(
    @Param('id', IdPipe) id: number,
    @Query() query: DepartmentFilterDto,
  ): Promise<DepartmentCompleteness[]> {
    return this.completeness.completeness(await this.cycles.findEntity(id), query.departmentId);
  }

  @Get(':id/reminders')
  @PlanOf(ReportingCycle, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Erinnerungsliste: was jedes Ressort bis zum Meldeschluss noch schuldet' })
  @ApiOkResponse({ type: DepartmentReminderResponse, isArray: true })
  async reminders(
    @Param('id', IdPipe) id: number,
    @Query() query: DepartmentFilterDto,
  ): Promise<DepartmentReminder[]> {
    return this.completeness.reminders(await this.cycles.findEntity(id), todayInBremen(), query.departmentId);
  }

  @Get(':id/snapshot')
  @PlanOf(ReportingCycle, { param: 'id' })
  @AnyRole()
  @ApiOperation({ summary: 'Eingefrorener Stand aller Maßnahmen (nur abgeschlossene Zyklen)' })
  @ApiOkResponse({ type: SnapshotResponse })
  async snapshot(
    @Param('id', IdPipe) id: number,
  ): Promise<{ snapshotId: number; takenAt: string; items: CycleSnapshotItem[] }> {
    const cycle = await this.cycles.findEntity(id);
    const snapshot = await this.cycles.frozenSnapshot(cycle);
    if (!snapshot)
      throw notFound(
        CycleError.NO_SNAPSHOT,
        `Der Berichtszyklus ${cycle.code} ist nicht abgeschlossen und hat keinen eingefrorenen Stand.`,
      );
    return {
      snapshotId: snapshot.id,
      takenAt: new Date(snapshot.takenAt).toISOString(),
      items: await this.cycles.snapshotItems(snapshot.id),
    };
  }
}
