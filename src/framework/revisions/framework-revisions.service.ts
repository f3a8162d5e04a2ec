/**
 * Fortschreibung of the framework: a revision is applied in one transaction, all or nothing, and recorded with
 * its effective date, reason, author, version labels, changes and what it touched; every measure it moves gets
 * a history entry. A preview is the same run rolled back, so it lists exactly what applying would do.
 */
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/context/request-context.js';
import { RequestContext } from '../../common/context/request-context.js';
import { conflict, notFound } from '../../common/http/domain-errors.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { recordChange } from '../../measures/measure-change-log.js';
import { Measure } from '../../measures/measure.entity.js';
import { FrameworkError } from '../framework-errors.js';
import { resolvePlan } from '../plans.service.js';
import { Framework } from '../framework.entity.js';
import { FrameworkRevision, type RevisionEffects, type RevisionSource } from './framework-revision.entity.js';
import { MeasureHistory } from './measure-history.entity.js';
import { CHANGE_KIND_LABELS, type RevisionChange } from './revision-changes.js';
import { RevisionWork } from './revision-work.js';

export interface RevisionInput {
  effectiveDate: string;
  reason: string;
  versionLabel: string;
  /** The framework's version the revision was prepared at; another one means it was revised since: 409. */
  expectedVersion: string;
  /** The plan revised; left out: the request's plan (see resolvePlan). */
  frameworkId?: number;
  changes: RevisionChange[];
}

export interface RevisionAuthor {
  id: number | null;
  name: string;
}

/** What a revision did (or, in a preview, would do). */
export interface RevisionOutcome {
  dryRun: boolean;
  revisionId: number | null;
  effectiveDate: string;
  reason: string;
  versionBefore: string;
  versionAfter: string;
  changes: { kind: string; label: string }[];
  effects: RevisionEffects;
}

/** Thrown at the end of a preview to roll its transaction back; carries what it found. */
class PreviewRollback extends Error {
  constructor(readonly outcome: RevisionOutcome) {
    super('preview');
  }
}

/**
 * A plan, its row locked until the transaction ends on PostgreSQL (SQLite has one writer at a time anyway):
 * revisions of that plan, and framework files applied as its revisions, take their turn one after the other;
 * other plans are not held up.
 */
export async function lockFramework(manager: EntityManager, frameworkId: number): Promise<Framework> {
  const query = manager.createQueryBuilder(Framework, 'f').where('f.id = :id', { id: frameworkId });
  if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_write');
  const framework = await query.getOne();
  if (!framework)
    throw notFound(FrameworkError.NOT_FOUND, `Ein Rahmenkonzept mit der ID ${frameworkId} gibt es nicht.`);
  return framework;
}

export function authorOf(actor: Actor): RevisionAuthor {
  return { id: actor.id || null, name: `${actor.displayName} <${actor.email}>` };
}

