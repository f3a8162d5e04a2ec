import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { FrameworkModule } from '../framework/framework.module.js';
import { MeasuresModule } from '../measures/measures.module.js';
import { ExampleDataService } from './example-data.service.js';
import { SetupService } from './setup.service.js';

/** Start-up loading; run explicitly by main.ts, the tests and the CLI (SetupService.run). */
@Module({
  imports: [FrameworkModule, MeasuresModule, AuthModule],
  providers: [SetupService, ExampleDataService],
  exports: [SetupService, ExampleDataService],
})
export class SetupModule {}
