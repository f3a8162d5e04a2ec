import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompletenessService } from './completeness.service.js';
import { CycleSnapshotItem } from './cycle-snapshot-item.entity.js';
import { CycleSnapshot } from './cycle-snapshot.entity.js';
import { ReportingCycle } from './reporting-cycle.entity.js';
import { ReportingCyclesController } from './reporting-cycles.controller.js';
import { ReportingCyclesService } from './reporting-cycles.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ReportingCycle, CycleSnapshot, CycleSnapshotItem])],
  controllers: [ReportingCyclesController],
  providers: [ReportingCyclesService, CompletenessService],
  exports: [ReportingCyclesService, CompletenessService],
})
export class ReportingModule {}
