import { Module } from '@nestjs/common';
import { PublicOpenDataController } from './public-open-data.controller.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';
import { PublicReportingService } from './public-reporting.service.js';

/** Öffentliches Berichtswesen: the published cycles for everyone, without sign-in. */
@Module({
  controllers: [PublicOpenDataController],
  providers: [PublicReportingService, PublicRateLimitGuard],
  exports: [PublicReportingService],
})
export class PublicModule {}
