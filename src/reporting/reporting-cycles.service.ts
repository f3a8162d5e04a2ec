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
import { managerRows, num, queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import { CycleSnapshot } from './cycle-snapshot.entity.js';
import { freezeFramework } from './framework-at-close.js';
import { resolvePlan } from '../framework/plans.service.js';
import { Framework } from '../framework/framework.entity.js';
import { MeasureStateReader } from './measure-state.reader.js';
import type { CreateCycleDto, UpdateCycleDto } from './dto/cycle.dto.js';
import {
  CYCLE_REASON_REQUIRED,
  CYCLE_STATE_LABELS,
  CYCLE_TRANSITIONS,
  type CycleState,
  ReportingCycle,
} from './reporting-cycle.entity.js';
import { CycleError } from './cycle-errors.js';
import { isFrozen } from './cycle-rules.js';

export interface CycleView {
  id: number;
  /** The plan (Rahmenkonzept) the cycle reports on. */
  frameworkId: number;
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
  /** Reason and time of the last time the publication was taken back. */
  unpublishReason: string;
  unpublishedAt: string | null;
  /** Whether the accepted reports' obstacles and next steps are published with the cycle. */
  publicReportTexts: boolean;
  snapshotId: number | null;
  version: number;
}

/** Rows per INSERT statement (SQLite allows 32,766 parameters; a snapshot row has 18 columns). */
const INSERT_CHUNK = 200;

@Injectable()
export class ReportingCyclesService {
  constructor(
    @InjectRepository(ReportingCycle) private readonly cycles: Repository<ReportingCycle>,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The cycles of a plan (see resolvePlan), in period order. */
  async list(frameworkId?: number): Promise<CycleView[]> {
    const plan = await resolvePlan(this.cycles.manager, frameworkId);
    const cycles = await this.cycles.find({ where: { frameworkId: plan }, order: { periodStart: 'ASC' } });
    const snapshots = await this.cycles.manager.find(CycleSnapshot, { where: { supersededAt: IsNull() } });
    return cycles.map((c) => this.view(c, snapshots.find((s) => s.cycleId === c.id)?.id ?? null));
  }

  async get(id: number): Promise<CycleView> {
    const cycle = await this.findEntity(id);
    return this.view(cycle, (await this.currentSnapshot(cycle.id))?.id ?? null);
  }

  async findEntity(id: number, manager: EntityManager = this.cycles.manager): Promise<ReportingCycle> {
    const cycle = await manager.findOneBy(ReportingCycle, { id });
    if (!cycle) throw notFound(CycleError.NOT_FOUND, `Berichtszyklus ${id} wurde nicht gefunden.`);
    return cycle;
  }

  /** A plan's cycle by its code (codes repeat across plans). */
  async findByCode(code: string, frameworkId?: number): Promise<ReportingCycle> {
    const plan = await resolvePlan(this.cycles.manager, frameworkId);
    const cycle = await this.cycles.findOneBy({ frameworkId: plan, code });
    if (!cycle) throw notFound(CycleError.NOT_FOUND, `Berichtszyklus ${code} wurde nicht gefunden.`);
    return cycle;
  }

  /**
   * The cycle of a plan the coordinating unit is working on: collecting, else reviewing, else the one
   * containing today.
   */
  async current(today: string, frameworkId?: number): Promise<ReportingCycle | null> {
    const plan = await resolvePlan(this.cycles.manager, frameworkId);
    const cycles = await this.cycles.find({ where: { frameworkId: plan }, order: { periodStart: 'ASC' } });
    return (
      cycles.find((c) => c.state === 'collecting') ??
      cycles.find((c) => c.state === 'reviewing') ??
      cycles.find((c) => c.periodStart <= today && today <= c.periodEnd) ??
      null
    );
  }

  /** The snapshot a frozen cycle (closed or published) is shown from; null for an open cycle. */
  async frozenSnapshot(
    cycle: Pick<ReportingCycle, 'id' | 'state'>,
    manager: EntityManager = this.cycles.manager,
  ): Promise<CycleSnapshot | null> {
    return isFrozen(cycle.state) ? this.currentSnapshot(cycle.id, manager) : null;
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
        const frameworkId = await resolvePlan(manager, dto.frameworkId);
        const dates = { ...dto, publicationTarget: dto.publicationTarget ?? null, frameworkId };
        await this.checkDates(manager, dates, null);
        if (await manager.existsBy(ReportingCycle, { frameworkId, code: dto.code })) {
          throw conflict(CycleError.CODE_EXISTS, `Einen Berichtszyklus ${dto.code} gibt es bereits.`);
        }
        const saved = await manager.save(
          ReportingCycle,
          manager.create(ReportingCycle, {
            ...dto,
            frameworkId,
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
        if (isFrozen(cycle.state)) {
          throw conflict(
            CycleError.FROZEN,
            `Der Berichtszyklus ${cycle.code} ist ${CYCLE_STATE_LABELS[cycle.state]} und kann nicht geändert werden.`,
          );
        }
        const next = {
          frameworkId: cycle.frameworkId,
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

  /**
   * Moves a cycle one step by CYCLE_TRANSITIONS: closing (from reviewing) takes the snapshot; the moves back
   * (reopening a closed cycle, taking back a publication) need a reason, kept on the cycle and in the audit
   * trail. Publishing may make the accepted reports' obstacles and next steps public with the cycle.
   */
  async transition(
    id: number,
    to: CycleState,
    version: number,
    actor: Actor,
    reason?: string,
    options: { publicReportTexts?: boolean } = {},
  ): Promise<CycleView> {
    await RequestContext.withAudit({ action: 'transition', note: reason ?? '' }, () =>
      this.transactions.run(async (manager) => {
        const cycle = await this.findEntity(id, manager);
        const from = cycle.state;
        if (!CYCLE_TRANSITIONS[from].includes(to)) {
          const allowed = CYCLE_TRANSITIONS[from].map((s) => `„${CYCLE_STATE_LABELS[s]}“`).join(' oder ');
          throw conflict(
            CycleError.INVALID_TRANSITION,
            `Der Berichtszyklus ${cycle.code} ist „${CYCLE_STATE_LABELS[from]}“ und kann nicht nach „${CYCLE_STATE_LABELS[to]}“ wechseln` +
              (allowed ? ` (möglich: ${allowed}).` : ' (Endzustand).'),
          );
        }
        const reasonMessage = CYCLE_REASON_REQUIRED[`${from}>${to}`];
        if (reasonMessage && (!reason || reason.trim().length < 5)) {
          throw new InvalidInputException(
            [{ field: 'reason', messages: [reasonMessage] }],
            from === 'published'
              ? 'Eine Veröffentlichung kann nur mit Begründung zurückgenommen werden.'
              : 'Ein abgeschlossener Berichtszyklus kann nur mit Begründung wiedereröffnet werden.',
          );
        }
        if (options.publicReportTexts && to !== 'published') {
          throw new InvalidInputException([
            { field: 'publicReportTexts', messages: ['ist nur beim Veröffentlichen möglich'] },
          ]);
        }
        this.assertVersion(cycle, version);
        if (from === 'reviewing' && to === 'closed') {
          const pending = await this.pendingReviews(manager, cycle);
          if (pending > 0) {
            throw conflict(
              CycleError.PENDING_REVIEWS,
              `Der Berichtszyklus ${cycle.code} kann nicht abgeschlossen werden: ${pending} Meldung(en) im Zeitraum sind noch nicht geprüft.`,
              { pending },
            );
          }
          await this.takeSnapshot(manager, cycle, actor);
          cycle.closedAt = new Date();
        }
        if (to === 'published') {
          cycle.publishedAt = new Date();
          cycle.publicReportTexts = options.publicReportTexts ?? false;
        }
        if (from === 'published' && to === 'closed') {
          // The snapshot stays: publishing again shows the same frozen state.
          cycle.unpublishReason = reason!.trim();
          cycle.unpublishedAt = new Date();
          cycle.publicReportTexts = false;
        }
        if (from === 'closed' && to === 'reviewing') {
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
    return this.cycles.manager.find(CycleSnapshotItem, {
      where: { snapshotId },
      order: { sortKey: 'ASC', code: 'ASC' },
    });
  }

  private async pendingReviews(manager: EntityManager, cycle: ReportingCycle): Promise<number> {
    const [row] = await queryNamed<{ n: number }>(
      manager,
      `SELECT COUNT(*) AS "n" FROM "status_reports" s JOIN "measures" m ON m."id" = s."measureId"
        WHERE s."reviewState" = 'submitted' AND s."reportedAt" BETWEEN :start AND :end AND m."frameworkId" = :plan`,
      { start: cycle.periodStart, end: cycle.periodEnd, plan: cycle.frameworkId },
    );
    return num(row?.n);
  }

  /**
   * Freezes every measure that had started by the period's end (see MeasureStateReader), page by page, and
   * supersedes an earlier snapshot of the same cycle.
   */
  private async takeSnapshot(manager: EntityManager, cycle: ReportingCycle, actor: Actor): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(CycleSnapshot)
      .set({ supersededAt: new Date() })
      .where('"cycleId" = :cycleId AND "supersededAt" IS NULL', { cycleId: cycle.id })
      .callListeners(false)
      .execute();
    const snapshot = await manager.save(
      CycleSnapshot,
      manager.create(CycleSnapshot, {
        cycleId: cycle.id,
        takenById: actor.id || null,
        measureCount: 0,
        framework: await freezeFramework(
          manager,
          (await manager.findOneBy(Framework, { id: cycle.frameworkId }))?.version ?? '',
          cycle.frameworkId,
        ),
      }),
    );
    let count = 0;
    for await (const states of new MeasureStateReader(managerRows(manager), cycle).pages()) {
      for (let i = 0; i < states.length; i += INSERT_CHUNK) {
        // The snapshot is one audited event (the cycle's transition), not thousands of row entries.
        await manager
          .createQueryBuilder()
          .insert()
          .into(CycleSnapshotItem)
          .values(states.slice(i, i + INSERT_CHUNK).map((state) => ({ ...state, snapshotId: snapshot.id })))
          .callListeners(false)
          .updateEntity(false)
          .execute();
      }
      count += states.length;
    }
    await manager
      .createQueryBuilder()
      .update(CycleSnapshot)
      .set({ measureCount: count })
      .where('id = :id', { id: snapshot.id })
      .callListeners(false)
      .execute();
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
    dates: Pick<
      ReportingCycle,
      'frameworkId' | 'periodStart' | 'periodEnd' | 'inputDeadline' | 'publicationTarget'
    >,
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
    // Periods do not overlap within a plan; another plan's cycles run on their own calendar.
    const others = await manager.find(ReportingCycle, { where: { frameworkId: dates.frameworkId } });
    const overlap = others.find(
      (c) => c.id !== ownId && c.periodStart <= dates.periodEnd && dates.periodStart <= c.periodEnd,
    );
    if (overlap) {
      throw conflict(
        CycleError.OVERLAP,
        `Der Zeitraum überschneidet sich mit dem Berichtszyklus ${overlap.code} (${overlap.periodStart} bis ${overlap.periodEnd}).`,
      );
    }
  }

  private assertVersion(cycle: ReportingCycle, version: number): void {
    if (cycle.version !== version) {
      throw conflict(
        CycleError.STALE_VERSION,
        `Der Berichtszyklus ${cycle.code} wurde inzwischen geändert (Version ${cycle.version}). Bitte laden Sie ihn neu.`,
        { currentVersion: cycle.version },
      );
    }
  }

  private view(cycle: ReportingCycle, snapshotId: number | null): CycleView {
    return {
      id: cycle.id,
      frameworkId: cycle.frameworkId,
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
      unpublishReason: cycle.unpublishReason,
      unpublishedAt: cycle.unpublishedAt ? new Date(cycle.unpublishedAt).toISOString() : null,
      publicReportTexts: cycle.publicReportTexts,
      snapshotId: isFrozen(cycle.state) ? snapshotId : null,
      version: cycle.version,
    };
  }
}
