/**
 * Loads a framework file into the database. Idempotent: entries are matched by code, changed titles are
 * updated, nothing is created twice. Reporting cycles that exist already keep their dates and state, since
 * the coordinating unit may have adjusted them.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { GovernanceBody } from '../governance/governance-body.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { ActionField } from './action-field.entity.js';
import { Department } from './department.entity.js';
import { type FrameworkFile, FrameworkFileError, readFrameworkFile } from './framework-file.js';
import { Framework } from './framework.entity.js';
import { Goal } from './goal.entity.js';

export interface FrameworkLoadResult {
  framework: Framework;
  created: number;
  updated: number;
}

type Coded = { id: number; code: string };

/** Groups an indicator's values may be given for, unless the framework file says otherwise. */
export const DEFAULT_INDICATOR_GROUPS = ['gesamt', 'mit Migrationshintergrund', 'ohne Migrationshintergrund'];

@Injectable()
export class FrameworkLoaderService {
  private readonly logger = new Logger(FrameworkLoaderService.name);

  constructor(private readonly transactions: TransactionRunner) {}

  async loadFile(file: string, options: { demoMode: boolean }): Promise<FrameworkLoadResult> {
    const content = await readFrameworkFile(file);
    return this.load(content, file, options);
  }

  async load(
    content: FrameworkFile,
    file: string,
    options: { demoMode: boolean },
  ): Promise<FrameworkLoadResult> {
    const result = await RequestContext.withAudit({ action: 'framework_load', note: file }, () =>
      this.transactions.run(async (manager) => {
        const counter = { created: 0, updated: 0 };
        const framework = await this.upsertFramework(manager, content, file, options, counter);
        const goals = content.goals.map((g, i) => ({
          ...g,
          description: g.description ?? '',
          sortOrder: i + 1,
        }));
        await this.upsertByCode(manager, Goal, goals, counter);
        const fields = content.actionFields.map((f, i) => ({
          ...f,
          description: f.description ?? '',
          sortOrder: i + 1,
        }));
        const fieldIds = await this.upsertByCode(manager, ActionField, fields, counter);
        const departments = content.departments.map((d, i) => ({
          code: d.code,
          name: d.name,
          description: d.description ?? '',
          kind: d.kind ?? 'senate',
          sortOrder: i + 1,
        }));
        await this.upsertByCode(manager, Department, departments, counter);
        const bodies = (content.governanceBodies ?? []).map((b, i) => ({
          code: b.code,
          name: b.name,
          description: b.description ?? '',
          minMeetingsPerYear: b.meetingsPerYear.min,
          maxMeetingsPerYear: b.meetingsPerYear.max ?? null,
          members: (b.members ?? []).map((m) => ({ departmentCode: m.departmentCode, function: m.function })),
          sortOrder: i + 1,
        }));
        await this.upsertByCode(manager, GovernanceBody, bodies, counter);
        await this.insertMissingCycles(manager, content, counter);
        const indicators = (content.indicators ?? []).map((ind) => ({
          code: ind.code,
          name: ind.name,
          definition: ind.definition ?? '',
          unit: ind.unit ?? '',
          source: ind.source ?? '',
          actionFieldId: ind.actionFieldCode ? (fieldIds.get(ind.actionFieldCode) ?? null) : null,
          direction: ind.direction ?? 'neutral',
          baselineYear: ind.baseline?.year ?? null,
          baselineValue: ind.baseline?.value ?? null,
          baselineNote: ind.baseline?.note ?? '',
          targetYear: ind.target?.year ?? null,
          targetValue: ind.target?.value ?? null,
          groups: ind.groups ?? DEFAULT_INDICATOR_GROUPS,
        }));
        await this.upsertByCode(manager, Indicator, indicators, counter);
        return { framework, ...counter };
      }),
    );
    this.logger.log(
      `Rahmenkonzept "${result.framework.name}" geladen (${result.created} neu, ${result.updated} aktualisiert)`,
    );
    return result;
  }

  private async upsertFramework(
    manager: EntityManager,
    content: FrameworkFile,
    file: string,
    options: { demoMode: boolean },
    counter: { created: number; updated: number },
  ): Promise<Framework> {
    const existing = await manager.find(Framework);
    const info = content.framework;
    const values = {
      code: info.code,
      name: info.name,
      region: info.region,
      adopted: info.adopted,
      version: info.version,
      staleAfterDays: info.staleAfterDays ?? 180,
      targetGroups: content.targetGroups ?? [],
      sourceFile: file,
    };
    if (existing.length === 0) {
      counter.created++;
      return manager.save(Framework, manager.create(Framework, { ...values, demoMode: options.demoMode }));
    }
    const current = existing[0];
    if (current.code !== info.code) {
      throw new FrameworkFileError(file, [
        `framework.code: Die Datenbank enthält bereits das Rahmenkonzept "${current.code}"; "${info.code}" kann nicht zusätzlich geladen werden`,
      ]);
    }
    if (this.differs(current, values)) {
      counter.updated++;
      return manager.save(Framework, Object.assign(current, values));
    }
    return current;
  }

  /** Inserts or updates rows by code; returns code → id. */
  private async upsertByCode<T extends Coded>(
    manager: EntityManager,
    entity: new () => T,
    rows: (Partial<T> & { code: string })[],
    counter: { created: number; updated: number },
  ): Promise<Map<string, number>> {
    const existing = new Map((await manager.find(entity)).map((row) => [row.code, row]));
    const ids = new Map<string, number>();
    for (const row of rows) {
      const current = existing.get(row.code);
      if (!current) {
        const saved = await manager.save(entity, manager.create(entity, row as T));
        counter.created++;
        ids.set(row.code, saved.id);
      } else {
        if (this.differs(current, row)) {
          await manager.save(entity, Object.assign(current, row));
          counter.updated++;
        }
        ids.set(row.code, current.id);
      }
    }
    return ids;
  }

  private async insertMissingCycles(
    manager: EntityManager,
    content: FrameworkFile,
    counter: { created: number; updated: number },
  ): Promise<void> {
    const existing = new Set((await manager.find(ReportingCycle)).map((c) => c.code));
    for (const cycle of content.reportingCycles ?? []) {
      if (existing.has(cycle.code)) continue;
      await manager.save(
        ReportingCycle,
        manager.create(ReportingCycle, {
          ...cycle,
          publicationTarget: cycle.publicationTarget ?? null,
          state: 'planned',
        }),
      );
      counter.created++;
    }
  }

  private differs(current: object, values: object): boolean {
    return Object.entries(values).some(
      ([key, value]) => JSON.stringify((current as Record<string, unknown>)[key]) !== JSON.stringify(value),
    );
  }
}
