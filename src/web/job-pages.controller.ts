/**
 * Pages for jobs (long work that one instance of the installation does in the background): one job with its
 * progress, and the list of the account's jobs (the coordinating unit's: everyone's). The job page updates its
 * status region while the job runs (job-status.js, which reads this same page), and without JavaScript by the
 * "Stand aktualisieren" link. A job is named in the words of the plan it works for (a report's cycle's plan, the
 * plan an upload names), which the list of an account's jobs may hold several of.
 */
import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, WebPages } from '../common/auth/access.decorator.js';
import { DataSource, In } from 'typeorm';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../framework/plans.service.js';
import { wordedIn, wordsOfPlan } from '../framework/request-words.js';
import { type Job, JOB_KIND_LABELS, JOB_STATE_LABELS, type JobKind } from '../jobs/job.entity.js';
import { JobsService, toJobView, type JobView } from '../jobs/jobs.service.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** A job's kind in its plan's words: Bremen's label as it is, another plan's nouns in a phrase for any gender. */
const KIND_IN_WORDS: Record<JobKind, (w: PlanVocabulary) => string> = {
  report: (w) => wordedIn(w, JOB_KIND_LABELS.report, `${w.report} erzeugen`),
  'plan-import': (w) => wordedIn(w, JOB_KIND_LABELS['plan-import'], `Plan der ${w.measures} übernehmen`),
};

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class JobPagesController {
  constructor(
    private readonly jobs: JobsService,
    private readonly context: WebContext,
    private readonly dataSource: DataSource,
  ) {}

  @Get('auftraege')
  @AnyRole()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const jobs = await this.views(await this.jobs.listFor(request.actor!));
    response.render(
      'jobs',
      await this.context.page(request, 'Aufträge', 'jobs', { jobs, stateLabels: JOB_STATE_LABELS }),
    );
  }

  @Get('auftraege/:id')
  @AnyRole()
  async show(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const [job] = await this.views([await this.jobs.findFor(id, request.actor!)]);
    const percent =
      job.progressTotal > 0 ? Math.min(100, Math.floor((job.progressDone / job.progressTotal) * 100)) : null;
    response.setHeader('Cache-Control', 'no-store');
    response.render(
      'job',
      await this.context.page(request, `Auftrag ${job.id}: ${job.kindLabel}`, 'jobs', {
        job,
        percent,
        finished: job.state === 'done' || job.state === 'failed',
        stateLabels: JOB_STATE_LABELS,
      }),
    );
  }

  /** The jobs as the pages show them, each named in its plan's words (Bremen's for a job naming no plan). */
  private async views(jobs: Job[]): Promise<JobView[]> {
    const views = jobs.map(toJobView);
    const cycleIds = views.filter((j) => j.kind === 'report').map((j) => Number(j.payload.cycleId));
    const cycles = cycleIds.length
      ? await this.dataSource.manager.find(ReportingCycle, {
          select: { id: true, frameworkId: true },
          where: { id: In(cycleIds.filter(Number.isInteger)) },
        })
      : [];
    const planOfCycle = new Map(cycles.map((c) => [c.id, c.frameworkId]));
    const planOf = (job: JobView): number | undefined =>
      job.kind === 'report'
        ? planOfCycle.get(Number(job.payload.cycleId))
        : typeof job.payload.frameworkId === 'number'
          ? job.payload.frameworkId
          : undefined;
    const words = new Map<number, PlanVocabulary>();
    for (const plan of new Set(views.map(planOf)))
      if (plan !== undefined) words.set(plan, await wordsOfPlan(this.dataSource.manager, plan));
    return views.map((job) => {
      const plan = planOf(job);
      const label = KIND_IN_WORDS[job.kind]?.((plan !== undefined && words.get(plan)) || DEFAULT_VOCABULARY);
      return label ? { ...job, kindLabel: label } : job;
    });
  }
}
