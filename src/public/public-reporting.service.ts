/**
 * Öffentliches Berichtswesen: what citizens may read of a published cycle. Everything comes from the cycle's
 * snapshot (the state frozen at its close, with the framework as it was then), and only its public fields:
 * code, title, description, field, goals, departments, level, status, progress, period and the Sachstand of
 * the accepted report the snapshot holds. Two choices add to them: the obstacles and next steps of that same
 * accepted report when the admin marked them public when publishing the cycle (`publicReportTexts`), and the
 * budget frozen in the snapshot when the plan makes it public (`publicBudget`). Review comments, authors,
 * reports that were not accepted, accounts and the audit trail never leave this service. A cycle that is not
 * published (never, or no more since its publication was taken back) or does not exist is answered alike: not
 * found.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { invalid, notFound } from '../common/http/domain-errors.js';
import { FrameworkError } from '../framework/framework-errors.js';
import { STATUS_KEY_LABELS, StatusTally } from '../dashboard/dashboard-breakdown.js';
import type { StatusBreakdown } from '../dashboard/dashboard.types.js';
import { Framework } from '../framework/framework.entity.js';
import { type MeasureLevel } from '../measures/measure.constants.js';
import { levelLabel } from '../framework/plan-shape.js';
import { isCounted, statusKeyOf, type StatusKey } from '../measures/measure-rules.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { CycleSnapshotItem } from '../reporting/cycle-snapshot-item.entity.js';
import { CycleSnapshot } from '../reporting/cycle-snapshot.entity.js';
import { frameworkEntriesFor } from '../reporting/framework-at-close.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ImplementationReportsService } from '../reporting/implementation-reports.service.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';

/**
 * The version of the open-data schema; a change that removes or renames a field raises the major number, one
 * that adds a field the minor number. 1.1: optional `obstacles`, `nextSteps` and `budget` of a measure.
 */
export const PUBLIC_SCHEMA_VERSION = '1.1';

export const PUBLIC_LICENCE = {
  id: 'dl-de/by-2-0',
  name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
  url: 'https://www.govdata.de/dl-de/by-2-0',
} as const;

export interface PublicCodeTitle {
  code: string;
  title: string;
}

export interface PublicCycle {
  /** The code of the plan the cycle belongs to (cycle codes repeat across plans). */
  plan: string;
  code: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  publishedAt: string;
  measureCount: number;
}

export interface PublicLicence {
  id: string;
  name: string;
  url: string;
}

export interface PublicPlan {
  code: string;
  name: string;
  version: string;
}

export interface PublicMetadata {
  title: string;
  publisher: string;
  plan: PublicPlan;
  cycle: { code: string; name: string; periodStart: string; periodEnd: string };
  publishedAt: string;
  snapshotTakenAt: string;
  licence: PublicLicence;
  schemaVersion: string;
  exampleData: boolean;
}

export interface PublicMeasure {
  code: string;
  title: string;
  description: string;
  actionField: PublicCodeTitle;
  goals: PublicCodeTitle[];
  leadDepartment: PublicCodeTitle;
  participatingDepartments: PublicCodeTitle[];
  level: MeasureLevel;
  levelLabel: string;
  status: StatusKey;
  statusLabel: string;
  progress: number | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  summary: string;
  /** Only when the cycle was published with its report texts: the accepted report's obstacles ('' without one). */
  obstacles?: string;
  /** Only when the cycle was published with its report texts: the accepted report's next steps. */
  nextSteps?: string;
  /** Only when the plan makes budgets public: the budget as at the close (euros), null when none was given. */
  budget?: number | null;
  isExample: boolean;
}

export interface PublicCycleData {
  metadata: PublicMetadata;
  totals: StatusBreakdown;
  measures: PublicMeasure[];
}

/** A cycle that is public now: the plan it belongs to, the cycle, and the snapshot its publication shows. */
export interface PublishedCycle {
  plan: Framework;
  cycle: ReportingCycle;
  snapshot: CycleSnapshot;
}

/** The formats of the Umsetzungsbericht as a document. */
export type PublicDocumentFormat = 'pdf' | 'docx';

const iso = (value: Date | string | undefined | null): string => (value ? new Date(value).toISOString() : '');

