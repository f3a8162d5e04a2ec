import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Measure } from '../measures/measure.entity.js';
import { ActionField } from './action-field.entity.js';
import { Department } from './department.entity.js';
import { Framework } from './framework.entity.js';
import { Goal } from './goal.entity.js';
import { Area } from './area.entity.js';
import { DepartmentError } from './department-errors.js';
import { FrameworkError } from './framework-errors.js';
import type { FrameworkSettingsDto } from './framework-settings.dto.js';
import { resolvePlan } from './plans.service.js';
import { lockFramework } from './revisions/framework-revisions.service.js';
import { planWords } from './request-words.js';
import { planDepartments, planParticipants } from './plan-departments.js';

export interface ActionFieldWithCounts extends ActionField {
  measureCount: number;
  activeMeasureCount: number;
}

/** Read access to the framework's master data (goals, action fields, departments) and its settings. */
@Injectable()
export class FrameworkService {
  constructor(
    @InjectRepository(Framework) private readonly frameworks: Repository<Framework>,
    @InjectRepository(Goal) private readonly goals: Repository<Goal>,
    @InjectRepository(ActionField) private readonly actionFields: Repository<ActionField>,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(Measure) private readonly measures: Repository<Measure>,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Changes a plan's settings (whether budgets are public), at the settings version the admin read; audited.
   * The plan: the one named in the body, else the request's (see resolvePlan).
   */
  async updateSettings(dto: FrameworkSettingsDto): Promise<Framework> {
    const id = await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const framework = await lockFramework(manager, await resolvePlan(manager, dto.frameworkId));
        if (framework.settingsVersion !== dto.settingsVersion) {
          throw conflict(
            FrameworkError.SETTINGS_STALE,
            `Die Einstellungen des Rahmenkonzepts wurden inzwischen geändert (Version ${framework.settingsVersion}). Bitte laden Sie die Seite neu.`,
            { currentVersion: framework.settingsVersion },
          );
        }
        framework.publicBudget = dto.publicBudget;
        framework.settingsVersion += 1;
        await manager.save(Framework, framework);
        return framework.id;
      }),
    );
    return this.current(id);
  }

  /** The plan named, or the installation's only one (see resolvePlan). */
  async current(frameworkId?: number): Promise<Framework> {
    const id = await resolvePlan(this.frameworks.manager, frameworkId);
    const framework = await this.frameworks.findOneBy({ id });
    if (!framework) throw notFound(FrameworkError.NOT_LOADED, 'Es ist noch kein Rahmenkonzept geladen.');
    return framework;
  }

  /**
   * The installation's first plan, or null before the first start loaded one: whether a framework is there
   * at all (set-up, command line), not the plan a request is about.
   */
  async findCurrent(): Promise<Framework | null> {
    const [framework] = await this.frameworks.find({ order: { id: 'ASC' }, take: 1 });
    return framework ?? null;
  }

  async listGoals(frameworkId?: number): Promise<Goal[]> {
    const plan = await resolvePlan(this.frameworks.manager, frameworkId);
    return this.goals.find({ where: { frameworkId: plan }, order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  /** A plan's areas (e.g. Bezirksregionen) that its measures may name; none when its file names none. */
  async listAreas(frameworkId?: number): Promise<Area[]> {
    const plan = await resolvePlan(this.frameworks.manager, frameworkId);
    return this.frameworks.manager.find(Area, {
      where: { frameworkId: plan },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
  }

  async listActionFields(frameworkId?: number): Promise<ActionFieldWithCounts[]> {
    const plan = await resolvePlan(this.frameworks.manager, frameworkId);
    const fields = await this.actionFields.find({
      where: { frameworkId: plan, retiredOn: IsNull() },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    const counts = await this.measures
      .createQueryBuilder('m')
      .select('m.actionFieldId', 'actionFieldId')
      .addSelect('COUNT(*)', 'total')
      .addSelect(`SUM(CASE WHEN m.lifecycle = 'active' THEN 1 ELSE 0 END)`, 'active')
      .where('m.frameworkId = :plan', { plan })
      .groupBy('m.actionFieldId')
      .getRawMany<{ actionFieldId: number; total: string | number; active: string | number }>();
    const byField = new Map(counts.map((c) => [Number(c.actionFieldId), c]));
    return fields.map((field) => ({
      ...field,
      measureCount: Number(byField.get(field.id)?.total ?? 0),
      activeMeasureCount: Number(byField.get(field.id)?.active ?? 0),
    }));
  }

  /** The shared directory's active organisations, whichever plans they take part in. */
  listDepartments(): Promise<Department[]> {
    return this.departments.find({ where: { retiredOn: IsNull() }, order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  /**
   * The active organisations of a plan (the one named, else the request's, else the only one). `taking part`:
   * those the plan names, which its forms offer (a record may name no other); `named`: also any that leads one
   * of its measures, which its lists filter by (see planDepartments).
   */
  async listPlanDepartments(
    frameworkId?: number,
    which: 'taking part' | 'named' = 'taking part',
  ): Promise<Department[]> {
    const manager = this.departments.manager;
    const plan = await resolvePlan(manager, frameworkId);
    const departments =
      which === 'named' ? await planDepartments(manager, plan) : await planParticipants(manager, plan);
    return departments.filter((d) => d.retiredOn === null);
  }

  async getDepartment(id: number): Promise<Department> {
    const department = await this.departments.findOneBy({ id });
    if (!department)
      throw notFound(DepartmentError.NOT_FOUND, `${planWords().organisation} ${id} wurde nicht gefunden.`);
    return department;
  }
}
