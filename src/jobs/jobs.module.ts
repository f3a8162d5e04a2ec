import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { JobRunner } from './job-runner.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

/** The job queue in the database and the runner that works it off; the kinds of work register themselves. */
@Module({
  imports: [AuditModule],
  controllers: [JobsController],
  providers: [JobsService, JobRunner],
  exports: [JobsService, JobRunner],
})
export class JobsModule {}
