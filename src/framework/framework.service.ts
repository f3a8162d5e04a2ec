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
import { DepartmentError } from './department-errors.js';
import { FrameworkError } from './framework-errors.js';
import type { FrameworkSettingsDto } from './framework-settings.dto.js';
import { lockFramework } from './revisions/framework-revisions.service.js';

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

  /** Changes the settings (whether budgets are public), at the settings version the admin read; audited. */
  async updateSettings(dto: FrameworkSettingsDto): Promise<Framework> {
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const framework = await lockFramework(manager);
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
      }),
    );
    return this.current();
  }

  async current(): Promise<Framework> {
    const [framework] = await this.frameworks.find({ take: 1 });
    if (!framework) throw notFound(FrameworkError.NOT_LOADED, 'Es ist noch kein Rahmenkonzept geladen.');
    return framework;
  }

  async findCurrent(): Promise<Framework | null> {
    const [framework] = await this.frameworks.find({ take: 1 });
    return framework ?? null;
  }

  listGoals(): Promise<Goal[]> {
    return this.goals.find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  async listActionFields(): Promise<ActionFieldWithCounts[]> {
    const fields = await this.actionFields.find({
      where: { retiredOn: IsNull() },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    const counts = await this.measures
      .createQueryBuilder('m')
      .select('m.actionFieldId', 'actionFieldId')
      .addSelect('COUNT(*)', 'total')
      .addSelect(`SUM(CASE WHEN m.lifecycle = 'active' THEN 1 ELSE 0 END)`, 'active')
      .groupBy('m.actionFieldId')
      .getRawMany<{ actionFieldId: number; total: string | number; active: string | number }>();
    const byField = new Map(counts.map((c) => [Number(c.actionFieldId), c]));
    return fields.map((field) => ({
      ...field,
      measureCount: Number(byField.get(field.id)?.total ?? 0),
      activeMeasureCount: Number(byField.get(field.id)?.active ?? 0),
    }));
  }

  listDepartments(): Promise<Department[]> {
    return this.departments.find({ where: { retiredOn: IsNull() }, order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  async getDepartment(id: number): Promise<Department> {
    const department = await this.departments.findOneBy({ id });
    if (!department) throw notFound(DepartmentError.NOT_FOUND, `Ressort ${id} wurde nicht gefunden.`);
    return department;
  }
}
