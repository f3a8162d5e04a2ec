import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../common/config/app-config.js';
import { buildDataSourceOptions } from './database-options.js';
import { PlannerStatistics } from './planner-statistics.js';
import { hardenSqliteTransactions } from './sqlite-transactions.js';
import { TransactionRunner } from './transaction-runner.js';

/** The SQLite connection's busy timeout doubles as the wait for the write lock (see database-options.ts). */
function lockTimeout(options: DataSourceOptions | undefined): number {
  return options?.type === 'better-sqlite3' ? (options.timeout ?? 10_000) : 0;
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // No retry loop: main.ts checks the database first and says what is wrong (database-preflight.ts).
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config),
        migrationsRun: true,
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const dataSource = new DataSource(options!);
        hardenSqliteTransactions(dataSource, { lockTimeoutMs: lockTimeout(options) });
        return dataSource.initialize();
      },
    }),
  ],
  providers: [TransactionRunner, PlannerStatistics],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
