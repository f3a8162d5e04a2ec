/**
 * Sitzungen: meetings of a governance body (participation formats with type, topics and participants), with
 * every referenced body, department and action field checked before anything is written.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { departmentsOutsidePlan } from '../framework/plan-departments.js';
import { readPage } from '../common/paging.js';
import { type Page } from '../common/paging.js';
import { DecisionsService } from './decisions.service.js';
import type { DecisionView } from './decision.view.js';
import type { CreateMeetingDto, MeetingQueryDto, UpdateMeetingDto } from './dto/governance.dto.js';
import { type BodyMember, GovernanceBody, membersOn } from './governance-body.entity.js';
import { LEGACY_PARTICIPATION_TYPES } from './governance.constants.js';
import { Meeting } from './meeting.entity.js';
import { MeetingError } from './meeting-errors.js';
import { resolvePlan } from '../framework/plans.service.js';
import { planWord, planWords, said } from '../framework/request-words.js';

const MAX_ID = 2_147_483_647;

/** The ids among `ids` that no row of `entity` has. */
async function missingIds(
  manager: EntityManager,
  entity: typeof Department | typeof ActionField,
  ids: number[],
): Promise<number[]> {
  if (!ids.length) return [];
  const found = await manager.findBy(entity, { id: In(ids) });
  return ids.filter((id) => !found.some((f) => f.id === id));
}

/**
 * The body's format a meeting names (by name, case-insensitive, or by one of Bremen's former codes), as the
 * body spells it; null when none is named or the body has no such format.
 */
function formatOf(body: GovernanceBody, type: string | null | undefined): string | null {
  if (!type) return null;
  const formats = body.participationFormats ?? [];
  const wanted = (LEGACY_PARTICIPATION_TYPES[type] ?? type).toLocaleLowerCase('de');
  return formats.find((f) => f.toLocaleLowerCase('de') === wanted) ?? null;
}

