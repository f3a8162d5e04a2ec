import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../common/config/app-config.js';
import { buildDataSourceOptions } from './database-options.js';
import { PlannerStatistics } from './planner-statistics.js';
import { TransactionRunner } from './transaction-runner.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config), migrationsRun: true }),
    }),
  ],
  providers: [TransactionRunner, PlannerStatistics],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
