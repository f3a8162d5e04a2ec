import { Module } from '@nestjs/common';
import { ReportingModule } from '../reporting/reporting.module.js';
import { PublicDocumentsController } from './public-documents.controller.js';
import { PublicOpenDataController } from './public-open-data.controller.js';
import { PublicPagesController } from './public-pages.controller.js';
import { PublicPagesService } from './public-pages.service.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';
import { PublicReportingService } from './public-reporting.service.js';
import { RobotsController } from './robots.controller.js';

/** Öffentliches Berichtswesen: the published cycles for everyone, without sign-in. */
@Module({
  imports: [ReportingModule],
  controllers: [PublicDocumentsController, PublicOpenDataController, PublicPagesController, RobotsController],
  providers: [PublicReportingService, PublicRateLimitGuard, PublicPagesService],
  exports: [PublicReportingService],
})
export class PublicModule {}
