import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, WebPages } from '../common/auth/access.decorator.js';
import { DashboardQueryDto } from '../dashboard/dashboard-query.dto.js';
import { DashboardService, STATUS_KEYS } from '../dashboard/dashboard.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { MEASURE_LEVELS } from '../measures/measure.constants.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { legend, stackedBars } from './charts.js';
import { validateForm } from './form-errors.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class DashboardPageController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly frameworks: FrameworkService,
    private readonly cycles: ReportingCyclesService,
    private readonly context: WebContext,
  ) {}

  @Get()
  @AnyRole()
  async page(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    // Filters stay in the address; an invalid one is ignored rather than failing the page.
    const { value, errors } = await validateForm(DashboardQueryDto, query, ['cycleId']);
    const invalid = new Set(errors.map((e) => e.field.split('.')[0]));
    const filters = Object.fromEntries(
      Object.entries(value).filter(([key]) => !invalid.has(key)),
    ) as DashboardQueryDto;
    const d = await this.dashboard.current(filters, {
      fresh: /no-cache/i.test(request.headers['cache-control'] ?? ''),
    });
    const framework = await this.frameworks.current();
    const charts = [
      { id: 'chart-goals', label: 'Zielen', groups: d.byGoal },
      { id: 'chart-fields', label: 'Handlungsfeldern', groups: d.byActionField },
      { id: 'chart-departments', label: 'Ressorts', groups: d.byDepartment },
    ].map((c) => ({ ...c, svg: stackedBars(c.id, `Maßnahmen nach Status und ${c.label}`, c.groups) }));
    response.render(
      'dashboard',
      await this.context.page(request, 'Übersicht', 'dashboard', {
        d,
        q: {
          goalId: filters.goalId?.[0],
          actionFieldId: filters.actionFieldId?.[0],
          departmentId: filters.departmentId?.[0],
          level: filters.level?.[0],
          targetGroup: filters.targetGroup,
          cycleId: filters.cycleId,
        },
        charts,
        legend: legend('dash'),
        statusKeys: STATUS_KEYS,
        goals: await this.frameworks.listGoals(),
        fields: await this.frameworks.listActionFields(),
        departments: await this.frameworks.listDepartments(),
        levels: MEASURE_LEVELS,
        targetGroups: framework.targetGroups,
        cycles: await this.cycles.list(),
      }),
    );
  }
}
