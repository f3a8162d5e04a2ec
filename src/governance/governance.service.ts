/**
 * Gremien, Sitzungen und Beschlüsse: meetings per body, decisions with responsible department, due date and
 * state history, and carrying a decision out on a measure with the decision recorded as the change's reason.
 * Cadence compliance counts meetings per body and year against the body's cadence.
 */
import { enforce } from '../common/auth/policy.js';
import { canChangeDecisionState } from './decision-policy.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { num, queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { MeasureChange } from '../measures/measure-change.entity.js';
import { Measure } from '../measures/measure.entity.js';
import { type MeasureView } from '../measures/measure.view.js';
import { MeasuresService, type Page } from '../measures/measures.service.js';
import { todayInBremen } from '../measures/status-reports.service.js';
import { DecisionStateChange } from './decision-state-change.entity.js';
import { Decision } from './decision.entity.js';
import type {
  ApplyDecisionDto,
  ChangeDecisionStateDto,
  CreateDecisionDto,
  CreateMeetingDto,
  DecisionQueryDto,
  MeetingQueryDto,
  UpdateMeetingDto,
} from './dto/governance.dto.js';
import { GovernanceBody } from './governance-body.entity.js';
import {
  DECISION_KIND_LABELS,
  DECISION_STATE_LABELS,
  type DecisionState,
  PARTICIPATION_BODY_CODE,
} from './governance.constants.js';
import { Meeting } from './meeting.entity.js';

export type CadenceStatus = 'met' | 'below' | 'above' | 'running';

export interface CadenceRow {
  bodyId: number;
  code: string;
  name: string;
  year: number;
  held: number;
  min: number;
  max: number | null;
  status: CadenceStatus;
  label: string;
}

export interface DecisionView {
  id: number;
  meetingId: number;
  meetingDate: string;
  meetingTitle: string;
  bodyId: number;
  bodyName: string;
  kind: Decision['kind'];
  kindLabel: string;
  text: string;
  measureIds: number[];
  responsibleDepartmentId: number;
  dueDate: string | null;
  state: DecisionState;
  stateLabel: string;
  overdue: boolean;
  isExample: boolean;
  version: number;
  history?: DecisionStateChange[];
  changes?: MeasureChange[];
}

const OPEN_STATES: DecisionState[] = ['open', 'in_progress'];
const MAX_ID = 2_147_483_647;

