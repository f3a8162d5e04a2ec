import { Module, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bindMetricsSource, boundMetricsSource } from './metrics.js';
import { MetricsServer } from './metrics.server.js';

/** The metrics port, and the database its gauges read (the pool, the reminder queue). */
@Module({ providers: [MetricsServer] })
export class MetricsModule implements OnModuleDestroy {
  constructor(private readonly dataSource: DataSource) {
    bindMetricsSource(dataSource);
  }

  onModuleDestroy(): void {
    if (boundMetricsSource() === this.dataSource) bindMetricsSource(null);
  }
}