@Injectable()
export class FrameworkRevisionsService {
  private readonly logger = new Logger('Fortschreibung');

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Every revision of a plan (see resolvePlan), newest first. */
  async list(frameworkId?: number): Promise<FrameworkRevision[]> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    return this.dataSource.manager.find(FrameworkRevision, {
      where: { frameworkId: plan },
      order: { effectiveDate: 'DESC', id: 'DESC' },
    });
  }

  /** A revision by its number, or null. */
  find(id: number): Promise<FrameworkRevision | null> {
    return this.dataSource.manager.findOneBy(FrameworkRevision, { id });
  }

  async get(id: number): Promise<FrameworkRevision> {
    const revision = await this.find(id);
    if (!revision)
      throw notFound(FrameworkError.REVISION_NOT_FOUND, `Fortschreibung ${id} wurde nicht gefunden.`);
    return revision;
  }

  /** A plan's revisions that took effect within a period and were recorded by `asOf`, oldest first. */
  async inPeriod(
    manager: EntityManager,
    frameworkId: number,
    start: string,
    end: string,
    asOf: Date,
  ): Promise<FrameworkRevision[]> {
    const rows = await manager
      .createQueryBuilder(FrameworkRevision, 'r')
      .where('r.frameworkId = :frameworkId', { frameworkId })
      .andWhere('r.effectiveDate >= :start AND r.effectiveDate <= :end', { start, end })
      .andWhere('r.appliedAt <= :asOf', { asOf })
      .orderBy('r.effectiveDate', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    return rows;
  }

  /** Applies a revision, or previews it (the same run, rolled back). */
  async run(
    input: RevisionInput,
    author: RevisionAuthor,
    options: { dryRun: boolean; source?: RevisionSource; manager?: EntityManager },
  ): Promise<RevisionOutcome> {
    const work = (manager: EntityManager) =>
      this.applyWithin(manager, input, author, options.source ?? 'api').then((outcome) => {
        if (options.dryRun) throw new PreviewRollback({ ...outcome, dryRun: true, revisionId: null });
        return outcome;
      });
    try {
      if (options.manager) return await work(options.manager);
      const outcome = await RequestContext.withAudit(
        { action: 'framework_revision', note: input.reason.slice(0, 500) },
        () => this.transactions.run(work),
      );
      this.logger.log(
        `Fortschreibung ${outcome.versionBefore} → ${outcome.versionAfter} übernommen (Nr. ${outcome.revisionId})`,
      );
      return outcome;
    } catch (error) {
      if (error instanceof PreviewRollback) return error.outcome;
      throw error;
    }
  }

  /** The revision inside a transaction the caller holds (the framework file's loader uses this too). */
  async applyWithin(
    manager: EntityManager,
    input: RevisionInput,
    author: RevisionAuthor,
    source: RevisionSource,
  ): Promise<RevisionOutcome> {
    const framework = await lockFramework(manager, await resolvePlan(manager, input.frameworkId));
    if (framework.version !== input.expectedVersion)
      throw conflict(
        FrameworkError.VERSION_CHANGED,
        `Das Rahmenkonzept wurde inzwischen fortgeschrieben: Es hat jetzt die Version ${framework.version}, die Fortschreibung wurde auf der Version ${input.expectedVersion} vorbereitet. Nichts wurde geändert; bitte prüfen Sie die Änderungen am jetzigen Stand und sehen Sie sich die Vorschau erneut an.`,
      );
    const versionBefore = framework.version;
    const work = new RevisionWork(manager, input.effectiveDate, framework.id);
    await work.run(input.changes, framework);
    work.collectMeasureEffects();
    framework.version = input.versionLabel;
    await manager.save(Framework, framework);
    const changes = input.changes.map((c) => JSON.parse(JSON.stringify(c)) as RevisionChange);
    const revision = await manager.save(
      FrameworkRevision,
      manager.create(FrameworkRevision, {
        frameworkId: framework.id,
        effectiveDate: input.effectiveDate,
        reason: input.reason,
        authorId: author.id,
        authorName: author.name.slice(0, 400),
        versionBefore,
        versionAfter: input.versionLabel,
        source,
        changes,
        effects: work.effects,
      }),
    );
    const actor = {
      id: author.id ?? 0,
      email: '',
      displayName: author.name,
      role: 'admin' as const,
      departmentId: null,
    };
    for (const entry of work.history(input.reason)) {
      await manager.save(
        MeasureHistory,
        manager.create(MeasureHistory, { ...entry, revisionId: revision.id }),
      );
      const moves = [
        entry.codeBefore !== entry.codeAfter ? `Code ${entry.codeBefore} → ${entry.codeAfter}` : '',
        entry.actionFieldCodeBefore !== entry.actionFieldCodeAfter
          ? `Handlungsfeld ${entry.actionFieldCodeBefore} → ${entry.actionFieldCodeAfter}`
          : '',
        entry.leadDepartmentCodeBefore !== entry.leadDepartmentCodeAfter
          ? `Federführung ${entry.leadDepartmentCodeBefore} → ${entry.leadDepartmentCodeAfter}`
          : '',
      ].filter(Boolean);
      const measure = await manager.findOneByOrFail(Measure, { id: entry.measureId });
      await recordChange(manager, entry.measureId, 'changed', actor, {
        isExample: measure.isExample,
        reason: `Fortschreibung ${input.versionLabel} (gültig ab ${input.effectiveDate}): ${input.reason}`,
        summary: moves.join('; '),
      });
    }
    return {
      dryRun: false,
      revisionId: revision.id,
      effectiveDate: input.effectiveDate,
      reason: input.reason,
      versionBefore,
      versionAfter: input.versionLabel,
      changes: input.changes.map((c) => ({ kind: c.kind, label: CHANGE_KIND_LABELS[c.kind] })),
      effects: work.effects,
    };
  }

  /** A measure's history across revisions, oldest first. */
  historyOf(measureId: number): Promise<MeasureHistory[]> {
    return this.dataSource.manager.find(MeasureHistory, {
      where: { measureId },
      order: { effectiveDate: 'ASC', id: 'ASC' },
    });
  }
}
