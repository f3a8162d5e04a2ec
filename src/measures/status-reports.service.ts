/**
 * Status reports (Sachstandsmeldungen): append-only. A report arrives as "submitted" (or "accepted" at once
 * when the coordinating unit enters it itself); an admin accepts or returns it. A measure's current status is
 * its latest accepted report, mirrored onto the measure in the same transaction.
 */
import { todayInBremen } from '../common/dates.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, type EntityManager, In, Repository } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import { RequestContext } from '../common/context/request-context.js';
import { conflict, DomainError, notFound } from '../common/http/domain-errors.js';
import { InvalidInputException } from '../common/http/validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type {
  BulkReviewStatusReportsDto,
  CreateStatusReportDto,
  ReviewQueueQueryDto,
  ReviewStatusReportDto,
} from './dto/status-report.dto.js';
import { acceptsReports, assertCanWriteMeasure, canReview, initialReviewState } from './measure-policy.js';
import { enforce } from '../common/auth/policy.js';
import { REVIEW_STATE_LABELS, type ReviewState } from './measure.constants.js';
import { Measure } from './measure.entity.js';
import { writerIn } from '../auth/memberships.js';
import { resolvePlan } from '../framework/plans.service.js';
import type { Page } from '../common/paging.js';
import { StatusReport } from './status-report.entity.js';
import { cycleAcceptsReports } from '../reporting/cycle-rules.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { LATEST_FIRST } from './measure-rules.js';
import { type StatusReportView, toStatusReportView } from './measure.view.js';
import type { BulkReviewResult } from './status-review.response.js';
import { MeasureError } from './measure-errors.js';
import { StatusReportError } from './status-report-errors.js';
import { inWordsOf, planWords, said, wordsOfPlan } from '../framework/request-words.js';

/** Ends a dry run's transaction after everything was checked, carrying what it would have done. */
class DryRunRollback extends Error {
  constructor(readonly result: { reportIds: number[]; unchanged: number[] }) {
    super('dry run');
  }
}

export interface NewReport extends CreateStatusReportDto {
  reviewState?: ReviewState;
  reviewComment?: string;
  isExample?: boolean;
}

@Injectable()
export class StatusReportsService {
  constructor(
    @InjectRepository(StatusReport) private readonly reports: Repository<StatusReport>,
    private readonly transactions: TransactionRunner,
  ) {}

  async listForMeasure(measureId: number): Promise<StatusReportView[]> {
    if (!(await this.reports.manager.existsBy(Measure, { id: measureId }))) {
      throw notFound(MeasureError.NOT_FOUND, `${planWords().measure} ${measureId} wurde nicht gefunden.`);
    }
    const rows = await this.reports.find({ where: { measureId }, order: LATEST_FIRST });
    return rows.map(toStatusReportView);
  }

  async get(id: number): Promise<StatusReportView> {
    const report = await this.reports.findOneBy({ id });
    if (!report) throw notFound(StatusReportError.NOT_FOUND, `Meldung ${id} wurde nicht gefunden.`);
    return toStatusReportView(report);
  }

  /**
   * Reports of the request's plan by review state, oldest first (the review queue), optionally for one lead
   * department or field.
   */
  async list(query: ReviewQueueQueryDto): Promise<Page<StatusReportView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const frameworkId = await resolvePlan(this.reports.manager, query.frameworkId);
    const qb = this.reports
      .createQueryBuilder('r')
      .innerJoin(Measure, 'm', 'm.id = r.measureId')
      .where('r.reviewState = :state', { state: query.reviewState ?? 'submitted' })
      .andWhere('m.frameworkId = :frameworkId', { frameworkId });
    if (query.departmentId)
      qb.andWhere('m.leadDepartmentId = :departmentId', { departmentId: query.departmentId });
    if (query.actionFieldId)
      qb.andWhere('m.actionFieldId = :actionFieldId', { actionFieldId: query.actionFieldId });
    const [rows, total] = await qb
      .orderBy('r.createdAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(toStatusReportView), total, page, pageSize };
  }

  async create(measureId: number, dto: CreateStatusReportDto, actor: Actor): Promise<StatusReportView> {
    const { reportIds } = await this.createMany([{ measureId, report: dto }], actor);
    return this.get(reportIds[0]);
  }

