import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompletenessService } from './completeness.service.js';
import { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import { CycleSnapshot } from './cycle-snapshot.entity.js';
import { ImplementationReport } from './implementation-report.entity.js';
import { ImplementationReportsService } from './implementation-reports.service.js';
import { ReportingCycle } from './reporting-cycle.entity.js';
import { ReportingCyclesController } from './reporting-cycles.controller.js';
import { ReportingCyclesService } from './reporting-cycles.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([ReportingCycle, CycleSnapshot, CycleSnapshotItem, ImplementationReport]),
  ],
  controllers: [ReportingCyclesController],
  providers: [ReportingCyclesService, CompletenessService, ImplementationReportsService],
  exports: [ReportingCyclesService, CompletenessService, ImplementationReportsService],
})
export class ReportingModule {}
