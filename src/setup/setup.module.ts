import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { FrameworkModule } from '../framework/framework.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { IndicatorsModule } from '../indicators/indicators.module.js';
import { MeasuresModule } from '../measures/measures.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { ExampleDataService } from './example-data.service.js';
import { SetupService } from './setup.service.js';

/** Start-up loading; run explicitly by main.ts, the tests and the CLI (SetupService.run). */
@Module({
  imports: [FrameworkModule, MeasuresModule, AuthModule, ReportingModule, GovernanceModule, IndicatorsModule],
  providers: [SetupService, ExampleDataService],
  exports: [SetupService, ExampleDataService],
})
export class SetupModule {}
