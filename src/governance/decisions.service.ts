/**
 * Beschlüsse: decisions taken in a meeting, with responsible department, due date and a kept history of their
 * state, and carrying a decision out on a measure with the decision recorded as the change's reason.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { enforce } from '../common/auth/policy.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { MeasureChange } from '../measures/measure-change.entity.js';
import { MeasureError } from '../measures/measure-errors.js';
import { MeasureLifecycleService } from '../measures/measure-lifecycle.service.js';
import { Measure } from '../measures/measure.entity.js';
import type { MeasureView } from '../measures/measure.view.js';
import { MeasuresService } from '../measures/measures.service.js';
import { readPage } from '../common/paging.js';
import { type Page } from '../common/paging.js';
import { todayInBremen } from '../common/dates.js';
import { canChangeDecisionState } from './decision-policy.js';
import { DecisionStateChange } from './decision-state-change.entity.js';
import { Decision } from './decision.entity.js';
import { decisionViews, type DecisionView, OPEN_STATES } from './decision.view.js';
import type {
  ApplyDecisionDto,
  ChangeDecisionStateDto,
  CreateDecisionDto,
  DecisionQueryDto,
} from './dto/governance.dto.js';
import { DECISION_STATE_LABELS, type DecisionState } from './governance.constants.js';
import { Meeting } from './meeting.entity.js';
import { DecisionError } from './decision-errors.js';
import { resolvePlan } from '../framework/plans.service.js';
import { planWord, planWords, said } from '../framework/request-words.js';

@Injectable()
export class DecisionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly measures: MeasuresService,
    private readonly lifecycle: MeasureLifecycleService,
  ) {}

  async listDecisions(query: DecisionQueryDto, today = todayInBremen()): Promise<Page<DecisionView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.dataSource.manager.createQueryBuilder(Decision, 'd');
    // Always the request's plan (see resolvePlan): a meeting or measure of another plan lists nothing.
    const plan = await resolvePlan(this.dataSource.manager, query.frameworkId);
    qb.andWhere('d.frameworkId = :plan', { plan });
    if (query.state) qb.andWhere('d.state = :state', { state: query.state });
    if (query.responsibleDepartmentId)
      qb.andWhere('d.responsibleDepartmentId = :dep', { dep: query.responsibleDepartmentId });
    if (query.meetingId) qb.andWhere('d.meetingId = :meetingId', { meetingId: query.meetingId });
    if (query.measureId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM "decision_measures" "dm" WHERE "dm"."decisionId" = "d"."id" AND "dm"."measureId" = :measureId)`,
        {
          measureId: query.measureId,
        },
      );
    }
    if (query.overdue === true) {
      qb.andWhere('d.dueDate < :today AND d.state IN (:...open)', { today, open: OPEN_STATES });
    }
    const [rows, total] = await readPage(
      qb.orderBy('d.dueDate', 'ASC').addOrderBy('d.id', 'ASC'),
      page,
      pageSize,
    );
    return { items: await this.views(rows, today), total, page, pageSize };
  }

  async decision(id: number): Promise<DecisionView> {
    const decision = await this.dataSource.manager.findOneBy(Decision, { id });
    if (!decision) throw notFound(DecisionError.NOT_FOUND, `Beschluss ${id} wurde nicht gefunden.`);
    const [view] = await this.views([decision], todayInBremen());
    view.history = await this.dataSource.manager.find(DecisionStateChange, {
      where: { decisionId: id },
      order: { id: 'ASC' },
    });
    view.changes = await this.dataSource.manager.find(MeasureChange, {
      where: { decisionId: id },
      order: { id: 'ASC' },
    });
    return view;
  }

  async createDecision(
    dto: CreateDecisionDto,
    actor: Actor,
    options: { isExample?: boolean; state?: DecisionState } = {},
  ): Promise<DecisionView> {
    const id = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        const errors: FieldError[] = [];
        // A decision belongs to the plan of its meeting.
        const meeting = await manager.findOne(Meeting, {
          select: { id: true, frameworkId: true },
          where: { id: dto.meetingId },
        });
        if (!meeting) {
          errors.push({
            field: 'meetingId',
            messages: [`Sitzung ${dto.meetingId} gibt es nicht; ein Beschluss gehört immer zu einer Sitzung`],
          });
        }
        if (!(await manager.existsBy(Department, { id: dto.responsibleDepartmentId }))) {
          errors.push({
            field: 'responsibleDepartmentId',
            messages: [`${planWords().organisation} ${dto.responsibleDepartmentId} gibt es nicht`],
          });
        }
        const measureIds = dto.measureIds ?? [];
        const found = measureIds.length ? await manager.findBy(Measure, { id: In(measureIds) }) : [];
        const missing = measureIds.filter((m) => !found.some((f) => f.id === m));
        if (missing.length)
          errors.push({
            field: 'measureIds',
            messages: [`${said('Maßnahme(n)', (w) => w.measures)} ${missing.join(', ')} gibt es nicht`],
          });
        const foreign = meeting ? found.filter((m) => m.frameworkId !== meeting.frameworkId) : [];
        if (foreign.length)
          errors.push({
            field: 'measureIds',
            messages: [
              `${said('Maßnahme(n)', (w) => w.measures)} ${foreign.map((m) => m.code).join(', ')} gehören zu einem anderen ${planWord()} als die Sitzung`,
            ],
          });
        if (errors.length) throw new InvalidInputException(errors);
        const state = options.state ?? 'open';
        const saved = await manager.save(
          Decision,
          manager.create(Decision, {
            frameworkId: meeting!.frameworkId,
            meetingId: dto.meetingId,
            kind: dto.kind,
            text: dto.text,
            measures: found,
            responsibleDepartmentId: dto.responsibleDepartmentId,
            dueDate: dto.dueDate ?? null,
            state,
            isExample: options.isExample ?? false,
          }),
        );
        await manager.save(
          DecisionStateChange,
          manager.create(DecisionStateChange, {
            decisionId: saved.id,
            fromState: null,
            toState: state,
            comment: 'Beschluss gefasst',
            userId: actor.id || null,
          }),
        );
        return saved.id;
      }),
    );
    return this.decision(id);
  }

  /** Admins, and editors of the responsible department, move a decision's state; every move is kept. */
  async changeState(id: number, dto: ChangeDecisionStateDto, actor: Actor): Promise<DecisionView> {
    await RequestContext.withAudit({ action: 'decision_state', note: dto.comment ?? '' }, () =>
      this.transactions.run(async (manager) => {
        const decision = await manager.findOneBy(Decision, { id });
        if (!decision) throw notFound(DecisionError.NOT_FOUND, `Beschluss ${id} wurde nicht gefunden.`);
        enforce(canChangeDecisionState(actor, decision));
        if (decision.version !== dto.version) {
          throw conflict(
            DecisionError.STALE_VERSION,
            'Der Beschluss wurde inzwischen geändert. Bitte laden Sie ihn neu.',
            { currentVersion: decision.version },
          );
        }
        if (decision.state === dto.state) {
          throw conflict(
            DecisionError.STATE_UNCHANGED,
            `Der Beschluss ist bereits „${DECISION_STATE_LABELS[dto.state]}“.`,
          );
        }
        const from = decision.state;
        decision.state = dto.state;
        decision.version = dto.version + 1;
        await manager.save(Decision, decision);
        await manager.save(
          DecisionStateChange,
          manager.create(DecisionStateChange, {
            decisionId: id,
            fromState: from,
            toState: dto.state,
            comment: dto.comment ?? '',
            userId: actor.id || null,
          }),
        );
      }),
    );
    return this.decision(id);
  }

  /**
   * Carries a decision out on a measure: discontinue, extend, change, merge, or create a new one. The change
   * is written through MeasuresService with the decision as its recorded reason, and the measure is linked.
   */
  async apply(
    id: number,
    dto: ApplyDecisionDto,
    actor: Actor,
  ): Promise<{ decision: DecisionView; measure: MeasureView }> {
    const measureId = await RequestContext.withAudit({ action: 'decision_apply' }, () =>
      this.transactions.run(async (manager) => {
        const decision = await manager.findOne(Decision, {
          where: { id },
          relations: { meeting: { body: true }, measures: true },
        });
        if (!decision) throw notFound(DecisionError.NOT_FOUND, `Beschluss ${id} wurde nicht gefunden.`);
        const meeting = decision.meeting!;
        const reason =
          `Beschluss der ${meeting.body?.name ?? 'Sitzung'} vom ${meeting.date.split('-').reverse().join('.')}: ${decision.text}`.slice(
            0,
            2000,
          );
        // The decision acts on measures of its own plan only.
        if (dto.measureId !== undefined) {
          const target = await manager.findOne(Measure, {
            select: { id: true, frameworkId: true },
            where: { id: dto.measureId },
          });
          if (target?.frameworkId !== decision.frameworkId)
            throw notFound(
              MeasureError.NOT_FOUND,
              `${planWords().measure} ${dto.measureId} wurde nicht gefunden.`,
            );
        }
        if (dto.action === 'create') {
          const field = await manager.findOne(ActionField, {
            select: { id: true, frameworkId: true },
            where: { id: dto.measure!.actionFieldId },
          });
          if (field && field.frameworkId !== decision.frameworkId)
            throw new InvalidInputException([
              {
                field: 'measure.actionFieldId',
                messages: ['gehört zu einem anderen Rahmenkonzept als der Beschluss'],
              },
            ]);
        }
        let targetId: number;
        switch (dto.action) {
          case 'create': {
            const created = await this.measures.createWithin(manager, dto.measure!, actor, {
              decisionId: id,
              reason,
            });
            targetId = created.id;
            break;
          }
          case 'discontinue':
          case 'merge':
            await this.lifecycle.changeLifecycleWithin(
              manager,
              dto.measureId!,
              {
                version: dto.version!,
                lifecycle: dto.action === 'merge' ? 'merged' : 'discontinued',
                reason,
                mergedIntoId: dto.mergedIntoId,
              },
              actor,
              id,
            );
            targetId = dto.measureId!;
            break;
          case 'extend': {
            const measure = await this.measures.findEntity(dto.measureId!, manager);
            if (measure.plannedEnd && dto.plannedEnd! <= measure.plannedEnd) {
              throw new InvalidInputException([
                {
                  field: 'plannedEnd',
                  messages: [`muss nach dem bisherigen Ende (${measure.plannedEnd}) liegen`],
                },
              ]);
            }
            await this.measures.updateWithin(manager, dto.measureId!, { plannedEnd: dto.plannedEnd }, actor, {
              decisionId: id,
              reason,
              version: dto.version!,
            });
            targetId = dto.measureId!;
            break;
          }
          case 'change': {
            const changes = Object.fromEntries(
              Object.entries(dto.changes ?? {}).filter(([, v]) => v !== undefined),
            );
            if (Object.keys(changes).length === 0)
              throw new InvalidInputException([{ field: 'changes', messages: ['nennt keine Änderung'] }]);
            await this.measures.updateWithin(manager, dto.measureId!, changes, actor, {
              decisionId: id,
              reason,
              version: dto.version!,
            });
            targetId = dto.measureId!;
            break;
          }
        }
        if (!(decision.measures ?? []).some((m) => m.id === targetId)) {
          await manager.createQueryBuilder().relation(Decision, 'measures').of(id).add(targetId);
        }
        return targetId;
      }),
    );
    return { decision: await this.decision(id), measure: await this.measures.get(measureId) };
  }

  /** A plan's decisions taken in meetings within a period, with their state as it was at `asOf`. */
  async decisionsInPeriod(
    frameworkId: number,
    start: string,
    end: string,
    asOf: Date,
  ): Promise<DecisionView[]> {
    const decisions = await this.dataSource.manager
      .createQueryBuilder(Decision, 'd')
      .innerJoin(Meeting, 'm', 'm.id = d.meetingId')
      .where('d.frameworkId = :frameworkId', { frameworkId })
      .andWhere('m.date BETWEEN :start AND :end AND d.createdAt <= :asOf', { start, end, asOf })
      .orderBy('m.date', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
    if (decisions.length === 0) return [];
    const history = await this.dataSource.manager
      .createQueryBuilder(DecisionStateChange, 'h')
      .where('h.decisionId IN (:...ids) AND h.createdAt <= :asOf', { ids: decisions.map((d) => d.id), asOf })
      .orderBy('h.id', 'ASC')
      .getMany();
    for (const decision of decisions) {
      const last = history.filter((h) => h.decisionId === decision.id).at(-1);
      if (last) decision.state = last.toState;
    }
    return this.views(decisions, asOf.toISOString().slice(0, 10));
  }

  async overdueCount(today = todayInBremen()): Promise<number> {
    return this.dataSource.manager
      .createQueryBuilder(Decision, 'd')
      .where('d.dueDate < :today AND d.state IN (:...open)', { today, open: OPEN_STATES })
      .getCount();
  }

  private views(decisions: Decision[], today: string): Promise<DecisionView[]> {
    return decisionViews(this.dataSource.manager, decisions, today);
  }
}
