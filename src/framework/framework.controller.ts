import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActionFieldResponse,
  DepartmentResponse,
  FrameworkResponse,
  GoalResponse,
} from './framework.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import type { Department } from './department.entity.js';
import type { Framework } from './framework.entity.js';
import { FrameworkSettingsDto } from './framework-settings.dto.js';
import { type ActionFieldWithCounts, FrameworkService } from './framework.service.js';
import type { Goal } from './goal.entity.js';

@ApiTags('Rahmenkonzept')
@ApiBearerAuth()
@AnyRole()
@Controller('api')
export class FrameworkController {
  constructor(private readonly framework: FrameworkService) {}

  @Get('framework')
  @ApiOperation({ summary: 'Das geladene Rahmenkonzept' })
  @ApiOkResponse({ type: FrameworkResponse })
  current(): Promise<Framework> {
    return this.framework.current();
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
  goals(): Promise<Goal[]> {
    return this.framework.listGoals();
  }

  @Get('action-fields')
  @ApiOperation({ summary: 'Handlungsfelder mit Anzahl ihrer Maßnahmen' })
  @ApiOkResponse({ type: ActionFieldResponse, isArray: true })
  actionFields(): Promise<ActionFieldWithCounts[]> {
    return this.framework.listActionFields();
  }

  @Get('departments')
  @ApiOperation({ summary: 'Ressorts' })
  @ApiOkResponse({ type: DepartmentResponse, isArray: true })
  departments(): Promise<Department[]> {
    return this.framework.listDepartments();
  }

  @Get('departments/:id')
  @ApiOperation({ summary: 'Ein Ressort' })
  @ApiOkResponse({ type: DepartmentResponse })
  department(@Param('id', IdPipe) id: number): Promise<Department> {
    return this.framework.getDepartment(id);
  }
}
