import { Module } from '@nestjs/common';
import { GovernanceModule } from '../governance/governance.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardOutlookService } from './dashboard-outlook.service.js';
import { DashboardService } from './dashboard.service.js';

@Module({
  imports: [ReportingModule, GovernanceModule],
  controllers: [DashboardController],
  providers: [DashboardService, DashboardOutlookService],
  exports: [DashboardService],
})
export class DashboardModule {}
