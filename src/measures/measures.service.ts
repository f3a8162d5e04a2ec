/**
 * Measures: list with filters, detail, create, update under optimistic locking. Department scope is enforced
 * here, on the record written, whatever the route allowed. Lifecycle changes (instead of deletion) are in
 * MeasureLifecycleService; the checks every write shares in measure-write-checks.ts.
 */
import { type Page, readPage } from '../common/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, Repository, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import { notFound } from '../common/http/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { resolvePlan } from '../framework/plans.service.js';
import type { Department } from '../framework/department.entity.js';
import type { Goal } from '../framework/goal.entity.js';
import type { CreateMeasureDto, MeasureQueryDto, UpdateMeasureDto } from './dto/measure.dto.js';
import { describeChanges, givenFields, recordChange } from './measure-change-log.js';
import { assertCanChangeFields, assertCanWriteMeasure } from './measure-policy.js';
import { MeasureChange } from './measure-change.entity.js';
import { Measure } from './measure.entity.js';
import { MeasureHistory } from '../framework/revisions/measure-history.entity.js';
import { naturalSortKey } from './measure.constants.js';
import { countedSql, dueSql, periodReportStateSql, statusKeyInSql } from './measure-rules.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import {
  type MeasureAreaView,
  type MeasureDetailView,
  type MeasureView,
  toMeasureView,
} from './measure.view.js';
import {
  assertVersion,
  checkReferences,
  duplicateCode,
  loadForUpdate,
  type MeasureReferences,
} from './measure-write-checks.js';
import { MeasureError } from './measure-errors.js';
import { checkLevelFilter } from '../framework/plan-shape.js';
import { Area, MeasureArea } from '../framework/area.entity.js';
import { planWords } from '../framework/request-words.js';

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
    const frameworkId = await resolvePlan(this.measures.manager, query.frameworkId);
    await checkLevelFilter(this.measures.manager, frameworkId, query.level);
    // A cycle's due measures are read against its period; an unknown cycle (or another plan's) has none.
    const cycle = query.cycleId
      ? await this.measures.manager.findOneBy(ReportingCycle, { id: query.cycleId, frameworkId })
      : undefined;
    const qb = this.filtered({ ...query, frameworkId }, undefined, cycle);
    const sort = SORT_COLUMNS[query.sort ?? 'code'];
    const [rows, total] = await readPage(
      qb.orderBy(sort, 'ASC').addOrderBy('m.code', 'ASC').addOrderBy('m.id', 'ASC'),
      page,
      pageSize,
    );
    return { items: await this.views(rows), total, page, pageSize };
  }

  /**
   * The filter part of the list query. With `cycleId`, `cycle` is that cycle (null when there is none): the
   * measures due in its period, by reporting state, under the same rules as the cycle's completeness.
   */
  filtered(
    query: MeasureQueryDto,
    manager?: EntityManager,
    cycle?: Pick<ReportingCycle, 'periodStart' | 'periodEnd'> | null,
  ): SelectQueryBuilder<Measure> {
    const qb = (manager ?? this.measures.manager).createQueryBuilder(Measure, 'm');
    if (query.frameworkId) qb.andWhere('m.frameworkId = :frameworkId', { frameworkId: query.frameworkId });
    if (query.cycleId) {
      if (!cycle) qb.andWhere('1 = 0');
      else {
        const period = { start: 'dueStart', end: 'dueEnd' };
        const parameters = { dueStart: cycle.periodStart, dueEnd: cycle.periodEnd };
        qb.andWhere(dueSql('"m"', period), parameters);
        const due = query.due ?? 'all';
        if (due !== 'all') qb.andWhere(periodReportStateSql('"m"', due, period), parameters);
      }
    }
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
    if (query.areaId?.length) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM "measure_areas" "ma" WHERE "ma"."measureId" = "m"."id" AND "ma"."areaId" IN (:...areaIds))`,
        { areaIds: query.areaId },
      );
    }
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
    if (query.lifecycle === 'counted') qb.andWhere(countedSql('"m"'));
    else if (query.lifecycle && query.lifecycle !== 'all')
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
    if (!measure)
      throw notFound(MeasureError.NOT_FOUND, `${planWords().measure} ${id} wurde nicht gefunden.`);
    const [view] = await this.views([measure]);
    return view;
  }

  /** One measure with where it came from: the codes, fields and lead departments it had before revisions. */
  async detail(id: number): Promise<MeasureDetailView> {
    const view = await this.get(id);
    const history = await this.measures.manager.find(MeasureHistory, {
      where: { measureId: id },
      order: { effectiveDate: 'ASC', id: 'ASC' },
    });
    return { ...view, history: history.map((h) => ({ ...h, createdAt: h.createdAt.toISOString() })) };
  }

  async findEntity(id: number, manager?: EntityManager): Promise<Measure> {
    const measure = await (manager ?? this.measures.manager).findOneBy(Measure, { id });
    if (!measure)
      throw notFound(MeasureError.NOT_FOUND, `${planWords().measure} ${id} wurde nicht gefunden.`);
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
    await checkReferences(manager, dto);
    // A measure belongs to the plan of its field; its code is unique within that plan.
    const { frameworkId } = await manager.findOneByOrFail(ActionField, { id: dto.actionFieldId });
    if (await manager.existsBy(Measure, { frameworkId, code: dto.code })) throw duplicateCode(dto.code);
    assertCanWriteMeasure(actor, { leadDepartmentId: dto.leadDepartmentId, code: dto.code });
    const measure = manager.create(Measure, {
      frameworkId,
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
    const areaIds = [...(dto.areaIds ?? [])].sort((a, b) => a - b);
    // The areas are links of their own table: the audit entry of the measure names them.
    if (areaIds.length) measure.auditExtraChanges = { areaIds: { from: null, to: areaIds } };
    const saved = await manager.save(Measure, measure);
    if (areaIds.length) await setAreas(manager, saved.id, areaIds);
    // A measure created by a decision is a change of the plan; one entered into the catalogue is not.
    if (options.decisionId) {
      await recordChange(manager, saved.id, 'new', actor, {
        decisionId: options.decisionId,
        reason: options.reason ?? '',
      });
    }
    return saved;
  }

  listChanges(measureId: number): Promise<MeasureChange[]> {
    return this.measures.manager.find(MeasureChange, { where: { measureId }, order: { id: 'DESC' } });
  }

  async update(id: number, dto: UpdateMeasureDto, actor: Actor): Promise<MeasureView> {
    const { version, ...changes } = dto;
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const measure = await loadForUpdate(manager, id);
        assertCanWriteMeasure(actor, measure);
        assertCanChangeFields(actor, givenFields(changes));
        assertVersion(measure, version);
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
    const measure = await loadForUpdate(manager, id);
    assertCanWriteMeasure(actor, measure);
    assertCanChangeFields(actor, givenFields(changes));
    if (decision) assertVersion(measure, decision.version);
    const summary = describeChanges(measure, changes);
    await this.applyChanges(manager, id, changes);
    if (decision) {
      const extended =
        givenFields(changes).every((f) => f === 'plannedEnd') &&
        !!changes.plannedEnd &&
        (!measure.plannedEnd || changes.plannedEnd > measure.plannedEnd);
      await recordChange(manager, id, extended ? 'extended' : 'changed', actor, {
        decisionId: decision.decisionId,
        reason: decision.reason,
        summary,
      });
    }
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
      code: changes.code !== undefined && changes.code !== loaded.code ? changes.code : undefined,
      level: changes.level,
      areaIds: changes.areaIds,
    };
    await checkReferences(manager, merged, {
      frameworkId: loaded.frameworkId,
      actionFieldId: loaded.actionFieldId,
      leadDepartmentId: loaded.leadDepartmentId,
      participatingDepartmentIds: (loaded.participatingDepartments ?? []).map((d) => d.id),
    });
    if (
      changes.code &&
      changes.code !== loaded.code &&
      (await manager.existsBy(Measure, { frameworkId: loaded.frameworkId, code: changes.code }))
    ) {
      throw duplicateCode(changes.code);
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
    if (changes.areaIds) {
      const before = await areaIdsOf(manager, id);
      const after = [...changes.areaIds].sort((a, b) => a - b);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await setAreas(manager, id, after);
        // The areas are links of their own table: the audit entry of this save names their change.
        loaded.auditExtraChanges = { areaIds: { from: before, to: after } };
      }
    }
    // Always bump the version, so that a change of goals, departments or areas alone also counts as a change.
    loaded.version += 1;
    await manager.save(Measure, loaded);
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
    const areaRows = await manager
      .createQueryBuilder(MeasureArea, 'ma')
      .innerJoin(Area, 'a', 'a.id = ma.areaId')
      .select('"ma"."measureId"', 'measureId')
      .addSelect('"a"."id"', 'id')
      .addSelect('"a"."code"', 'code')
      .addSelect('"a"."name"', 'name')
      .where('"ma"."measureId" IN (:...ids)', { ids })
      .orderBy('"a"."sortOrder"', 'ASC')
      .addOrderBy('"a"."id"', 'ASC')
      .getRawMany<{ measureId: number; id: number; code: string; name: string }>();
    const areasByMeasure = new Map<number, MeasureAreaView[]>();
    for (const row of areaRows) {
      const list = areasByMeasure.get(Number(row.measureId)) ?? [];
      list.push({ id: Number(row.id), code: row.code, name: row.name });
      areasByMeasure.set(Number(row.measureId), list);
    }
    return measures.map((m) =>
      toMeasureView(
        m,
        goalsByMeasure.get(m.id) ?? [],
        departmentsByMeasure.get(m.id) ?? [],
        areasByMeasure.get(m.id) ?? [],
      ),
    );
  }
}

/** The ids of the areas a measure names, in ascending order. */
async function areaIdsOf(manager: EntityManager, measureId: number): Promise<number[]> {
  const rows = await manager.find(MeasureArea, { where: { measureId } });
  return rows.map((r) => r.areaId).sort((a, b) => a - b);
}

/** The measure names exactly these areas (checked by checkReferences to be its plan's). */
async function setAreas(manager: EntityManager, measureId: number, areaIds: number[]): Promise<void> {
  await manager.delete(MeasureArea, { measureId });
  if (!areaIds.length) return;
  await manager
    .createQueryBuilder()
    .insert()
    .into(MeasureArea)
    .values(areaIds.map((areaId) => ({ measureId, areaId })))
    .callListeners(false)
    .execute();
}
