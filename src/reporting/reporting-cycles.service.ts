/**
 * Reporting cycles (Berichtszyklen): planned → collecting → reviewing → closed → published. Closing freezes a
 * snapshot of every measure in the same transaction; reopening a closed cycle needs an admin and a reason.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { num, queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import type { MeasureLevel, MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';
import { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import { CycleSnapshot } from './cycle-snapshot.entity.js';
import type { CreateCycleDto, UpdateCycleDto } from './dto/cycle.dto.js';
import {
  CYCLE_STATE_LABELS,
  CYCLE_TRANSITIONS,
  type CycleState,
  ReportingCycle,
} from './reporting-cycle.entity.js';

export interface CycleView {
  id: number;
  code: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  inputDeadline: string;
  publicationTarget: string | null;
  state: CycleState;
  stateLabel: string;
  allowedTransitions: CycleState[];
  reopenReason: string;
  closedAt: string | null;
  publishedAt: string | null;
  snapshotId: number | null;
  version: number;
}

interface MeasureRow {
  id: number;
  code: string;
  title: string;
  description: string;
  actionFieldId: number;
  leadDepartmentId: number;
  level: MeasureLevel;
  targetGroups: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  budget: number | null;
  lifecycle: MeasureLifecycle;
  lifecycleReason: string;
  isExample: number | boolean;
}

interface LatestReportRow {
  id: number;
  measureId: number;
  status: MeasureStatus;
  progress: number;
  reportedAt: string;
  summary: string;
  obstacles: string;
  nextSteps: string;
}

const CHUNK = 500;

@Injectable()
export class ReportingCyclesService {
  constructor(
    @InjectRepository(ReportingCycle) private readonly cycles: Repository<ReportingCycle>,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(): Promise<CycleView[]> {
    const cycles = await this.cycles.find({ order: { periodStart: 'ASC' } });
    const snapshots = await this.cycles.manager.find(CycleSnapshot, { where: { supersededAt: IsNull() } });
    return cycles.map((c) => this.view(c, snapshots.find((s) => s.cycleId === c.id)?.id ?? null));
  }

  async get(id: number): Promise<CycleView> {
    const cycle = await this.findEntity(id);
    return this.view(cycle, (await this.currentSnapshot(cycle.id))?.id ?? null);
  }

  async findEntity(id: number, manager: EntityManager = this.cycles.manager): Promise<ReportingCycle> {
    const cycle = await manager.findOneBy(ReportingCycle, { id });
    if (!cycle) throw notFound('CYCLE.NOT_FOUND', `Berichtszyklus ${id} wurde nicht gefunden.`);
    return cycle;
  }

  async findByCode(code: string): Promise<ReportingCycle> {
    const cycle = await this.cycles.findOneBy({ code });
    if (!cycle) throw notFound('CYCLE.NOT_FOUND', `Berichtszyklus ${code} wurde nicht gefunden.`);
    return cycle;
  }

  /** The cycle the coordinating unit is working on: collecting, else reviewing, else the one containing today. */
  async current(today: string): Promise<ReportingCycle | null> {
    const cycles = await this.cycles.find({ order: { periodStart: 'ASC' } });
    return (
      cycles.find((c) => c.state === 'collecting') ??
      cycles.find((c) => c.state === 'reviewing') ??
      cycles.find((c) => c.periodStart <= today && today <= c.periodEnd) ??
      null
    );
  }

  currentSnapshot(
    cycleId: number,
    manager: EntityManager = this.cycles.manager,
  ): Promise<CycleSnapshot | null> {
    return manager.findOne(CycleSnapshot, {
      where: { cycleId, supersededAt: IsNull() },
      order: { id: 'DESC' },
    });
  }

  async create(dto: CreateCycleDto): Promise<CycleView> {
    const id = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        await this.checkDates(manager, { ...dto, publicationTarget: dto.publicationTarget ?? null }, null);
        if (await manager.existsBy(ReportingCycle, { code: dto.code })) {
          throw conflict('CYCLE.CODE_EXISTS', `Einen Berichtszyklus ${dto.code} gibt es bereits.`);
        }
        const saved = await manager.save(
          ReportingCycle,
          manager.create(ReportingCycle, {
            ...dto,
            publicationTarget: dto.publicationTarget ?? null,
            state: 'planned',
          }),
        );
        return saved.id;
      }),
    );
    return this.get(id);
  }

  async update(id: number, dto: UpdateCycleDto): Promise<CycleView> {
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const cycle = await this.findEntity(id, manager);
        this.assertVersion(cycle, dto.version);
        if (cycle.state === 'closed' || cycle.state === 'published') {
          throw conflict(
            'CYCLE.FROZEN',
            `Der Berichtszyklus ${cycle.code} ist ${CYCLE_STATE_LABELS[cycle.state]} und kann nicht geändert werden.`,
          );
        }
        const next = {
          periodStart: dto.periodStart ?? cycle.periodStart,
          periodEnd: dto.periodEnd ?? cycle.periodEnd,
          inputDeadline: dto.inputDeadline ?? cycle.inputDeadline,
          publicationTarget:
            dto.publicationTarget !== undefined ? dto.publicationTarget : cycle.publicationTarget,
        };
        await this.checkDates(manager, next, cycle.id);
        Object.assign(cycle, next, dto.name ? { name: dto.name } : {});
        cycle.version = dto.version + 1;
        await manager.save(ReportingCycle, cycle);
      }),
    );
    return this.get(id);
  }

  /** Moves a cycle one step; closing takes the snapshot, reopening needs a reason. */
  async transition(
    id: number,
    to: CycleState,
    version: number,
    actor: Actor,
    reason?: string,
  ): Promise<CycleView> {
    const reopening = to === 'reviewing';
    await RequestContext.withAudit({ action: 'transition', note: reason ?? '' }, () =>
      this.transactions.run(async (manager) => {
        const cycle = await this.findEntity(id, manager);
        if (!CYCLE_TRANSITIONS[cycle.state].includes(to)) {
          const allowed = CYCLE_TRANSITIONS[cycle.state]
            .map((s) => `„${CYCLE_STATE_LABELS[s]}“`)
            .join(' oder ');
          throw conflict(
            'CYCLE.INVALID_TRANSITION',
            `Der Berichtszyklus ${cycle.code} ist „${CYCLE_STATE_LABELS[cycle.state]}“ und kann nicht nach „${CYCLE_STATE_LABELS[to]}“ wechseln` +
              (allowed ? ` (möglich: ${allowed}).` : ' (Endzustand).'),
          );
        }
        if (reopening && cycle.state === 'closed' && (!reason || reason.trim().length < 5)) {
          throw new InvalidInputException(
            [
              {
                field: 'reason',
                messages: ['Eine Begründung (mindestens 5 Zeichen) ist zum Wiedereröffnen nötig'],
              },
            ],
            'Ein abgeschlossener Berichtszyklus kann nur mit Begründung wiedereröffnet werden.',
          );
        }
        this.assertVersion(cycle, version);
        if (to === 'closed') {
          const pending = await this.pendingReviews(manager, cycle);
          if (pending > 0) {
            throw conflict(
              'CYCLE.PENDING_REVIEWS',
              `Der Berichtszyklus ${cycle.code} kann nicht abgeschlossen werden: ${pending} Meldung(en) im Zeitraum sind noch nicht geprüft.`,
              { pending },
            );
          }
          await this.takeSnapshot(manager, cycle, actor);
          cycle.closedAt = new Date();
        }
        if (to === 'published') cycle.publishedAt = new Date();
        if (reopening && cycle.state === 'closed') {
          cycle.reopenReason = reason!.trim();
          cycle.closedAt = undefined;
        }
        cycle.state = to;
        cycle.version = version + 1;
        await manager.save(ReportingCycle, cycle);
      }),
    );
    return this.get(id);
  }

  /** The snapshot's items, in code order. */
  async snapshotItems(snapshotId: number): Promise<CycleSnapshotItem[]> {
    return this.cycles.manager.find(CycleSnapshotItem, { where: { snapshotId }, order: { code: 'ASC' } });
  }

  private async pendingReviews(manager: EntityManager, cycle: ReportingCycle): Promise<number> {
    const [row] = await queryNamed<{ n: number }>(
      manager,
      `SELECT COUNT(*) AS "n" FROM "status_reports" WHERE "reviewState" = 'submitted' AND "reportedAt" BETWEEN :start AND :end`,
      { start: cycle.periodStart, end: cycle.periodEnd },
    );
    return num(row?.n);
  }

  /**
   * Freezes every measure that had started by the period's end: master data as it is now, and its latest
   * accepted report within the period (or none). Supersedes an earlier snapshot of the same cycle.
   */
  private async takeSnapshot(manager: EntityManager, cycle: ReportingCycle, actor: Actor): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(CycleSnapshot)
      .set({ supersededAt: new Date() })
      .where('"cycleId" = :cycleId AND "supersededAt" IS NULL', { cycleId: cycle.id })
      .callListeners(false)
      .execute();
    const measures = await queryNamed<MeasureRow>(
      manager,
      `SELECT "id", "code", "title", "description", "actionFieldId", "leadDepartmentId", "level", "targetGroups",
              "plannedStart", "plannedEnd", "budget", "lifecycle", "lifecycleReason", "isExample"
         FROM "measures" WHERE "plannedStart" IS NULL OR "plannedStart" <= :end ORDER BY "code"`,
      { end: cycle.periodEnd },
    );
    const latest = await queryNamed<LatestReportRow>(
      manager,
      `SELECT "id", "measureId", "status", "progress", "reportedAt", "summary", "obstacles", "nextSteps" FROM (
         SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r."measureId" ORDER BY r."reportedAt" DESC, r."id" DESC) AS "rn"
           FROM "status_reports" r
          WHERE r."reviewState" = 'accepted' AND r."reportedAt" BETWEEN :start AND :end) x
        WHERE x."rn" = 1`,
      { start: cycle.periodStart, end: cycle.periodEnd },
    );
    const reportByMeasure = new Map(latest.map((r) => [num(r.measureId), r]));
    const links = async (sql: string): Promise<Map<number, number[]>> => {
      const map = new Map<number, number[]>();
      for (const row of await queryNamed<{ measureId: number; id: number }>(manager, sql)) {
        const list = map.get(num(row.measureId)) ?? [];
        list.push(num(row.id));
        map.set(num(row.measureId), list);
      }
      return map;
    };
    const goalLinks = await links(
      `SELECT "measureId", "goalId" AS "id" FROM "measure_goals" ORDER BY "goalId"`,
    );
    const departmentLinks = await links(
      `SELECT "measureId", "departmentId" AS "id" FROM "measure_participating_departments" ORDER BY "departmentId"`,
    );
    const goals = new Map((await manager.find(Goal)).map((g) => [g.id, g]));
    const fields = new Map((await manager.find(ActionField)).map((f) => [f.id, f]));
    const departments = new Map((await manager.find(Department)).map((d) => [d.id, d]));

    const snapshot = await manager.save(
      CycleSnapshot,
      manager.create(CycleSnapshot, {
        cycleId: cycle.id,
        takenById: actor.id || null,
        measureCount: measures.length,
      }),
    );
    for (let i = 0; i < measures.length; i += CHUNK) {
      const chunk = measures.slice(i, i + CHUNK);
      const values = chunk.map((m) => {
        const report = reportByMeasure.get(num(m.id));
        const goalIds = goalLinks.get(num(m.id)) ?? [];
        const participating = departmentLinks.get(num(m.id)) ?? [];
        return {
          snapshotId: snapshot.id,
          measureId: num(m.id),
          code: m.code,
          actionFieldId: num(m.actionFieldId),
          leadDepartmentId: num(m.leadDepartmentId),
          level: m.level,
          lifecycle: m.lifecycle,
          isExample: m.isExample === true || m.isExample === 1,
          targetGroups: JSON.parse(m.targetGroups) as string[],
          reportId: report ? num(report.id) : null,
          status: report?.status ?? null,
          progress: report ? num(report.progress) : null,
          reportedAt: report?.reportedAt ?? null,
          summary: report?.summary ?? '',
          obstacles: report?.obstacles ?? '',
          nextSteps: report?.nextSteps ?? '',
          master: {
            title: m.title,
            description: m.description,
            actionFieldCode: fields.get(num(m.actionFieldId))?.code ?? '',
            actionFieldTitle: fields.get(num(m.actionFieldId))?.title ?? '',
            goalIds,
            goalCodes: goalIds.map((g) => goals.get(g)?.code ?? String(g)),
            leadDepartmentCode: departments.get(num(m.leadDepartmentId))?.code ?? '',
            leadDepartmentName: departments.get(num(m.leadDepartmentId))?.name ?? '',
            participatingDepartmentIds: participating,
            participatingDepartmentCodes: participating.map((d) => departments.get(d)?.code ?? String(d)),
            plannedStart: m.plannedStart,
            plannedEnd: m.plannedEnd,
            budget: m.budget === null ? null : Number(m.budget),
            lifecycleReason: m.lifecycleReason,
          },
        };
      });
      // The snapshot is one audited event (the cycle's transition), not thousands of row entries.
      await manager
        .createQueryBuilder()
        .insert()
        .into(CycleSnapshotItem)
        .values(values)
        .callListeners(false)
        .updateEntity(false)
        .execute();
    }
    await queryNamed(
      manager,
      `INSERT INTO "cycle_snapshot_item_goals" ("itemId", "goalId")
       SELECT i."id", mg."goalId" FROM "cycle_snapshot_items" i
         JOIN "measure_goals" mg ON mg."measureId" = i."measureId"
        WHERE i."snapshotId" = :snapshotId`,
      { snapshotId: snapshot.id },
    );
  }

  private async checkDates(
    manager: EntityManager,
    dates: Pick<ReportingCycle, 'periodStart' | 'periodEnd' | 'inputDeadline' | 'publicationTarget'>,
    ownId: number | null,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (dates.periodEnd < dates.periodStart)
      errors.push({ field: 'periodEnd', messages: ['liegt vor dem Beginn'] });
    if (dates.inputDeadline < dates.periodStart) {
      errors.push({ field: 'inputDeadline', messages: ['liegt vor dem Beginn des Zeitraums'] });
    }
    if (dates.publicationTarget && dates.publicationTarget < dates.inputDeadline) {
      errors.push({ field: 'publicationTarget', messages: ['liegt vor dem Meldeschluss'] });
    }
    if (errors.length) throw new InvalidInputException(errors);
    const others = await manager.find(ReportingCycle);
    const overlap = others.find(
      (c) => c.id !== ownId && c.periodStart <= dates.periodEnd && dates.periodStart <= c.periodEnd,
    );
    if (overlap) {
      throw conflict(
        'CYCLE.OVERLAP',
        `Der Zeitraum überschneidet sich mit dem Berichtszyklus ${overlap.code} (${overlap.periodStart} bis ${overlap.periodEnd}).`,
      );
    }
  }

  private assertVersion(cycle: ReportingCycle, version: number): void {
    if (cycle.version !== version) {
      throw conflict(
        'CYCLE.STALE_VERSION',
        `Der Berichtszyklus ${cycle.code} wurde inzwischen geändert (Version ${cycle.version}). Bitte laden Sie ihn neu.`,
        { currentVersion: cycle.version },
      );
    }
  }

  private view(cycle: ReportingCycle, snapshotId: number | null): CycleView {
    return {
      id: cycle.id,
      code: cycle.code,
      name: cycle.name,
      periodStart: cycle.periodStart,
      periodEnd: cycle.periodEnd,
      inputDeadline: cycle.inputDeadline,
      publicationTarget: cycle.publicationTarget,
      state: cycle.state,
      stateLabel: CYCLE_STATE_LABELS[cycle.state],
      allowedTransitions: CYCLE_TRANSITIONS[cycle.state],
      reopenReason: cycle.reopenReason,
      closedAt: cycle.closedAt ? new Date(cycle.closedAt).toISOString() : null,
      publishedAt: cycle.publishedAt ? new Date(cycle.publishedAt).toISOString() : null,
      snapshotId: cycle.state === 'closed' || cycle.state === 'published' ? snapshotId : null,
      version: cycle.version,
    };
  }
}