  /**
   * Several reports in one transaction, all or nothing, each checked as a single one is: the measure exists
   * and the actor may report on it (measure-policy), the date is not in the future and falls into a cycle
   * that takes reports, the measure is active. An admin's reports count at once, a department's wait for
   * review. `skipUnchanged`: a report identical to the measure's latest submitted or accepted report in the
   * same cycle is not created again (a template uploaded twice). `dryRun`: everything is checked and
   * counted exactly as in the real run, which is then rolled back.
   */
  async createMany(
    requests: { measureId: number; report: CreateStatusReportDto }[],
    actor: Actor,
    options: { skipUnchanged?: boolean; dryRun?: boolean; audit?: { action: string; note: string } } = {},
  ): Promise<{ reportIds: number[]; unchanged: number[] }> {
    const work = async (manager: EntityManager): Promise<{ reportIds: number[]; unchanged: number[] }> => {
      const reportIds: number[] = [];
      const unchanged: number[] = [];
      for (const [index, { measureId, report }] of requests.entries()) {
        const measure = await manager.findOneBy(Measure, { id: measureId });
        if (!measure)
          throw notFound(MeasureError.NOT_FOUND, `${planWords().measure} ${measureId} wurde nicht gefunden.`);
        // Rights in the measure's plan: a selection may name measures of another plan than the request's.
        const writer = writerIn(actor, measure.frameworkId);
        const words =
          measure.frameworkId === RequestContext.current()?.planId
            ? planWords()
            : await wordsOfPlan(manager, measure.frameworkId);
        inWordsOf(words, () => assertCanWriteMeasure(writer, measure));
        const reviewState = initialReviewState(writer);
        const reportedAt = report.reportedAt ?? todayInBremen();
        if (reportedAt > todayInBremen()) {
          throw new InvalidInputException([
            { field: 'reportedAt', messages: ['darf nicht in der Zukunft liegen'] },
          ]);
        }
        if (options.skipUnchanged && (await this.sameAsLatestInCycle(manager, measure, reportedAt, report))) {
          unchanged.push(index);
          continue;
        }
        const created = await this.append(manager, measure, {
          ...report,
          reportedAt,
          reviewState,
          authorId: actor.id,
          reviewedById: reviewState === 'accepted' ? actor.id : null,
        });
        reportIds.push(created.id);
      }
      if (options.dryRun) throw new DryRunRollback({ reportIds: [], unchanged });
      return { reportIds, unchanged };
    };
    try {
      return await RequestContext.withAudit(options.audit ?? { action: 'create' }, () =>
        this.transactions.run(work),
      );
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }
  }

  /** Whether the measure's latest submitted or accepted report in the cycle of `reportedAt` says the same. */
  private async sameAsLatestInCycle(
    manager: EntityManager,
    measure: Pick<Measure, 'id' | 'frameworkId'>,
    reportedAt: string,
    report: CreateStatusReportDto,
  ): Promise<boolean> {
    const measureId = measure.id;
    const cycle = await this.cycleOf(manager, measure.frameworkId, reportedAt);
    if (!cycle) return false;
    const latest = await manager.findOne(StatusReport, {
      where: {
        measureId,
        reviewState: In(['submitted', 'accepted']),
        reportedAt: Between(cycle.periodStart, cycle.periodEnd),
      },
      order: LATEST_FIRST,
    });
    // Texts compared as a person reads them: line breaks from Excel (\r\n) and outer spaces do not count.
    const same = (a: string | undefined, b: string | undefined): boolean =>
      (a ?? '').replace(/\r\n?/g, '\n').trim() === (b ?? '').replace(/\r\n?/g, '\n').trim();
    return (
      latest !== null &&
      latest.status === report.status &&
      latest.progress === report.progress &&
      same(latest.summary, report.summary) &&
      same(latest.obstacles, report.obstacles) &&
      same(latest.nextSteps, report.nextSteps)
    );
  }

