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
import { planWords } from '../framework/request-words.js';

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
  /** How the body's cadence is set: meetings per year, or an interval in weeks between meetings. */
  cadenceKind: 'perYear' | 'intervalWeeks';
  intervalWeeksMin: number | null;
  intervalWeeksMax: number | null;
  /** With an interval: the longest gap in the year in whole weeks (between meetings, or since the last one). */
  longestGapWeeks: number | null;
  /** With an interval: a gap longer than intervalWeeksMax weeks. */
  overdue: boolean;
  /** "überfällig: 13 Wochen seit der letzten Sitzung, vorgesehen alle 10–12 Wochen"; null when not overdue. */
  overdueLabel: string | null;
}

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function germanDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

/** "alle 10–12 Wochen", "alle 4 Wochen", "mindestens alle 6 Wochen" for an interval cadence. */
export function intervalText(min: number, max: number | null): string {
  if (max === null) return `frühestens alle ${min} Wochen`;
  return min === max ? `alle ${min} Wochen` : `alle ${min}–${max} Wochen`;
}

export interface IntervalJudgement {
  longestGapWeeks: number | null;
  overdue: boolean;
  overdueLabel: string | null;
}

/**
 * A body with an interval cadence is judged by the gaps between its meetings that end in the window
 * [`start`, `end`] and by the gap from its last meeting to `end` (today, or the end of the period): a gap of
 * more than `max` weeks (counted in days, so 12 weeks and 3 days is over 12) makes it overdue. The longest gap
 * is the one reported. Without any meeting before `end` the gap is counted from `start`.
 */
export function judgeInterval(
  meetingDays: string[],
  start: string,
  end: string,
  min: number,
  max: number | null,
): IntervalJudgement {
  const days = [...new Set(meetingDays.filter((d) => d <= end))].sort();
  const gaps: { days: number; text: (weeks: number) => string }[] = [];
  for (let i = 1; i < days.length; i++) {
    if (days[i] < start) continue;
    const [from, to] = [days[i - 1], days[i]];
    gaps.push({
      days: daysBetween(from, to),
      text: (weeks) => `${weeks} Wochen zwischen den Sitzungen am ${germanDay(from)} und ${germanDay(to)}`,
    });
  }
  const last = days.at(-1);
  if (last) {
    gaps.push({ days: daysBetween(last, end), text: (weeks) => `${weeks} Wochen seit der letzten Sitzung` });
  } else {
    gaps.push({ days: daysBetween(start, end), text: (weeks) => `${weeks} Wochen ohne Sitzung` });
  }
  const longest = gaps.reduce((a, b) => (b.days > a.days ? b : a));
  const weeks = Math.floor(longest.days / 7);
  const overdue = max !== null && longest.days > max * 7;
  return {
    longestGapWeeks: weeks,
    overdue,
    overdueLabel: overdue ? `überfällig: ${longest.text(weeks)}, vorgesehen ${intervalText(min, max)}` : null,
  };
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
    if (!body) throw notFound(BodyError.NOT_FOUND, `${planWords().body} ${id} wurde nicht gefunden.`);
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
    const yearEnd = `${year}-12-31`;
    const end = yearEnd < today ? yearEnd : today;
    const intervalBodies = bodies.filter((b) => b.intervalWeeksMin !== null);
    const meetingDays = new Map<number, string[]>();
    if (intervalBodies.length && `${year}-01-01` <= end) {
      // Every meeting up to the end counts: the gap to the year's first meeting begins with the one before.
      const rows = await queryNamed<{ bodyId: number; date: string }>(
        this.dataSource.manager,
        `SELECT "bodyId", CAST("date" AS VARCHAR(10)) AS "date" FROM "meetings"
          WHERE "frameworkId" = :plan AND "date" <= :end ${asOf ? 'AND "createdAt" <= :asOf' : ''}`,
        { plan, end, asOf },
      );
      for (const row of rows) {
        const day = String(row.date).slice(0, 10);
        const list = meetingDays.get(num(row.bodyId)) ?? [];
        list.push(day);
        meetingDays.set(num(row.bodyId), list);
      }
    }
    return bodies.map((body): CadenceRow => {
      const n = held.get(body.id) ?? 0;
      const min = body.minMeetingsPerYear;
      const max = body.maxMeetingsPerYear;
      const perYear = {
        bodyId: body.id,
        code: body.code,
        name: body.name,
        year,
        held: n,
        min,
        max,
        intervalWeeksMin: body.intervalWeeksMin,
        intervalWeeksMax: body.intervalWeeksMax,
      };
      if (body.intervalWeeksMin === null) {
        const status = cadenceStatus(n, min, max, year, currentYear);
        const range = max === null ? `mindestens ${min}` : min === max ? `${min}` : `${min}–${max}`;
        const label = `${body.name} tagte ${year} ${n}-mal (Soll: ${range})`;
        return {
          ...perYear,
          status,
          label,
          cadenceKind: 'perYear',
          longestGapWeeks: null,
          overdue: false,
          overdueLabel: null,
        };
      }
      const expected = intervalText(body.intervalWeeksMin, body.intervalWeeksMax);
      // A year that has not begun yet has no gaps to judge.
      const judged =
        `${year}-01-01` <= end
          ? judgeInterval(
              meetingDays.get(body.id) ?? [],
              `${year}-01-01`,
              end,
              body.intervalWeeksMin,
              body.intervalWeeksMax,
            )
          : { longestGapWeeks: null, overdue: false, overdueLabel: null };
      const label = judged.overdue
        ? `${body.name} tagte ${year} ${n}-mal – ${judged.overdueLabel}`
        : `${body.name} tagte ${year} ${n}-mal (Soll: ${expected})`;
      return {
        ...perYear,
        status: judged.overdue ? 'below' : 'met',
        label,
        cadenceKind: 'intervalWeeks',
        ...judged,
      };
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
