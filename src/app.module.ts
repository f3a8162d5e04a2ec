import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AppConfigModule } from './common/config/app-config.module.js';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ExcelModule } from './excel/excel.module.js';
import { FrameworkModule } from './framework/framework.module.js';
import { GovernanceModule } from './governance/governance.module.js';
import { GracefulShutdown } from './health/graceful-shutdown.js';
import { HealthModule } from './health/health.module.js';
import { IndicatorsModule } from './indicators/indicators.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { MeasuresModule } from './measures/measures.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PublicModule } from './public/public.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { SetupModule } from './setup/setup.module.js';
import { WebModule } from './web/web.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    AuditModule,
    AuthModule,
    FrameworkModule,
    MeasuresModule,
    ReportingModule,
    GovernanceModule,
    IndicatorsModule,
    DashboardModule,
    ExcelModule,
    JobsModule,
    HealthModule,
    MetricsModule,
    NotificationsModule,
    SetupModule,
    WebModule,
    PublicModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // In the root module: its destroy hook runs before the other modules' (drain HTTP first, see the class).
    GracefulShutdown,
  ],
})
export class AppModule {}
