import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActionFieldResponse,
  AreaResponse,
  DepartmentResponse,
  FrameworkResponse,
  GoalResponse,
  PlanResponse,
} from './framework.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import type { Department } from './department.entity.js';
import type { Framework } from './framework.entity.js';
import { FrameworkSettingsDto } from './framework-settings.dto.js';
import { type ActionFieldWithCounts, FrameworkService } from './framework.service.js';
import type { Goal } from './goal.entity.js';
import type { Area } from './area.entity.js';
import { PlanQueryDto } from './plan-query.dto.js';
import { type PlanSummary, PlansService } from './plans.service.js';

@ApiTags('Rahmenkonzept')
@ApiBearerAuth()
@AnyRole()
@Controller('api')
export class FrameworkController {
  constructor(
    private readonly framework: FrameworkService,
    private readonly plans: PlansService,
  ) {}

  @Get('frameworks')
  @ApiOperation({ summary: 'Die Pläne (Rahmenkonzepte) der Installation, mit ihren Begriffen' })
  @ApiOkResponse({ type: PlanResponse, isArray: true })
  listPlans(): Promise<PlanSummary[]> {
    return this.plans.list();
  }

  @Get('frameworks/:id')
  @ApiOperation({ summary: 'Ein Plan (Rahmenkonzept) mit seinen Begriffen' })
  @ApiOkResponse({ type: PlanResponse })
  plan(@Param('id', IdPipe) id: number): Promise<PlanSummary> {
    return this.plans.get(id);
  }

  @Get('framework')
  @ApiOperation({ summary: 'Das Rahmenkonzept (bei mehreren Plänen: frameworkId angeben)' })
  @ApiOkResponse({ type: FrameworkResponse })
  current(@Query() query: PlanQueryDto): Promise<Framework> {
    return this.framework.current(query.frameworkId);
  }

  @Patch('framework/settings')
  @Roles('admin')
  @ApiOperation({
    summary: 'Einstellungen des Rahmenkonzepts ändern: publicBudget (Budget öffentlich), mit settingsVersion',
  })
  @ApiOkResponse({ type: FrameworkResponse })
  updateSettings(@Body() dto: FrameworkSettingsDto): Promise<Framework> {
    return this.framework.updateSettings(dto);
  }

  @Get('goals')
  @ApiOperation({ summary: 'Ziele' })
  @ApiOkResponse({ type: GoalResponse, isArray: true })
  goals(@Query() query: PlanQueryDto): Promise<Goal[]> {
    return this.framework.listGoals(query.frameworkId);
  }

  @Get('areas')
  @ApiOperation({ summary: 'Gebiete eines Plans (z. B. Bezirksregionen), die Maßnahmen nennen können' })
  @ApiOkResponse({ type: AreaResponse, isArray: true })
  areas(@Query() query: PlanQueryDto): Promise<Area[]> {
    return this.framework.listAreas(query.frameworkId);
  }

  @Get('action-fields')
  @ApiOperation({ summary: 'Handlungsfelder mit Anzahl ihrer Maßnahmen' })
  @ApiOkResponse({ type: ActionFieldResponse, isArray: true })
  actionFields(@Query() query: PlanQueryDto): Promise<ActionFieldWithCounts[]> {
    return this.framework.listActionFields(query.frameworkId);
  }

  @Get('departments')
  @ApiOperation({
    summary: 'Ressorts: das gemeinsame Verzeichnis, mit frameworkId die am Plan teilnehmenden',
  })
  @ApiOkResponse({ type: DepartmentResponse, isArray: true })
  departments(@Query() query: PlanQueryDto): Promise<Department[]> {
    return query.frameworkId === undefined
      ? this.framework.listDepartments()
      : this.framework.listPlanDepartments(query.frameworkId);
  }

  @Get('departments/:id')
  @ApiOperation({ summary: 'Ein Ressort' })
  @ApiOkResponse({ type: DepartmentResponse })
  department(@Param('id', IdPipe) id: number): Promise<Department> {
    return this.framework.getDepartment(id);
  }
}
