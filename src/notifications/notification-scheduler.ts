/**
 * Runs the reminder job every NOTIFY_INTERVAL_MINUTES (a plain interval; the job's database lease makes it run
 * once per installation however many instances start it). Idle without SMTP_URL or with an interval of 0.
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config.js';
import { NotificationsService } from './notifications.service.js';

@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Benachrichtigungen');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.NOTIFY_INTERVAL_MINUTES;
    if (minutes === 0 || !this.notifications.configured) return;
    this.timer = setInterval(() => this.tick(), minutes * 60_000);
    // The job never keeps a process alive on its own (a command-line run ends when its work is done).
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.notifications
      .run()
      .catch((error: unknown) =>
        this.logger.error(`Lauf fehlgeschlagen: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running = null;
      });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