@Injectable()
export class MeetingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly decisions: DecisionsService,
  ) {}

  async listMeetings(query: MeetingQueryDto): Promise<Page<Meeting>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.dataSource.manager.createQueryBuilder(Meeting, 'm');
    // Always the request's plan (see resolvePlan): a body of another plan lists nothing.
    const plan = await resolvePlan(this.dataSource.manager, query.frameworkId);
    qb.andWhere('m.frameworkId = :plan', { plan });
    if (query.bodyId) qb.andWhere('m.bodyId = :bodyId', { bodyId: query.bodyId });
    if (query.year)
      qb.andWhere('m.date BETWEEN :from AND :to', { from: `${query.year}-01-01`, to: `${query.year}-12-31` });
    const [items, total] = await readPage(
      qb.orderBy('m.date', 'DESC').addOrderBy('m.id', 'DESC'),
      page,
      pageSize,
    );
    return { items, total, page, pageSize };
  }

  /** A meeting with its decisions and who was a member of its body on its day. */
  async meeting(id: number): Promise<Meeting & { decisions: DecisionView[]; members: BodyMember[] }> {
    const meeting = await this.dataSource.manager.findOneBy(Meeting, { id });
    if (!meeting) throw notFound(MeetingError.NOT_FOUND, `Sitzung ${id} wurde nicht gefunden.`);
    const decisions = await this.decisions.listDecisions({
      meetingId: id,
      pageSize: 200,
      frameworkId: meeting.frameworkId,
    });
    const body = await this.dataSource.manager.findOneBy(GovernanceBody, { id: meeting.bodyId });
    return { ...meeting, decisions: decisions.items, members: membersOn(body?.members ?? [], meeting.date) };
  }

  async createMeeting(dto: CreateMeetingDto, options: { isExample?: boolean } = {}): Promise<Meeting> {
    const id = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        const body = await this.checkMeeting(manager, dto.bodyId, dto);
        const participationType = formatOf(body, dto.participationType);
        const saved = await manager.save(
          Meeting,
          manager.create(Meeting, {
            frameworkId: body.frameworkId,
            bodyId: body.id,
            date: dto.date,
            title: dto.title,
            place: dto.place ?? '',
            attendingDepartmentIds: dto.attendingDepartmentIds ?? [],
            agenda: dto.agenda ?? '',
            minutesSummary: dto.minutesSummary ?? '',
            participationType,
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
        if (!meeting) throw notFound(MeetingError.NOT_FOUND, `Sitzung ${id} wurde nicht gefunden.`);
        if (meeting.version !== dto.version) {
          throw conflict(
            MeetingError.STALE_VERSION,
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
        const body = await this.checkMeeting(manager, meeting.bodyId, merged);
        Object.assign(meeting, merged, {
          version: version + 1,
          participationType: formatOf(body, merged.participationType),
        });
        await manager.save(Meeting, meeting);
      }),
    );
    return this.dataSource.manager.findOneByOrFail(Meeting, { id });
  }

  /**
   * A plan's meetings dated within a period, as recorded by `asOf` (a closed cycle's report ignores later
   * entries).
   */
  meetingsInPeriod(frameworkId: number, start: string, end: string, asOf: Date): Promise<Meeting[]> {
    return this.dataSource.manager
      .createQueryBuilder(Meeting, 'm')
      .where('m.frameworkId = :frameworkId', { frameworkId })
      .andWhere('m.date BETWEEN :start AND :end AND m.createdAt <= :asOf', { start, end, asOf })
      .orderBy('m.date', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
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
    const w = planWords();
    if (!body) errors.push({ field: 'bodyId', messages: [`${w.body} ${bodyId} gibt es nicht`] });
    const missingDepartments = await missingIds(manager, Department, dto.attendingDepartmentIds ?? []);
    if (missingDepartments.length)
      errors.push({
        field: 'attendingDepartmentIds',
        messages: [
          `${said('Ressort(s)', () => w.organisations)} ${missingDepartments.join(', ')} gibt es nicht`,
        ],
      });
    const fieldIds = dto.topicActionFieldIds ?? [];
    const missingFields = await missingIds(manager, ActionField, fieldIds);
    if (missingFields.length)
      errors.push({
        field: 'topicActionFieldIds',
        messages: [`${said('Handlungsfeld(er)', () => w.fields)} ${missingFields.join(', ')} gibt es nicht`],
      });
    // A meeting of a body names only its plan's action fields and the organisations taking part in the plan.
    if (body) {
      const fields = fieldIds.length ? await manager.findBy(ActionField, { id: In(fieldIds) }) : [];
      const foreignFields = fields.filter((f) => f.frameworkId !== body.frameworkId);
      if (foreignFields.length)
        errors.push({
          field: 'topicActionFieldIds',
          messages: [
            `${said('Handlungsfeld(er)', () => w.fields)} ${foreignFields.map((f) => f.code).join(', ')} gehören zu einem anderen ${planWord()}`,
          ],
        });
      const attending = (dto.attendingDepartmentIds ?? []).filter((id) => !missingDepartments.includes(id));
      const outside = await departmentsOutsidePlan(manager, body.frameworkId, attending);
      if (outside.length)
        errors.push({
          field: 'attendingDepartmentIds',
          messages: [
            `${said('Ressort(s)', () => w.organisations)} ${outside.join(', ')} nehmen an diesem ${planWord()} nicht teil`,
          ],
        });
    }
    const formats = body?.participationFormats ?? [];
    if (body && formats.length === 0) {
      const message = `nur bei Beteiligungsformaten möglich: ${body.name} hat keine Formate`;
      for (const field of ['participationType', 'participantCount'] as const) {
        if (dto[field] !== undefined && dto[field] !== null) errors.push({ field, messages: [message] });
      }
      if (fieldIds.length) errors.push({ field: 'topicActionFieldIds', messages: [message] });
    } else if (body && dto.participationType && formatOf(body, dto.participationType) === null) {
      errors.push({
        field: 'participationType',
        messages: [
          said(
            `„${dto.participationType}“ ist kein Format des Gremiums ${body.name}; erlaubt: ${formats.join(', ')}`,
            () =>
              `„${dto.participationType}“ ist kein Format von ${body.name} (${w.body}); erlaubt: ${formats.join(', ')}`,
          ),
        ],
      });
    }
    if (errors.length) throw new InvalidInputException(errors);
    return body!;
  }
}
