/**
 * Gremien and their cadence: the governance bodies, and meetings held per body and year against the body's
 * cadence. Meetings are in MeetingsService, decisions in DecisionsService; the period reads of both are
 * offered here too, for the Umsetzungsbericht, which reads governance through this service.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../common/http/domain-errors.js';
import { num, queryNamed } from '../database/sql.js';
import { todayInBremen } from '../common/dates.js';
import { DecisionsService } from './decisions.service.js';
import type { DecisionView } from './decision.view.js';
import { GovernanceBody } from './governance-body.entity.js';
import type { Meeting } from './meeting.entity.js';
import { MeetingsService } from './meetings.service.js';
import { BodyError } from './body-errors.js';
import { resolvePlan } from '../framework/plans.service.js';

export type { DecisionView };

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

/** Whether a body met its cadence in a year: above the maximum, below the minimum (or the year still running). */
export function cadenceStatus(
  held: number,
  min: number,
  max: number | null,
  year: number,
  currentYear: number,
): CadenceStatus {
  if (max !== null && held > max) return 'above';
  if (held < min) return year >= currentYear ? 'running' : 'below';
  return 'met';
}

@Injectable()
export class GovernanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly meetings: MeetingsService,
    private readonly decisions: DecisionsService,
  ) {}

  /** A plan's bodies (see resolvePlan). */
  async bodies(frameworkId?: number): Promise<GovernanceBody[]> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    return this.dataSource.manager.find(GovernanceBody, {
      where: { frameworkId: plan },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
  }

  async body(id: number): Promise<GovernanceBody> {
    const body = await this.dataSource.manager.findOneBy(GovernanceBody, { id });
    if (!body) throw notFound(BodyError.NOT_FOUND, `Gremium ${id} wurde nicht gefunden.`);
    return body;
  }

  /**
   * Meetings held per body of a plan in a year against the cadence; the current year is "running" while below.
   */
  async cadence(
    year: number,
    today = todayInBremen(),
    asOf?: Date,
    frameworkId?: number,
  ): Promise<CadenceRow[]> {
    const plan = await resolvePlan(this.dataSource.manager, frameworkId);
    const bodies = await this.bodies(plan);
    const counts = await queryNamed<{ bodyId: number; n: number }>(
      this.dataSource.manager,
      `SELECT "bodyId", COUNT(*) AS "n" FROM "meetings"
        WHERE "frameworkId" = :plan AND "date" BETWEEN :from AND :to ${asOf ? 'AND "createdAt" <= :asOf' : ''}
        GROUP BY "bodyId"`,
      { plan, from: `${year}-01-01`, to: `${year}-12-31`, asOf },
    );
    const held = new Map(counts.map((c) => [num(c.bodyId), num(c.n)]));
    const currentYear = Number(today.slice(0, 4));
    return bodies.map((body) => {
      const n = held.get(body.id) ?? 0;
      const min = body.minMeetingsPerYear;
      const max = body.maxMeetingsPerYear;
      const status = cadenceStatus(n, min, max, year, currentYear);
      const range = max === null ? `mindestens ${min}` : min === max ? `${min}` : `${min}–${max}`;
      const label = `${body.name} tagte ${year} ${n}-mal (Soll: ${range})`;
      return { bodyId: body.id, code: body.code, name: body.name, year, held: n, min, max, status, label };
    });
  }

  /**
   * A plan's meetings dated within a period, as recorded by `asOf` (a closed cycle's report ignores later
   * entries).
   */
  meetingsInPeriod(frameworkId: number, start: string, end: string, asOf: Date): Promise<Meeting[]> {
    return this.meetings.meetingsInPeriod(frameworkId, start, end, asOf);
  }

  /** A plan's decisions taken in meetings within a period, with their state as it was at `asOf`. */
  decisionsInPeriod(frameworkId: number, start: string, end: string, asOf: Date): Promise<DecisionView[]> {
    return this.decisions.decisionsInPeriod(frameworkId, start, end, asOf);
  }
}
