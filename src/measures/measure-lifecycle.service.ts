/**
 * A measure's lifecycle instead of deletion: discontinue, merge into another active measure, reactivate;
 * each change with its reason (and the decision that caused it) kept in the change history.
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import { conflict } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { ChangeLifecycleDto } from './dto/measure.dto.js';
import { recordChange } from './measure-change-log.js';
import { assertCanChangeFields } from './measure-policy.js';
import { assertVersion, loadForUpdate } from './measure-write-checks.js';
import { Measure } from './measure.entity.js';
import type { MeasureView } from './measure.view.js';
import { MeasuresService } from './measures.service.js';
import { MeasureError } from './measure-errors.js';
import { said } from '../framework/request-words.js';

@Injectable()
export class MeasureLifecycleService {
  constructor(
    private readonly measures: MeasuresService,
    private readonly transactions: TransactionRunner,
  ) {}

  async changeLifecycle(id: number, dto: ChangeLifecycleDto, actor: Actor): Promise<MeasureView> {
    await RequestContext.withAudit({ action: 'lifecycle', note: dto.reason }, () =>
      this.transactions.run((manager) => this.changeLifecycleWithin(manager, id, dto, actor, null)),
    );
    return this.measures.get(id);
  }

  /** Lifecycle change inside a running transaction; `decisionId` records the Beschluss that caused it. */
  async changeLifecycleWithin(
    manager: EntityManager,
    id: number,
    dto: ChangeLifecycleDto,
    actor: Actor,
    decisionId: number | null,
  ): Promise<void> {
    const measure = await loadForUpdate(manager, id);
    assertCanChangeFields(actor, ['lifecycle']);
    assertVersion(measure, dto.version);
    if (measure.lifecycle === dto.lifecycle) {
      throw conflict(
        MeasureError.LIFECYCLE_UNCHANGED,
        said(
          `Die Maßnahme ${measure.code} ist bereits in diesem Zustand.`,
          (w) => `${w.measure} ${measure.code} ist bereits in diesem Zustand.`,
        ),
      );
    }
    let mergedIntoId: number | null = null;
    if (dto.lifecycle === 'merged') {
      const target = await manager.findOneBy(Measure, { id: dto.mergedIntoId });
      const errors: FieldError[] = [];
      if (!target)
        errors.push({
          field: 'mergedIntoId',
          messages: [
            said('Diese Maßnahme gibt es nicht', (w) => `${w.measure} ${dto.mergedIntoId} gibt es nicht`),
          ],
        });
      else if (target.id === id)
        errors.push({
          field: 'mergedIntoId',
          messages: [
            said(
              'Eine Maßnahme kann nicht in sich selbst aufgehen',
              (w) => `${w.measure} ${measure.code} kann nicht in sich selbst aufgehen`,
            ),
          ],
        });
      else if (target.frameworkId !== measure.frameworkId)
        errors.push({
          field: 'mergedIntoId',
          messages: [
            said(
              'Die Zielmaßnahme gehört zu einem anderen Rahmenkonzept',
              (w) =>
                `Das Ziel der Zusammenführung (${w.measure} ${target.code}) gehört zu einem anderen Plan`,
            ),
          ],
        });
      else if (target.lifecycle !== 'active')
        errors.push({
          field: 'mergedIntoId',
          messages: [
            said(
              'Die Zielmaßnahme ist nicht aktiv',
              (w) => `Das Ziel der Zusammenführung (${w.measure} ${target.code}) ist nicht aktiv`,
            ),
          ],
        });
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
    await recordChange(manager, id, kind, actor, {
      decisionId,
      reason: dto.reason,
      summary: mergedIntoId ? `aufgegangen in Maßnahme ${mergedIntoId}` : '',
    });
  }
}
