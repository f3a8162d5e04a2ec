/**
 * SQLite plans its queries from statistics that only ANALYZE gathers; without them it may, for example, walk
 * every measure to find the few with reports in a period. `PRAGMA optimize` refreshes them where tables have
 * changed noticeably (with a bounded sample, so it stays cheap): at start and then every few hours, as SQLite
 * recommends for long-running applications. PostgreSQL's autovacuum does the same on its own.
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

const INTERVAL_MS = 6 * 60 * 60 * 1000;

@Injectable()
export class PlannerStatistics implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PlannerStatistics.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.dataSource.options.type !== 'better-sqlite3') return;
    await this.refresh(0x10002);
    this.timer = setInterval(() => void this.refresh(), INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** 0x10002: also tables that have never been analysed, as SQLite suggests right after opening. */
  async refresh(mask?: number): Promise<void> {
    try {
      await this.dataSource.query(mask ? `PRAGMA optimize=${mask}` : 'PRAGMA optimize');
    } catch (error) {
      this.logger.warn(`Statistik der Datenbank nicht aktualisiert: ${String(error)}`);
    }
  }
}