  /**
   * Appends a report inside a running transaction (also used by imports and example data), refusing measures
   * that are no longer active, and updates the measure's current status when the report is accepted.
   */
  async append(
    manager: EntityManager,
    measure: Measure,
    input: NewReport & { reportedAt: string; authorId: number | null; reviewedById?: number | null },
  ): Promise<StatusReport> {
    await this.assertOpenCycle(manager, measure.frameworkId, input.reportedAt, 'reportedAt');
    if (input.correctsReportId) {
      const corrected = await manager.findOneBy(StatusReport, { id: input.correctsReportId });
      if (!corrected || corrected.measureId !== measure.id || corrected.reviewState !== 'returned') {
        throw new InvalidInputException([
          {
            field: 'correctsReportId',
            messages: [
              said(
                'muss eine zurückgegebene Meldung derselben Maßnahme sein',
                (w) => `muss eine zurückgegebene Meldung zu demselben Eintrag (${w.measure}) sein`,
              ),
            ],
          },
        ]);
      }
    }
    enforce(acceptsReports(measure));
    const reviewState = input.reviewState ?? 'submitted';
    const report = await manager.save(
      StatusReport,
      manager.create(StatusReport, {
        measureId: measure.id,
        status: input.status,
        progress: input.progress,
        summary: input.summary,
        obstacles: input.obstacles ?? '',
        nextSteps: input.nextSteps ?? '',
        reportedAt: input.reportedAt,
        authorId: input.authorId,
        reviewState,
        reviewComment: input.reviewComment ?? '',
        reviewedById: input.reviewedById ?? null,
        reviewedAt: reviewState === 'submitted' ? undefined : new Date(),
        correctsReportId: input.correctsReportId ?? null,
        isExample: input.isExample ?? false,
      }),
    );
    if (reviewState === 'accepted') await this.refreshCurrentStatus(manager, measure.id);
    return report;
  }

  async review(id: number, dto: ReviewStatusReportDto, actor: Actor): Promise<StatusReportView> {
    enforce(canReview(actor));
    await RequestContext.withAudit({ action: 'review', note: dto.comment ?? '' }, () =>
      this.transactions.run(async (manager) => {
        const report = await this.reviewWithin(manager, id, dto, actor);
        if (report.reviewState === 'accepted') await this.refreshCurrentStatus(manager, report.measureId);
      }),
    );
    return this.get(id);
  }

  /**
   * Several reports with one decision, in one transaction, all or nothing: each is checked as a single review
   * is (the review policy, its cycle still open, still awaiting review, its row locked on PostgreSQL). When
   * any cannot be reviewed, none is, and the refusal (409) names each one with its reason.
   */
  async reviewMany(dto: BulkReviewStatusReportsDto, actor: Actor): Promise<BulkReviewResult> {
    enforce(canReview(actor));
    const decision = { decision: dto.decision, comment: dto.comment };
    await RequestContext.withAudit({ action: 'review', note: dto.comment ?? '' }, () =>
      this.transactions.run(async (manager) => {
        const problems: { id: number; code: string; message: string }[] = [];
        const accepted = new Set<number>();
        // Rows are locked in ascending id order, so two overlapping selections cannot deadlock on PostgreSQL.
        for (const id of [...dto.ids].sort((a, b) => a - b)) {
          try {
            const report = await this.reviewWithin(manager, id, decision, actor);
            if (report.reviewState === 'accepted') accepted.add(report.measureId);
          } catch (error) {
            if (!(error instanceof DomainError) || error.getStatus() >= 500) throw error;
            problems.push({ id, code: error.code, message: await this.refusalOf(manager, id, error) });
          }
        }
        if (problems.length) {
          const n = dto.ids.length;
          throw conflict(
            StatusReportError.REVIEW_REFUSED,
            `${n === 1 ? 'Die Meldung wurde nicht' : `Keine der ${n} Meldungen wurde`} geprüft. ${problems.map((p) => p.message).join(' ')}`,
            { details: problems },
          );
        }
        for (const measureId of accepted) await this.refreshCurrentStatus(manager, measureId);
      }),
    );
    const rows = await this.reports.find({ where: { id: In(dto.ids) } });
    const byId = new Map(rows.map((r) => [r.id, toStatusReportView(r)]));
    return { count: rows.length, items: dto.ids.map((id) => byId.get(id)!) };
  }

