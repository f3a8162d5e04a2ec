/**
 * Pages for jobs (long work that one instance of the installation does in the background): one job with its
 * progress, and the list of the account's jobs (the coordinating unit's: everyone's). The job page updates its
 * status region while the job runs (job-status.js, which reads this same page), and without JavaScript by the
 * "Stand aktualisieren" link.
 */
import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { JOB_STATE_LABELS } from '../jobs/job.entity.js';
import { JobsService, toJobView } from '../jobs/jobs.service.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class JobPagesController {
  constructor(
    private readonly jobs: JobsService,
    private readonly context: WebContext,
  ) {}

  @Get('auftraege')
  @AnyRole()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const jobs = (await this.jobs.listFor(request.actor!)).map(toJobView);
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
    const job = toJobView(await this.jobs.findFor(id, request.actor!));
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
}
