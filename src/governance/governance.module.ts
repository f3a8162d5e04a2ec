import { Module } from '@nestjs/common';
import { MeasuresModule } from '../measures/measures.module.js';
import { DecisionsService } from './decisions.service.js';
import { GovernanceController } from './governance.controller.js';
import { GovernanceService } from './governance.service.js';
import { MeetingsService } from './meetings.service.js';

@Module({
  imports: [MeasuresModule],
  controllers: [GovernanceController],
  providers: [GovernanceService, MeetingsService, DecisionsService],
  exports: [GovernanceService, MeetingsService, DecisionsService],
})
export class GovernanceModule {}
