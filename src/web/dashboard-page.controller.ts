import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, WebPages } from '../common/auth/access.decorator.js';
import { DashboardQueryDto } from '../dashboard/dashboard-query.dto.js';
import { DashboardService, STATUS_KEYS, type StatusKey } from '../dashboard/dashboard.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import type { DueFilter } from '../measures/dto/measure.dto.js';
import { levelsOf } from '../framework/plan-shape.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { type BarGroup, legend, stackedBars } from './charts.js';
import { validateForm } from './form-errors.js';
import { dativePlural } from './format.js';
import { planPath } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** Which list filter a chart's groups are: goal, action field or lead department. */
type GroupFilter = 'goalId' | 'actionFieldId' | 'leadDepartmentId' | 'areaId';

/**
 * The address of the measure list that shows exactly the measures a figure counts: the dashboard's filters,
 * the group and the status, and only the measures the dashboard counts (merged ones live on in another).
 */
export function measureListHref(
  filters: DashboardQueryDto,
  extra: Partial<Record<GroupFilter, number>> & { status?: StatusKey } = {},
): string {
  const params = new URLSearchParams();
  const list = (values: readonly (string | number)[] | undefined): string | undefined =>
    values?.length ? values.join(',') : undefined;
  const entries: [string, string | number | undefined][] = [
    ['goalId', extra.goalId ?? list(filters.goalId)],
    ['actionFieldId', extra.actionFieldId ?? list(filters.actionFieldId)],
    ['leadDepartmentId', extra.leadDepartmentId ?? list(filters.departmentId)],
    ['areaId', extra.areaId],
    ['level', list(filters.level)],
    ['targetGroup', filters.targetGroup],
    ['status', extra.status],
    ['lifecycle', 'counted'],
  ];
  for (const [key, value] of entries) if (value !== undefined && value !== '') params.set(key, String(value));
  return `/massnahmen?${params.toString()}`;
}

/**
 * The address of the measure list that shows a completeness figure's measures: the cycle's due measures in one
 * reporting state (the list applies the completeness rules), of one department or of the chosen ones.
 */
export function dueListHref(cycleId: number, due: DueFilter, departmentIds: readonly number[] = []): string {
  const params = new URLSearchParams({ cycleId: String(cycleId), due });
  if (departmentIds.length) params.set('leadDepartmentId', departmentIds.join(','));
  return `/massnahmen?${params.toString()}`;
}

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
    // A level the plan does not have is ignored too.
    const framework = await this.frameworks.current();
    const levelCodes = levelsOf(framework).map((l) => l.code);
    if (filters.level) filters.level = filters.level.filter((l) => levelCodes.includes(l));
    // An editor sees their department first ("Mein Ressort"), until they ask for all or choose another.
    const actor = request.actor!;
    const ownDepartmentId = actor.role === 'editor' ? actor.departmentId : null;
    if (ownDepartmentId && !('departmentId' in query) && query.ansicht !== 'alle')
      filters.departmentId = [ownDepartmentId];
    const chosen = filters.departmentId ?? [];
    const scope = !ownDepartmentId
      ? null
      : chosen.length === 0
        ? 'all'
        : chosen.length === 1 && chosen[0] === ownDepartmentId
          ? 'mine'
          : 'other';
    const d = await this.dashboard.current(filters, {
      fresh: /no-cache/i.test(request.headers['cache-control'] ?? ''),
    });
    // Figures link to the measure list only where it counts the same way: the current state, not a cycle's.
    const linked = !filters.cycleId;
    const chartLink =
      (filter: GroupFilter) =>
      (group: BarGroup & { id: number }, status: StatusKey | null): string | null =>
        linked
          ? planPath(request, measureListHref(filters, { [filter]: group.id, status: status ?? undefined }))
          : null;
    const { vocab } = await this.context.plan(request);
    const charts = (
      [
        {
          id: 'chart-goals',
          label: dativePlural(vocab.goals),
          rowHeader: vocab.goal,
          filter: 'goalId',
          groups: d.byGoal,
        },
        {
          id: 'chart-fields',
          label: dativePlural(vocab.fields),
          rowHeader: vocab.field,
          filter: 'actionFieldId',
          groups: d.byActionField,
        },
        {
          id: 'chart-departments',
          label: dativePlural(vocab.organisations),
          rowHeader: vocab.organisation,
          filter: 'leadDepartmentId',
          groups: d.byDepartment,
        },
        // Only a plan with areas (e.g. Bezirksregionen) is counted by them.
        ...(d.byArea.length
          ? [
              {
                id: 'chart-areas',
                label: 'Gebieten',
                rowHeader: 'Gebiet',
                filter: 'areaId',
                groups: d.byArea,
              } as const,
            ]
          : []),
      ] as const
    ).map((c) => {
      const link = chartLink(c.filter);
      return {
        ...c,
        svg: stackedBars(
          c.id,
          `${vocab.measures} nach Status und ${c.label}`,
          c.groups,
          linked ? (group, status) => link(group as BarGroup & { id: number }, status) : undefined,
          vocab.measures,
        ),
        rows: c.groups.map((g) => ({
          ...g,
          totalHref: link(g, null),
          hrefs: Object.fromEntries(STATUS_KEYS.map((key) => [key, link(g, key)])),
        })),
      };
    });
    const departments = await this.frameworks.listDepartments();
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
        scope,
        ownDepartment: departments.find((dep) => dep.id === ownDepartmentId) ?? null,
        links: linked
          ? {
              total: planPath(request, measureListHref(filters)),
              completed: planPath(request, measureListHref(filters, { status: 'completed' })),
              delayed: planPath(request, measureListHref(filters, { status: 'delayed' })),
            }
          : null,
        charts,
        dueHref: (cycleId: number, due: DueFilter, departmentId: number | null) =>
          planPath(
            request,
            dueListHref(cycleId, due, departmentId ? [departmentId] : (filters.departmentId ?? [])),
          ),
        legend: legend('dash'),
        statusKeys: STATUS_KEYS,
        goals: await this.frameworks.listGoals(),
        fields: await this.frameworks.listActionFields(),
        departments,
        levels: levelsOf(framework).map((l) => l.code),
        levelNames: Object.fromEntries(levelsOf(framework).map((l) => [l.code, l.name])),
        targetGroups: framework.targetGroups,
        cycles: await this.cycles.list(),
      }),
    );
  }
}