@Injectable()
export class GovernanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly measures: MeasuresService,
  ) {}

  bodies(): Promise<GovernanceBody[]> {
    return this.dataSource.manager.find(GovernanceBody, { order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  async body(id: number): Promise<GovernanceBody> {
    const body = await this.dataSource.manager.findOneBy(GovernanceBody, { id });
    if (!body) throw notFound('BODY.NOT_FOUND', `Gremium ${id} wurde nicht gefunden.`);
    return body;
  }

  async listMeetings(query: MeetingQueryDto): Promise<Page<Meeting>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.dataSource.manager.createQueryBuilder(Meeting, 'm');
    if (query.bodyId) qb.andWhere('m.bodyId = :bodyId', { bodyId: query.bodyId });
    if (query.year)
      qb.andWhere('m.date BETWEEN :from AND :to', { from: `${query.year}-01-01`, to: `${query.year}-12-31` });
    const [items, total] = await qb
      .orderBy('m.date', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total, page, pageSize };
  }

  async meeting(id: number): Promise<Meeting & { decisions: DecisionView[] }> {
    const meeting = await this.dataSource.manager.findOneBy(Meeting, { id });
    if (!meeting) throw notFound('MEETING.NOT_FOUND', `Sitzung ${id} wurde nicht gefunden.`);
    const decisions = await this.listDecisions({ meetingId: id, pageSize: 200 });
    return { ...meeting, decisions: decisions.items };
  }

  async createMeeting(dto: CreateMeetingDto, options: { isExample?: boolean } = {}): Promise<Meeting> {
    const id = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        const body = await this.checkMeeting(manager, dto.bodyId, dto);
        const saved = await manager.save(
          Meeting,
          manager.create(Meeting, {
            bodyId: body.id,
            date: dto.date,
            title: dto.title,
            place: dto.place ?? '',
            attendingDepartmentIds: dto.attendingDepartmentIds ?? [],
            agenda: dto.agenda ?? '',
            minutesSummary: dto.minutesSummary ?? '',
            participationType: dto.participationType ?? null,
            topicActionFieldIds: dto.topicActionFieldIds ?? [],
            participantCount: dto.participantCount ?? null,
            isExample: options.isExample ?? false,
          }),
        );
        return saved.id;
      }),
    );
    return this.dataSource.manager.findOneByOrFail(Meeting, { id });
  }

  async updateMeeting(id: number, dto: UpdateMeetingDto): Promise<Meeting> {
    await RequestContext.withAudit({ action: 'update' }, () =>
      this.transactions.run(async (manager) => {
        const meeting = await manager.findOneBy(Meeting, { id });
        if (!meeting) throw notFound('MEETING.NOT_FOUND', `Sitzung ${id} wurde nicht gefunden.`);
        if (meeting.version !== dto.version) {
          throw conflict(
            'MEETING.STALE_VERSION',
            'Die Sitzung wurde inzwischen geändert. Bitte laden Sie sie neu.',
            {
              currentVersion: meeting.version,
            },
          );
        }
        const { version, ...changes } = dto;
        const merged = {
          ...meeting,
          ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
        };
        await this.checkMeeting(manager, meeting.bodyId, merged);
        Object.assign(meeting, merged, { version: version + 1 });
        await manager.save(Meeting, meeting);
      }),
    );
    return this.dataSource.manager.findOneByOrFail(Meeting, { id });
  }

  async listDecisions(query: DecisionQueryDto, today = todayInBremen()): Promise<Page<DecisionView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.dataSource.manager.createQueryBuilder(Decision, 'd');
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
    const [rows, total] = await qb
      .orderBy('d.dueDate', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: await this.views(rows, today), total, page, pageSize };
  }

  async decision(id: number): Promise<DecisionView> {
    const decision = await this.dataSource.manager.findOneBy(Decision, { id });
    if (!decision) throw notFound('DECISION.NOT_FOUND', `Beschluss ${id} wurde nicht gefunden.`);
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
        if (!(await manager.existsBy(Meeting, { id: dto.meetingId }))) {
          errors.push({
            field: 'meetingId',
            messages: [`Sitzung ${dto.meetingId} gibt es nicht; ein Beschluss gehört immer zu einer Sitzung`],
          });
        }
        if (!(await manager.existsBy(Department, { id: dto.responsibleDepartmentId }))) {
          errors.push({
            field: 'responsibleDepartmentId',
            messages: [`Ressort ${dto.responsibleDepartmentId} gibt es nicht`],
          });
        }
        const measureIds = dto.measureIds ?? [];
        const found = measureIds.length ? await manager.findBy(Measure, { id: In(measureIds) }) : [];
        const missing = measureIds.filter((m) => !found.some((f) => f.id === m));
        if (missing.length)
          errors.push({ field: 'measureIds', messages: [`Maßnahme(n) ${missing.join(', ')} gibt es nicht`] });
        if (errors.length) throw new InvalidInputException(errors);
        const state = options.state ?? 'open';
        const saved = await manager.save(
          Decision,
          manager.create(Decision, {
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
        if (!decision) throw notFound('DECISION.NOT_FOUND', `Beschluss ${id} wurde nicht gefunden.`);
        enforce(canChangeDecisionState(actor, decision));
        if (decision.version !== dto.version) {
          throw conflict(
            'DECISION.STALE_VERSION',
            'Der Beschluss wurde inzwischen geändert. Bitte laden Sie ihn neu.',
            { currentVersion: decision.version },
          );
        }
        if (decision.state === dto.state) {
          throw conflict(
            'DECISION.STATE_UNCHANGED',
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
        if (!decision) throw notFound('DECISION.NOT_FOUND', `Beschluss ${id} wurde nicht gefunden.`);
        const meeting = decision.meeting!;
        const reason =
          `Beschluss der ${meeting.body?.name ?? 'Sitzung'} vom ${meeting.date.split('-').reverse().join('.')}: ${decision.text}`.slice(
            0,
            2000,
          );
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
            await this.measures.changeLifecycleWithin(
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

  /** Meetings held per body in a year against the cadence; the current year is "running" while below. */
  async cadence(year: number, today = todayInBremen(), asOf?: Date): Promise<CadenceRow[]> {
    const bodies = await this.bodies();
    const counts = await queryNamed<{ bodyId: number; n: number }>(
      this.dataSource.manager,
      `SELECT "bodyId", COUNT(*) AS "n" FROM "meetings"
        WHERE "date" BETWEEN :from AND :to ${asOf ? 'AND "createdAt" <= :asOf' : ''} GROUP BY "bodyId"`,
      { from: `${year}-01-01`, to: `${year}-12-31`, asOf },
    );
    const held = new Map(counts.map((c) => [num(c.bodyId), num(c.n)]));
    const currentYear = Number(today.slice(0, 4));
    return bodies.map((body) => {
      const n = held.get(body.id) ?? 0;
      const min = body.minMeetingsPerYear;
      const max = body.maxMeetingsPerYear;
      let status: CadenceStatus = 'met';
      if (max !== null && n > max) status = 'above';
      else if (n < min) status = year >= currentYear ? 'running' : 'below';
      const range = max === null ? `mindestens ${min}` : min === max ? `${min}` : `${min}–${max}`;
      const label = `${body.name} tagte ${year} ${n}-mal (Soll: ${range})`;
      return { bodyId: body.id, code: body.code, name: body.name, year, held: n, min, max, status, label };
    });
  }

  /** Meetings dated within a period, as recorded by `asOf` (a closed cycle's report ignores later entries). */
  meetingsInPeriod(start: string, end: string, asOf: Date): Promise<Meeting[]> {
    return this.dataSource.manager
      .createQueryBuilder(Meeting, 'm')
      .where('m.date BETWEEN :start AND :end AND m.createdAt <= :asOf', { start, end, asOf })
      .orderBy('m.date', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
  }

  /** Decisions taken in meetings within a period, with their state as it was at `asOf`. */
  async decisionsInPeriod(start: string, end: string, asOf: Date): Promise<DecisionView[]> {
    const decisions = await this.dataSource.manager
      .createQueryBuilder(Decision, 'd')
      .innerJoin(Meeting, 'm', 'm.id = d.meetingId')
      .where('m.date BETWEEN :start AND :end AND d.createdAt <= :asOf', { start, end, asOf })
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

  private async checkMeeting(
    manager: EntityManager,
    bodyId: number,
    dto: {
      attendingDepartmentIds?: number[];
      topicActionFieldIds?: number[];
      participationType?: string | null;
      participantCount?: number | null;
    },
  ): Promise<GovernanceBody> {
    const errors: FieldError[] = [];
    const body = bodyId <= MAX_ID ? await manager.findOneBy(GovernanceBody, { id: bodyId }) : null;
    if (!body) errors.push({ field: 'bodyId', messages: [`Gremium ${bodyId} gibt es nicht`] });
    const departmentIds = dto.attendingDepartmentIds ?? [];
    if (departmentIds.length) {
      const found = await manager.findBy(Department, { id: In(departmentIds) });
      const missing = departmentIds.filter((d) => !found.some((f) => f.id === d));
      if (missing.length)
        errors.push({
          field: 'attendingDepartmentIds',
          messages: [`Ressort(s) ${missing.join(', ')} gibt es nicht`],
        });
    }
    const fieldIds = dto.topicActionFieldIds ?? [];
    if (fieldIds.length) {
      const found = await manager.findBy(ActionField, { id: In(fieldIds) });
      const missing = fieldIds.filter((f) => !found.some((x) => x.id === f));
      if (missing.length)
        errors.push({
          field: 'topicActionFieldIds',
          messages: [`Handlungsfeld(er) ${missing.join(', ')} gibt es nicht`],
        });
    }
    if (body && body.code !== PARTICIPATION_BODY_CODE) {
      for (const field of ['participationType', 'participantCount'] as const) {
        if (dto[field] !== undefined && dto[field] !== null) {
          errors.push({ field, messages: ['nur bei Beteiligungsformaten möglich'] });
        }
      }
      if (fieldIds.length)
        errors.push({ field: 'topicActionFieldIds', messages: ['nur bei Beteiligungsformaten möglich'] });
    }
    if (errors.length) throw new InvalidInputException(errors);
    return body!;
  }

  private async views(decisions: Decision[], today: string): Promise<DecisionView[]> {
    if (decisions.length === 0) return [];
    const ids = decisions.map((d) => d.id);
    const links = await queryNamed<{ decisionId: number; measureId: number }>(
      this.dataSource.manager,
      `SELECT "decisionId", "measureId" FROM "decision_measures" WHERE "decisionId" IN (:...ids) ORDER BY "measureId"`,
      { ids },
    );
    const meetings = new Map(
      (
        await this.dataSource.manager.find(Meeting, {
          where: { id: In([...new Set(decisions.map((d) => d.meetingId))]) },
          relations: { body: true },
        })
      ).map((m) => [m.id, m]),
    );
    return decisions.map((d) => {
      const meeting = meetings.get(d.meetingId);
      return {
        id: d.id,
        meetingId: d.meetingId,
        meetingDate: meeting?.date ?? '',
        meetingTitle: meeting?.title ?? '',
        bodyId: meeting?.bodyId ?? 0,
        bodyName: meeting?.body?.name ?? '',
        kind: d.kind,
        kindLabel: DECISION_KIND_LABELS[d.kind],
        text: d.text,
        measureIds: links.filter((l) => num(l.decisionId) === d.id).map((l) => num(l.measureId)),
        responsibleDepartmentId: d.responsibleDepartmentId,
        dueDate: d.dueDate,
        state: d.state,
        stateLabel: DECISION_STATE_LABELS[d.state],
        overdue: !!d.dueDate && d.dueDate < today && OPEN_STATES.includes(d.state),
        isExample: d.isExample,
        version: d.version,
      };
    });
  }
}
