import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AppConfig } from '../common/config/app-config.js';
import { DashboardModule } from '../dashboard/dashboard.module.js';
import { FrameworkModule } from '../framework/framework.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { IndicatorsModule } from '../indicators/indicators.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { MeasuresModule } from '../measures/measures.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { ExcelJobs } from './excel-jobs.js';
import { ImportsController } from './imports.controller.js';
import { IndicatorImportService } from './indicator-import.service.js';
import { PlanImportService } from './plan-import.service.js';
import { PdfPrinter } from './document/pdf-printer.service.js';
import { ReportBuilderService } from './report/report-builder.service.js';
import { ReportsController } from './reports.controller.js';
import { TemplateImportService } from './template-import.service.js';
import { TemplateService } from './template.service.js';

@Module({
  imports: [
    ReportingModule,
    DashboardModule,
    MeasuresModule,
    FrameworkModule,
    GovernanceModule,
    IndicatorsModule,
    JobsModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [ReportsController, ImportsController],
  providers: [
    ExcelJobs,
    PdfPrinter,
    ReportBuilderService,
    TemplateService,
    TemplateImportService,
    PlanImportService,
    IndicatorImportService,
  ],
  exports: [
    ExcelJobs,
    ReportBuilderService,
    TemplateService,
    TemplateImportService,
    PlanImportService,
    IndicatorImportService,
  ],
})
export class ExcelModule {}
