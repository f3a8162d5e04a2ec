import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfig } from '../common/config/app-config.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { ExcelModule } from '../excel/excel.module.js';
import { FrameworkModule } from '../framework/framework.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { IndicatorsModule } from '../indicators/indicators.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { MeasuresModule } from '../measures/measures.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { AdminPagesController } from './admin-pages.controller.js';
import { AuthPagesController } from './auth-pages.controller.js';
import { CyclePagesController } from './cycle-pages.controller.js';
import { DashboardPageController } from './dashboard-page.controller.js';
import { FrameworkPagesController } from './framework-pages.controller.js';
import { GovernanceFormsController } from './governance-forms.controller.js';
import { GovernancePagesController } from './governance-pages.controller.js';
import { IndicatorPagesController } from './indicator-pages.controller.js';
import { JobPagesController } from './job-pages.controller.js';
import { MeasureAdminPagesController } from './measure-admin-pages.controller.js';
import { MeasureDetailPage } from './measure-detail.js';
import { MeasurePagesController } from './measure-pages.controller.js';
import { NotificationPagesController } from './notification-pages.controller.js';
import { PlanAddressInterceptor } from './plan-address.middleware.js';
import { PlanPagesController } from './plan-pages.controller.js';
import { PlanUploadMiddleware } from './plan-upload.js';
import { ReportingPagesController } from './reporting-pages.controller.js';
import { SsoPagesController } from './sso-pages.controller.js';
import { StagedUploads } from './staged-uploads.js';
import { WebContext } from './web-context.js';

/** The server-rendered pages: a second face over the same services as the API. */
@Module({
  imports: [
    AuthModule,
    FrameworkModule,
    MeasuresModule,
    ReportingModule,
    DashboardModule,
    GovernanceModule,
    IndicatorsModule,
    ExcelModule,
    JobsModule,
    NotificationsModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [
    AuthPagesController,
    SsoPagesController,
    DashboardPageController,
    // Before MeasurePagesController: /massnahmen/neu must not be taken for /massnahmen/:id.
    MeasureAdminPagesController,
    MeasurePagesController,
    ReportingPagesController,
    CyclePagesController,
    GovernancePagesController,
    GovernanceFormsController,
    AdminPagesController,
    IndicatorPagesController,
    NotificationPagesController,
    FrameworkPagesController,
    JobPagesController,
    PlanPagesController,
  ],
  providers: [
    WebContext,
    MeasureDetailPage,
    StagedUploads,
    // With several plans, a page asked for without its plan goes to the user's first plan.
    { provide: APP_INTERCEPTOR, useClass: PlanAddressInterceptor },
  ],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Workbook uploads are read before the guard, so that its CSRF token can travel in the form body.
    consumer
      .apply(PlanUploadMiddleware)
      .forRoutes(
        { path: 'massnahmen/massnahmenplan', method: RequestMethod.POST },
        { path: 'indikatoren/import', method: RequestMethod.POST },
        { path: 'meldungen/vorlage', method: RequestMethod.POST },
      );
  }
}