@Injectable()
export class PublicReportingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ImplementationReportsService,
  ) {}

  /**
   * The one rule for "is this cycle public": the cycle is published, has a current snapshot and belongs to the
   * plan with that code. `null` for the plan: the one plan with a published cycle of that code (400 when two
   * plans have one). Anything else is not found.
   */
  async publishedCycle(planCode: string | null, cycleCode: string): Promise<PublishedCycle> {
    const manager = this.dataSource.manager;
    const gone = () =>
      notFound(CycleError.NOT_FOUND, `Ein veröffentlichter Berichtszyklus ${cycleCode} ist nicht bekannt.`);
    if (planCode === null) {
      const candidates = await manager.findBy(ReportingCycle, { code: cycleCode, state: 'published' });
      const found: PublishedCycle[] = [];
      for (const candidate of candidates) {
        const plan = await manager.findOneBy(Framework, { id: candidate.frameworkId });
        const snapshot = plan ? await this.snapshotOf(candidate.id) : null;
        if (plan && snapshot) found.push({ plan, cycle: candidate, snapshot });
      }
      if (found.length > 1)
        throw invalid(
          FrameworkError.PLAN_REQUIRED,
          `Einen veröffentlichten Berichtszyklus ${cycleCode} gibt es in mehreren Rahmenkonzepten; bitte plan angeben (${found.map((f) => f.plan.code).join(', ')}).`,
        );
      if (!found[0]) throw gone();
      return found[0];
    }
    const plan = await manager.findOneBy(Framework, { code: planCode });
    const cycle = plan
      ? await manager.findOneBy(ReportingCycle, { code: cycleCode, state: 'published', frameworkId: plan.id })
      : null;
    const snapshot = cycle ? await this.snapshotOf(cycle.id) : null;
    if (!plan || !cycle || !snapshot) throw gone();
    return { plan, cycle, snapshot };
  }

  /**
   * The published document of a cycle: the latest final PDF or DOCX an admin generated since the snapshot was
   * taken (one from before belongs to an earlier close), or null.
   */
  finalDocument(
    cycleId: number,
    snapshotTakenAt: Date | string,
    format: PublicDocumentFormat,
  ): Promise<ImplementationReport | null> {
    return this.reports.latestFinal(cycleId, format, new Date(snapshotTakenAt));
  }

  /** The published cycles, of every plan or of the plan with that code, newest period first. */
  async cycles(planCode?: string): Promise<PublicCycle[]> {
    const plans = await this.dataSource.manager.find(
      Framework,
      planCode ? { where: { code: planCode } } : {},
    );
    if (planCode && plans.length === 0)
      throw notFound(FrameworkError.NOT_FOUND, `Ein Rahmenkonzept ${planCode} ist nicht bekannt.`);
    const codes = new Map(plans.map((p) => [p.id, p.code]));
    const cycles = await this.dataSource.manager.find(ReportingCycle, {
      where: { state: 'published' },
      order: { periodStart: 'DESC', id: 'ASC' },
    });
    const result: PublicCycle[] = [];
    for (const cycle of cycles) {
      const plan = codes.get(cycle.frameworkId);
      const snapshot = plan === undefined ? null : await this.snapshotOf(cycle.id);
      if (plan === undefined || !snapshot) continue;
      result.push({
        plan,
        code: cycle.code,
        name: cycle.name,
        periodStart: cycle.periodStart,
        periodEnd: cycle.periodEnd,
        publishedAt: iso(cycle.publishedAt),
        measureCount: snapshot.measureCount,
      });
    }
    return result;
  }

  /** A published cycle's public data: metadata, the totals by status and the measures, in code order. */
  async cycleData(code: string, planCode?: string): Promise<PublicCycleData> {
    return this.publishedData(await this.publishedCycle(planCode ?? null, code));
  }

  /** The public data of a cycle that publishedCycle found public. */
  async publishedData({ plan: framework, cycle, snapshot }: PublishedCycle): Promise<PublicCycleData> {
    const manager = this.dataSource.manager;
    const [entries, items] = await Promise.all([
      frameworkEntriesFor(manager, snapshot, cycle.frameworkId),
      manager.find(CycleSnapshotItem, {
        where: { snapshotId: snapshot.id },
        order: { sortKey: 'ASC', code: 'ASC' },
      }),
    ]);
    const goals = new Map(entries.goals.map((g) => [g.code, g.title]));
    const departments = new Map(entries.departments.map((d) => [d.code, d.name]));
    const counted = items.filter((i) => isCounted(i.lifecycle));
    const measures = counted.map((item): PublicMeasure => {
      const status = statusKeyOf(item);
      const m = item.master;
      return {
        code: item.code,
        title: m.title,
        description: m.description,
        actionField: { code: m.actionFieldCode, title: m.actionFieldTitle },
        goals: m.goalCodes.map((c) => ({ code: c, title: goals.get(c) ?? '' })),
        leadDepartment: { code: m.leadDepartmentCode, title: m.leadDepartmentName },
        participatingDepartments: m.participatingDepartmentCodes.map((c) => ({
          code: c,
          title: departments.get(c) ?? '',
        })),
        level: item.level,
        levelLabel: levelLabel(framework, item.level),
        status,
        statusLabel: STATUS_KEY_LABELS[status],
        progress: item.reportId === null ? null : item.progress,
        plannedStart: m.plannedStart,
        plannedEnd: m.plannedEnd,
        // The snapshot holds the latest accepted report of the period: its Sachstand is public, its
        // obstacles and next steps when the cycle was published with them.
        summary: item.reportId === null ? '' : item.summary,
        ...(cycle.publicReportTexts
          ? {
              obstacles: item.reportId === null ? '' : item.obstacles,
              nextSteps: item.reportId === null ? '' : item.nextSteps,
            }
          : {}),
        ...(framework.publicBudget ? { budget: m.budget ?? null } : {}),
        isExample: item.isExample,
      };
    });
    return {
      metadata: {
        title: `${framework.name}: Umsetzungsstand ${cycle.name}`,
        publisher: framework.region,
        plan: {
          code: framework.code,
          name: framework.name,
          version: snapshot.framework?.version ?? framework.version,
        },
        cycle: {
          code: cycle.code,
          name: cycle.name,
          periodStart: cycle.periodStart,
          periodEnd: cycle.periodEnd,
        },
        publishedAt: iso(cycle.publishedAt),
        snapshotTakenAt: iso(snapshot.takenAt),
        licence: { ...PUBLIC_LICENCE },
        schemaVersion: PUBLIC_SCHEMA_VERSION,
        exampleData: measures.some((m) => m.isExample),
      },
      totals: totalsOf(measures),
      measures,
    };
  }

  private snapshotOf(cycleId: number): Promise<CycleSnapshot | null> {
    return this.dataSource.manager.findOne(CycleSnapshot, {
      where: { cycleId, supersededAt: IsNull() },
      order: { id: 'DESC' },
    });
  }
}

/** Counts by status key and the average progress, by the dashboard's rules. */
function totalsOf(measures: PublicMeasure[]): StatusBreakdown {
  const tally = new StatusTally();
  for (const m of measures) tally.add(m.status, m.progress);
  return tally.breakdown();
}
