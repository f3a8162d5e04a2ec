import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { JobLockService } from './job-lock.service.js';
import { Mailer } from './mailer.js';
import { NotificationScheduler } from './notification-scheduler.js';
import { NotificationSettingsService } from './notification-settings.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** Reminders by e-mail: the log, the job and its lease, the account setting. */
@Module({
  imports: [AuditModule, ReportingModule, GovernanceModule],
  controllers: [NotificationsController],
  providers: [
    Mailer,
    JobLockService,
    NotificationsService,
    NotificationSettingsService,
    NotificationScheduler,
  ],
  exports: [NotificationsService, NotificationSettingsService],
})
export class NotificationsModule {}
