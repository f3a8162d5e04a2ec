/**
 * Measures: list with filters, detail, create, update under optimistic locking, lifecycle changes instead of
 * deletion. Department scope is enforced here, on the record written, whatever the route allowed.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, In, Repository, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { Goal } from '../framework/goal.entity.js';
import type {
  ChangeLifecycleDto,
  CreateMeasureDto,
  MeasureQueryDto,
  UpdateMeasureDto,
} from './dto/measure.dto.js';
import { assertCanChangeFields, assertCanWriteMeasure } from './measure-policy.js';
import { MeasureChange, type MeasureChangeKind } from './measure-change.entity.js';
import { Measure } from './measure.entity.js';
import { naturalSortKey } from './measure.constants.js';
import { countedSql, statusKeyInSql } from './measure-rules.js';
import { type MeasureView, toMeasureView } from './measure.view.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

type MeasureReferences = Pick<CreateMeasureDto, 'actionFieldId' | 'goalIds' | 'leadDepartmentId'> & {
  participatingDepartmentIds?: number[];
  targetGroups?: string[];
  plannedStart?: string | null;
  plannedEnd?: string | null;
};

const SORT_COLUMNS = {
  code: 'm.sortKey',
  title: 'm.title',
  status: 'm.status',
  progress: 'm.progress',
  statusDate: 'm.statusDate',
} as const;

/** Escapes LIKE wildcards so that a search for "50%" finds "50%" literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class MeasuresService {
  constructor(
    @InjectRepository(Measure) private readonly measures: Repository<Measure>,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(query: MeasureQueryDto): Promise<Page<MeasureView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const qb = this.filtered(query);
    const sort = SORT_COLUMNS[query.sort ?? 'code'];
    const [rows, total] = await qb
      .orderBy(sort, 'ASC')
      .addOrderBy('m.code', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: await this.views(rows), total, page, pageSize };
  }

  /** The filter part of the list query, reused by exports and the dashboard. */
  filtered(query: MeasureQueryDto, manager?: EntityManager): SelectQueryBuilder<Measure> {
    const qb = (manager ?? this.measures.manager).createQueryBuilder(Measure, 'm');
    if (query.goalId?.length) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM "measure_goals" "mg" WHERE "mg"."measureId" = "m"."id" AND "mg"."goalId" IN (:...goalIds))`,
        { goalIds: query.goalId },
      );
    }
    if (query.actionFieldId?.length)
      qb.andWhere('m.actionFieldId IN (:...fieldIds)', { fieldIds: query.actionFieldId });
    if (query.leadDepartmentId?.length) {
      qb.andWhere('m.leadDepartmentId IN (:...departmentIds)', { departmentIds: query.leadDepartmentId });
    }
    if (query.level?.length) qb.andWhere('m.level IN (:...levels)', { levels: query.level });
    if (query.status?.length) {
      // The dashboard's rule: "eingestellt" is the lifecycle before the reported status, and merged measures
      // have no status of their own (unless asked for with lifecycle=merged).
      const { sql, parameters } = statusKeyInSql('"m"', query.status);
      qb.andWhere(sql, parameters);
      if (!query.lifecycle || query.lifecycle === 'all') qb.andWhere(countedSql('"m"'));
    }
    if (query.targetGroup) {
      qb.andWhere(`m.targetGroups LIKE :targetGroup ESCAPE '\\'`, {
        targetGroup: `%${JSON.stringify(query.targetGroup).replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (query.lifecycle && query.lifecycle !== 'all')
      qb.andWhere('m.lifecycle = :lifecycle', { lifecycle: query.lifecycle });
    if (query.q?.trim()) {
      qb.andWhere(
        new Brackets((w) => {
          const q = likePattern(query.q!.trim());
          w.where(`LOWER(m.code) LIKE :q ESCAPE '\\'`, { q })
            .orWhere(`LOWER(m.title) LIKE :q ESCAPE '\\'`, { q })
            .orWhere(`LOWER(m.description) LIKE :q ESCAPE '\\'`, { q });
        }),
      );
    }
    return qb;
  }

  async get(id: number): Promise<MeasureView> {
    const measure = await this.measures.findOneBy({ id });
    if (!measure) throw notFound('MEASURE.NOT_FOUND', `Maßnahme ${id} wurde nicht gefunden.`);
    const [view] = await this.views([measure]);
    return view;
  }

  async findEntity(id: number, manager?: EntityManager): Promise<Measure> {
    const measure = await (manager ?? this.measures.manager).findOneBy(Measure, { id });
    if (!measure) throw notFound('MEASURE.NOT_FOUND', `Maßnahme ${id} wurde nicht gefunden.`);
    return measure;
  }

  async create(dto: CreateMeasureDto, actor: Actor): Promise<MeasureView> {
    const measure = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run((manager) => this.createWithin(manager, dto, actor)),
    );
    return this.get(measure.id);
  }

  /** Creates a measure inside a running transaction (also used by imports and example data). */
  async createWithin(
    manager: EntityManager,
    dto: CreateMeasureDto,
    actor: Actor,
    options: { isExample?: boolean; decisionId?: number | null; reason?: string } = {},
  ): Promise<Measure> {
    await this.checkReferences(manager, dto);
    if (await manager.existsBy(Measure, { code: dto.code })) throw this.duplicateCode(dto.code);
    assertCanWriteMeasure(actor, { leadDepartmentId: dto.leadDepartmentId, code: dto.code });
    const measure = manager.create(Measure, {
      code: dto.code,
      sortKey: naturalSortKey(dto.code),
      title: dto.title,
      description: dto.description ?? '',
      actionFieldId: dto.actionFieldId,
      goals: dto.goalIds.map((goalId) => ({ id: goalId }) as Goal),
      leadDepartmentId: dto.leadDepartmentId,
      participatingDepartments: (dto.participatingDepartmentIds ?? []).map((d) => ({ id: d }) as Department),
      level: dto.level,
      targetGroups: dto.targetGroups ?? [],
      plannedStart: dto.plannedStart ?? null,
      plannedEnd: dto.plannedEnd ?? null,
      budget: dto.budget ?? null,
      lifecycle: 'active',
      lifecycleReason: '',
      mergedIntoId: null,
      status: null,
      progress: null,
      statusDate: null,
      isExample: options.isExample ?? false,
    });
    const saved = await manager.save(Measure, measure);
    // A measure created by a decision is a change of the plan; one entered into the catalogue is not.
    if (options.decisionId) {
      await this.recordChange(manager, saved.id, 'new', actor, {
        decisionId: options.decisionId,
        reason: options.reason ?? '',
      });
    }
    return saved;
  }

  /** Appends a MeasureChange: what happened to the measure, why, and by which decision. */
  async recordChange(
    manager: EntityManager,
    measureId: number,
    kind: MeasureChangeKind,
    actor: Actor,
    details: { decisionId?: number | null; reason?: string; summary?: string; isExample?: boolean } = {},
  ): Promise<void> {
    await manager.save(
      MeasureChange,
      manager.create(MeasureChange, {
        measureId,
        kind,
        decisionId: details.decisionId ?? null,
        reason: (details.reason ?? '').slice(0, 4000),
        summary: details.summary ?? '',
        userId: actor.id || null,
        isExample: details.isExample ?? false,
      }),
    );
  }

  listChanges(measureId: number): Promise<MeasureChange[]> {
    return this.measures.manager.find(MeasureChange, { where: { measureId }, order: { id: 'DESC' } });
  }

  async update(id: number, dto: UpdateMeasureDto, actor: Actor): Promise<MeasureView> {
    const { version, ...changes } = dto;
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const measure = await this.loadForUpdate(manager, id);
        assertCanWriteMeasure(actor, measure);
        assertCanChangeFields(actor, this.givenFields(changes));
        this.assertVersion(measure, version);
        await this.applyChanges(manager, id, changes);
      }),
    );
    return this.get(id);
  }

  /**
   * Updates a measure inside a running transaction without a version check (the Maßnahmenplan import is the
   * authoritative source for the fields it carries); scope and structural-field rules still apply.
   */
  async updateWithin(
    manager: EntityManager,
    id: number,
    changes: Omit<UpdateMeasureDto, 'version'>,
    actor: Actor,
    decision?: { decisionId: number; reason: string; version: number },
  ): Promise<void> {
    const measure = await this.loadForUpdate(manager, id);
    assertCanWriteMeasure(actor, measure);
    assertCanChangeFields(actor, this.givenFields(changes));
    if (decision) this.assertVersion(measure, decision.version);
    const summary = this.describeChanges(measure, changes);
    await this.applyChanges(manager, id, changes);
    if (decision) {
      const extended =
        this.givenFields(changes).every((f) => f === 'plannedEnd') &&
        !!changes.plannedEnd &&
        (!measure.plannedEnd || changes.plannedEnd > measure.plannedEnd);
      await this.recordChange(manager, id, extended ? 'extended' : 'changed', actor, {
        decisionId: decision.decisionId,
        reason: decision.reason,
        summary,
      });
    }
  }

  /** "Ende: 2025-12-31 → 2027-12-31; Titel geändert" for the change history. */
  private describeChanges(measure: Measure, changes: Omit<UpdateMeasureDto, 'version'>): string {
    const labels: Record<string, string> = {
      code: 'Code',
      title: 'Titel',
      description: 'Beschreibung',
      level: 'Ebene',
      budget: 'Budget',
      plannedStart: 'Beginn',
      plannedEnd: 'Ende',
      actionFieldId: 'Handlungsfeld',
      leadDepartmentId: 'Federführung',
      goalIds: 'Ziele',
      participatingDepartmentIds: 'Beteiligte Ressorts',
      targetGroups: 'Zielgruppen',
    };
    const show = (v: unknown): string =>
      typeof v === 'string' || typeof v === 'number'
        ? String(v)
        : v === null || v === undefined
          ? '–'
          : JSON.stringify(v);
    return this.givenFields(changes)
      .map((field) => {
        const before = (measure as unknown as Record<string, unknown>)[field];
        const after = (changes as Record<string, unknown>)[field];
        return field === 'description' || before === undefined
          ? `${labels[field] ?? field} geändert`
          : `${labels[field] ?? field}: ${show(before)} → ${show(after)}`;
      })
      .join('; ');
  }

  private givenFields(changes: object): string[] {
    return Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key);
  }

  private async applyChanges(
    manager: EntityManager,
    id: number,
    changes: Omit<UpdateMeasureDto, 'version'>,
  ): Promise<void> {
    const loaded = await manager.findOneOrFail(Measure, {
      where: { id },
      relations: { goals: true, participatingDepartments: true },
    });
    const merged: MeasureReferences = {
      actionFieldId: changes.actionFieldId ?? loaded.actionFieldId,
      goalIds: changes.goalIds ?? (loaded.goals ?? []).map((g) => g.id),
      leadDepartmentId: changes.leadDepartmentId ?? loaded.leadDepartmentId,
      participatingDepartmentIds:
        changes.participatingDepartmentIds ?? (loaded.participatingDepartments ?? []).map((d) => d.id),
      targetGroups: changes.targetGroups ?? loaded.targetGroups,
      plannedStart: changes.plannedStart !== undefined ? changes.plannedStart : loaded.plannedStart,
      plannedEnd: changes.plannedEnd !== undefined ? changes.plannedEnd : loaded.plannedEnd,
    };
    await this.checkReferences(manager, merged);
    if (
      changes.code &&
      changes.code !== loaded.code &&
      (await manager.existsBy(Measure, { code: changes.code }))
    ) {
      throw this.duplicateCode(changes.code);
    }
    if (changes.code !== undefined) {
      loaded.code = changes.code;
      loaded.sortKey = naturalSortKey(changes.code);
    }
    if (changes.title !== undefined) loaded.title = changes.title;
    if (changes.description !== undefined) loaded.description = changes.description;
    if (changes.level !== undefined) loaded.level = changes.level;
    if (changes.budget !== undefined) loaded.budget = changes.budget;
    loaded.actionFieldId = merged.actionFieldId;
    loaded.leadDepartmentId = merged.leadDepartmentId;
    loaded.targetGroups = merged.targetGroups ?? [];
    loaded.plannedStart = merged.plannedStart ?? null;
    loaded.plannedEnd = merged.plannedEnd ?? null;
    if (changes.goalIds) loaded.goals = changes.goalIds.map((g) => ({ id: g }) as Goal);
    if (changes.participatingDepartmentIds) {
      loaded.participatingDepartments = changes.participatingDepartmentIds.map(
        (d) => ({ id: d }) as Department,
      );
    }
    // Always bump the version, so that a change of goals or departments alone also counts as a change.
    loaded.version += 1;
    await manager.save(Measure, loaded);
  }

  async changeLifecycle(id: number, dto: ChangeLifecycleDto, actor: Actor): Promise<MeasureView> {
    await RequestContext.withAudit({ action: 'lifecycle', note: dto.reason }, () =>
      this.transactions.run((manager) => this.changeLifecycleWithin(manager, id, dto, actor, null)),
    );
    return this.get(id);
  }

  /** Lifecycle change inside a running transaction; `decisionId` records the Beschluss that caused it. */
  async changeLifecycleWithin(
    manager: EntityManager,
    id: number,
    dto: ChangeLifecycleDto,
    actor: Actor,
    decisionId: number | null,
  ): Promise<void> {
    const measure = await this.loadForUpdate(manager, id);
    assertCanChangeFields(actor, ['lifecycle']);
    this.assertVersion(measure, dto.version);
    if (measure.lifecycle === dto.lifecycle) {
      throw conflict(
        'MEASURE.LIFECYCLE_UNCHANGED',
        `Die Maßnahme ${measure.code} ist bereits in diesem Zustand.`,
      );
    }
    let mergedIntoId: number | null = null;
    if (dto.lifecycle === 'merged') {
      const target = await manager.findOneBy(Measure, { id: dto.mergedIntoId });
      const errors: FieldError[] = [];
      if (!target) errors.push({ field: 'mergedIntoId', messages: ['Diese Maßnahme gibt es nicht'] });
      else if (target.id === id)
        errors.push({
          field: 'mergedIntoId',
          messages: ['Eine Maßnahme kann nicht in sich selbst aufgehen'],
        });
      else if (target.lifecycle !== 'active')
        errors.push({ field: 'mergedIntoId', messages: ['Die Zielmaßnahme ist nicht aktiv'] });
      if (errors.length) throw new InvalidInputException(errors);
      mergedIntoId = dto.mergedIntoId!;
    }
    measure.lifecycle = dto.lifecycle;
    measure.lifecycleReason = dto.reason;
    measure.mergedIntoId = mergedIntoId;
    measure.lifecycleDecisionId = decisionId;
    measure.version = dto.version + 1;
    await manager.save(Measure, measure);
    const kind = dto.lifecycle === 'active' ? 'reactivated' : dto.lifecycle;
    await this.recordChange(manager, id, kind, actor, {
      decisionId,
      reason: dto.reason,
      summary: mergedIntoId ? `aufgegangen in Maßnahme ${mergedIntoId}` : '',
    });
  }

  /** Loads a measure for writing, locking its row on PostgreSQL (SQLite has one writer at a time anyway). */
  async loadForUpdate(manager: EntityManager, id: number): Promise<Measure> {
    const lock =
      manager.connection.options.type === 'postgres' ? { mode: 'pessimistic_write' as const } : undefined;
    const measure = await manager.findOne(Measure, { where: { id }, lock });
    if (!measure) throw notFound('MEASURE.NOT_FOUND', `Maßnahme ${id} wurde nicht gefunden.`);
    return measure;
  }

  /** The version the client read must still be the current one; a stale version gets 409. */
  assertVersion(measure: Measure, version: number): void {
    if (measure.version !== version) {
      throw conflict(
        'MEASURE.STALE_VERSION',
        `Die Maßnahme ${measure.code} wurde inzwischen geändert (Version ${measure.version}, Ihre Version ${version}). Bitte laden Sie sie neu.`,
        { currentVersion: measure.version },
      );
    }
  }

  private duplicateCode(code: string): Error {
    return conflict('MEASURE.CODE_EXISTS', `Eine Maßnahme mit dem Code ${code} gibt es bereits.`);
  }

  /** Every referenced id must exist; every error is listed at once. */
  private async checkReferences(manager: EntityManager, refs: MeasureReferences): Promise<void> {
    const errors: FieldError[] = [];
    if (!(await manager.existsBy(ActionField, { id: refs.actionFieldId }))) {
      errors.push({
        field: 'actionFieldId',
        messages: [`Handlungsfeld ${refs.actionFieldId} gibt es nicht`],
      });
    }
    const goals = await manager.findBy(Goal, { id: In(refs.goalIds) });
    const missingGoals = refs.goalIds.filter((g) => !goals.some((goal) => goal.id === g));
    if (missingGoals.length)
      errors.push({ field: 'goalIds', messages: [`Ziel(e) ${missingGoals.join(', ')} gibt es nicht`] });
    const departmentIds = [refs.leadDepartmentId, ...(refs.participatingDepartmentIds ?? [])];
    const departments = await manager.findBy(Department, { id: In(departmentIds) });
    const known = new Set(departments.map((d) => d.id));
    if (!known.has(refs.leadDepartmentId)) {
      errors.push({
        field: 'leadDepartmentId',
        messages: [`Ressort ${refs.leadDepartmentId} gibt es nicht`],
      });
    }
    const missingDepartments = (refs.participatingDepartmentIds ?? []).filter((d) => !known.has(d));
    if (missingDepartments.length) {
      errors.push({
        field: 'participatingDepartmentIds',
        messages: [`Ressort(s) ${missingDepartments.join(', ')} gibt es nicht`],
      });
    }
    if (refs.participatingDepartmentIds?.includes(refs.leadDepartmentId)) {
      errors.push({
        field: 'participatingDepartmentIds',
        messages: ['Das federführende Ressort kann nicht zugleich beteiligt sein'],
      });
    }
    if (refs.targetGroups?.length) {
      const framework = await manager.find(Framework, { take: 1 });
      const allowed = new Set(framework[0]?.targetGroups ?? []);
      const unknown = refs.targetGroups.filter((t) => !allowed.has(t));
      if (unknown.length) {
        errors.push({
          field: 'targetGroups',
          messages: [`unbekannte Zielgruppe(n): ${unknown.join(', ')}; erlaubt: ${[...allowed].join(', ')}`],
        });
      }
    }
    if (refs.plannedStart && refs.plannedEnd && refs.plannedEnd < refs.plannedStart) {
      errors.push({ field: 'plannedEnd', messages: ['darf nicht vor dem geplanten Beginn liegen'] });
    }
    if (errors.length) throw new InvalidInputException(errors);
  }

  /** Measures with their goal and department ids, in two queries for the whole page. */
  private async views(measures: Measure[]): Promise<MeasureView[]> {
    if (measures.length === 0) return [];
    const ids = measures.map((m) => m.id);
    const manager = this.measures.manager;
    const goalRows = await manager
      .createQueryBuilder()
      .select('"mg"."measureId"', 'measureId')
      .addSelect('"mg"."goalId"', 'id')
      .from('measure_goals', 'mg')
      .where('"mg"."measureId" IN (:...ids)', { ids })
      .getRawMany<{ measureId: number; id: number }>();
    const departmentRows = await manager
      .createQueryBuilder()
      .select('"md"."measureId"', 'measureId')
      .addSelect('"md"."departmentId"', 'id')
      .from('measure_participating_departments', 'md')
      .where('"md"."measureId" IN (:...ids)', { ids })
      .getRawMany<{ measureId: number; id: number }>();
    const group = (rows: { measureId: number; id: number }[]): Map<number, number[]> => {
      const map = new Map<number, number[]>();
      for (const row of rows) {
        const list = map.get(Number(row.measureId)) ?? [];
        list.push(Number(row.id));
        map.set(Number(row.measureId), list);
      }
      return map;
    };
    const goalsByMeasure = group(goalRows);
    const departmentsByMeasure = group(departmentRows);
    return measures.map((m) =>
      toMeasureView(m, goalsByMeasure.get(m.id) ?? [], departmentsByMeasure.get(m.id) ?? []),
    );
  }
}
