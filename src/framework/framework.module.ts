import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Measure } from '../measures/measure.entity.js';
import { ActionField } from './action-field.entity.js';
import { Department } from './department.entity.js';
import { FrameworkLoaderService } from './framework-loader.service.js';
import { FrameworkController } from './framework.controller.js';
import { Framework } from './framework.entity.js';
import { FrameworkService } from './framework.service.js';
import { Goal } from './goal.entity.js';
import { PlansService } from './plans.service.js';
import { FrameworkRevisionsController } from './revisions/framework-revisions.controller.js';
import { FrameworkRevisionsService } from './revisions/framework-revisions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Framework, Goal, ActionField, Department, Measure])],
  controllers: [FrameworkController, FrameworkRevisionsController],
  providers: [FrameworkService, FrameworkLoaderService, FrameworkRevisionsService, PlansService],
  exports: [FrameworkService, FrameworkLoaderService, FrameworkRevisionsService, PlansService],
})
export class FrameworkModule {}
