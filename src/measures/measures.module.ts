import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MeasureLifecycleService } from './measure-lifecycle.service.js';
import { Measure } from './measure.entity.js';
import { MeasuresController } from './measures.controller.js';
import { MeasuresService } from './measures.service.js';
import { StatusReport } from './status-report.entity.js';
import { StatusReportsController } from './status-reports.controller.js';
import { StatusReportsService } from './status-reports.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Measure, StatusReport])],
  controllers: [MeasuresController, StatusReportsController],
  providers: [MeasuresService, MeasureLifecycleService, StatusReportsService],
  exports: [MeasuresService, MeasureLifecycleService, StatusReportsService],
})
export class MeasuresModule {}
