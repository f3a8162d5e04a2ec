/**
 * The long work of the Excel module as jobs (src/jobs/): building an Umsetzungsbericht and writing a
 * Maßnahmenplan. Which work is long is decided here, once, for the pages and the API: a report of a cycle with
 * at least JOB_REPORT_MIN_MEASURES measures, a plan file of at least JOB_IMPORT_MIN_BYTES. The job does the
 * very same as the request would (ReportBuilderService.generate, PlanImportService.import), as the account
 * that queued it, with the rights that account has when the job runs.
 */
import { DataSource } from 'typeorm';
import { writerIn } from '../auth/memberships.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Role } from '../auth/user.entity.js';
import { AppConfig } from '../common/config/app-config.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import type { Job } from '../jobs/job.entity.js';
import type { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { JobRefusal, JobRunner, type JobRun } from '../jobs/job-runner.js';
import { JobsService } from '../jobs/jobs.service.js';
import { PLAN_IMPORT_ROLES, REPORT_BUILDER_ROLES } from './excel-roles.js';
import { PlansService } from '../framework/plans.service.js';
import { type PlanImportResult, PlanImportService } from './plan-import.service.js';
import { REPORT_FORMATS, ReportBuilderService, type ReportFormat } from './report/report-builder.service.js';
import { coordinator, planWords, said, wordsOfPlan } from '../framework/request-words.js';

/** What the step is called while a report of this format is past reading its measures. */
const FINISHING_STEP: Record<ReportFormat, string> = {
  xlsx: 'Arbeitsmappe abschließen',
  pdf: 'PDF drucken',
  docx: 'Word-Dokument setzen',
};

@Injectable()
export class ExcelJobs implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly runner: JobRunner,
    private readonly reports: ReportBuilderService,
    private readonly planImport: PlanImportService,
    private readonly plans: PlansService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.runner.register('report', (run) => this.buildReport(run));
    this.runner.register('plan-import', (run) => this.importPlan(run));
  }

  /** True when the cycle's report is long work (a job) rather than built while the request waits. */
  async reportIsLong(cycleId: number): Promise<boolean> {
    return (await this.reports.measureCount(cycleId)) >= this.config.JOB_REPORT_MIN_MEASURES;
  }

  /** True when a plan file of this size is written as a job. */
  planImportIsLong(size: number): boolean {
    return size >= this.config.JOB_IMPORT_MIN_BYTES;
  }

  async queueReport(cycleId: number, format: ReportFormat, actor: Actor): Promise<Job> {
    // A cycle that does not exist is refused now, not by the job.
    await this.reports.measureCount(cycleId);
    return this.queue('report', { cycleId, format }, actor);
  }

  /** The plan (see resolvePlan) is decided now, while the request is at hand, and named in the job. */
  async queuePlanImport(file: Buffer, fileName: string, actor: Actor, frameworkId?: number): Promise<Job> {
    const plan = await this.plans.resolvePlan(frameworkId);
    return this.queue('plan-import', { fileName, size: file.length, frameworkId: plan }, actor, file);
  }

  private async queue(
    kind: Job['kind'],
    payload: Record<string, unknown>,
    actor: Actor,
    input?: Buffer,
  ): Promise<Job> {
    const job = await this.jobs.enqueue(kind, payload, actor, input);
    this.runner.poke();
    return job;
  }

  private async buildReport({
    payload,
    actor,
    progress,
    complete,
  }: JobRun): Promise<Record<string, unknown>> {
    // The owner's rights in the cycle's plan, as they are when the job runs.
    const cycle = await this.dataSource.manager.findOne(ReportingCycle, {
      where: { id: Number(payload.cycleId) },
      select: { id: true, frameworkId: true },
    });
    if (cycle)
      RequestContext.setPlan(
        cycle.frameworkId,
        await wordsOfPlan(this.dataSource.manager, cycle.frameworkId),
      );
    const acting = cycle ? writerIn(actor, cycle.frameworkId) : actor;
    requireRole(acting, REPORT_BUILDER_ROLES, `${planWords().reports} erzeugt nur ${coordinator()}`);
    const format = (REPORT_FORMATS as readonly unknown[]).includes(payload.format)
      ? (payload.format as ReportFormat)
      : 'xlsx';
    progress(0, 0, 'Bericht vorbereiten');
    const { report } = await this.reports.generate(
      Number(payload.cycleId),
      acting,
      (done, total) =>
        progress(done, total, done < total ? `${planWords().measures} lesen` : FINISHING_STEP[format]),
      format,
      (manager, recorded) => complete(manager, reportResult(recorded)),
    );
    return reportResult(report);
  }

  private async importPlan({
    input,
    payload,
    actor,
    progress,
    complete,
  }: JobRun): Promise<Record<string, unknown>> {
    // Jobs queued before plans were named in them: the installation's only plan.
    const plan = await this.plans.resolvePlan(
      typeof payload.frameworkId === 'number' ? payload.frameworkId : undefined,
    );
    RequestContext.setPlan(plan, await wordsOfPlan(this.dataSource.manager, plan));
    const acting = writerIn(actor, plan);
    requireRole(
      acting,
      PLAN_IMPORT_ROLES,
      `${said('Den Maßnahmenplan', (w) => `Den Plan der ${w.measures}`)} übernimmt nur ${coordinator()}`,
    );
    if (!input) throw new JobRefusal('Die hochgeladene Datei liegt dem Auftrag nicht mehr vor.');
    progress(0, 0, 'Datei prüfen');
    const result = await this.planImport.import(
      input,
      acting,
      false,
      (done, total) => progress(done, total, `${planWords().measures} schreiben`),
      (manager, written) => complete(manager, planResult(written)),
      plan,
    );
    return planResult(result);
  }
}

/** What a report job says it produced: the report to download. */
function reportResult(report: ImplementationReport): Record<string, unknown> {
  return { reportId: report.id, fileName: report.fileName, format: report.format };
}

/** What a plan job says it did. */
function planResult(result: PlanImportResult): Record<string, unknown> {
  return { created: result.created, updated: result.updated, unchanged: result.unchanged };
}

/** The role rule of the routes (excel-roles.ts), checked again when the job runs. */
function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!roles.includes(actor.role)) {
    throw new JobRefusal(`${what}; das Konto, das den Auftrag gestartet hat, hat diese Rolle nicht mehr.`);
  }
}