  /** "Meldung 12 zu 3.1-02 vom 12.03.2026: bereits geprüft (angenommen)": one report's refusal in a list. */
  private async refusalOf(manager: EntityManager, id: number, error: DomainError): Promise<string> {
    const report = await manager.findOneBy(StatusReport, { id });
    const measure = report ? await manager.findOneBy(Measure, { id: report.measureId }) : null;
    if (!report || !measure) return `Meldung ${id}: nicht gefunden.`;
    const label = `Meldung ${id} zu ${measure.code} vom ${report.reportedAt.split('-').reverse().join('.')}`;
    if (error.code === StatusReportError.ALREADY_REVIEWED)
      return `${label}: bereits geprüft (${REVIEW_STATE_LABELS[report.reviewState]}).`;
    return `${label}: ${error.message}`;
  }

  /** Reviews one report inside a running transaction (without refreshing the measure's current status). */
  private async reviewWithin(
    manager: EntityManager,
    id: number,
    dto: ReviewStatusReportDto,
    actor: Actor,
  ): Promise<StatusReport> {
    enforce(canReview(actor));
    // Locked on PostgreSQL, so that two reviews of the same report cannot both see it "submitted".
    const lock =
      manager.connection.options.type === 'postgres' ? { mode: 'pessimistic_write' as const } : undefined;
    const report = await manager.findOne(StatusReport, { where: { id }, lock });
    if (!report) throw notFound(StatusReportError.NOT_FOUND, `Meldung ${id} wurde nicht gefunden.`);
    const { frameworkId } = await manager.findOneOrFail(Measure, {
      where: { id: report.measureId },
      select: { id: true, frameworkId: true },
    });
    // A selection may hold reports of several plans: the reviewer needs the right in each report's plan.
    enforce(canReview(writerIn(actor, frameworkId)));
    await this.assertOpenCycle(manager, frameworkId, report.reportedAt, 'reportedAt');
    if (report.reviewState !== 'submitted') {
      throw conflict(
        StatusReportError.ALREADY_REVIEWED,
        `Die Meldung ${id} wurde bereits geprüft (${REVIEW_STATE_LABELS[report.reviewState]}).`,
      );
    }
    report.reviewState = dto.decision === 'accept' ? 'accepted' : 'returned';
    report.reviewComment = dto.comment ?? '';
    report.reviewedById = actor.id;
    report.reviewedAt = new Date();
    return manager.save(StatusReport, report);
  }

  /** The cycle of the measure's plan whose period holds the day (periods do not overlap within a plan). */
  private cycleOf(manager: EntityManager, frameworkId: number, date: string): Promise<ReportingCycle | null> {
    return manager
      .createQueryBuilder(ReportingCycle, 'c')
      .where('c.frameworkId = :frameworkId', { frameworkId })
      .andWhere('c.periodStart <= :date AND c.periodEnd >= :date', { date })
      .getOne();
  }

  /** A report's date must fall into a reporting cycle of the measure's plan that takes reports (cycle-rules). */
  private async assertOpenCycle(
    manager: EntityManager,
    frameworkId: number,
    date: string,
    field: string,
  ): Promise<void> {
    const cycle = await this.cycleOf(manager, frameworkId, date);
    if (!cycle) {
      throw new InvalidInputException(
        [{ field, messages: [`${date} liegt in keinem Berichtszyklus`] }],
        'Das Datum der Meldung liegt außerhalb aller Berichtszyklen.',
      );
    }
    enforce(cycleAcceptsReports(cycle));
  }

  /**
   * Mirrors the latest accepted report onto the measure. The measure's version guards its master data, so
   * it is left unchanged here: a status update must not make a colleague's open edit form stale.
   */
  async refreshCurrentStatus(manager: EntityManager, measureId: number): Promise<void> {
    const latest = await manager.findOne(StatusReport, {
      where: { measureId, reviewState: 'accepted' },
      order: LATEST_FIRST,
    });
    await manager
      .createQueryBuilder()
      .update(Measure)
      .set({
        status: latest?.status ?? null,
        progress: latest?.progress ?? null,
        statusDate: latest?.reportedAt ?? null,
        version: () => '"version"',
      })
      .where('id = :measureId', { measureId })
      .execute();
  }
}
