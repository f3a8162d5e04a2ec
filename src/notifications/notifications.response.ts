/** The documented JSON of the notification log, a run of the reminder job and an account's mail settings. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import { NOTIFICATION_STATES, type NotificationState } from './notification-log.entity.js';
import type { NotificationView, RunResult } from './notifications.service.js';

export class NotificationResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  userId: number;

  @ApiProperty()
  recipient: string;

  @ApiProperty({ example: 'cycle:3:deadline', description: 'Anlass; je Konto und Anlass eine E-Mail' })
  eventKey: string;

  @ApiProperty({
    example: 'deadline',
    description:
      'cycle_open, deadline_soon, deadline, overdue, report_returned, report_accepted, decision_due, digest',
  })
  kind: string;

  @ApiProperty()
  subject: string;

  @ApiProperty({ enum: NOTIFICATION_STATES })
  state: NotificationState;

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ description: 'Antwort des Mailservers beim letzten Fehlversuch' })
  lastError: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  nextAttemptAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sentAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class PlannedNotificationResponse {
  @ApiProperty()
  recipient: string;

  @ApiProperty()
  eventKey: string;

  @ApiProperty()
  subject: string;
}

export class NotificationRunResponse {
  @ApiProperty({ description: 'false ohne SMTP_URL: nichts wird versandt' })
  configured: boolean;

  @ApiProperty()
  dryRun: boolean;

  @ApiProperty({ description: 'false, wenn eine andere Instanz den Lauf gerade hält' })
  ran: boolean;

  @ApiProperty({ type: [PlannedNotificationResponse] })
  planned: PlannedNotificationResponse[];

  @ApiProperty({ type: 'integer' })
  retries: number;

  @ApiProperty({ type: 'integer' })
  sent: number;

  @ApiProperty({ type: 'integer' })
  failed: number;
}

export class NotificationSettingsResponse {
  @ApiProperty({ description: 'wöchentliche E-Mails erhalten' })
  digestEmails: boolean;

  @ApiProperty({ description: 'E-Mail-Versand der Installation eingerichtet (SMTP_URL)' })
  mailConfigured: boolean;
}

/** Compile-time proof that the classes above document exactly what the service returns. */
export type NotificationResponsesMirror = AllMirror<
  [
    Mirrors<NotificationResponse, NotificationView>,
    Mirrors<NotificationRunResponse, RunResult>,
    Mirrors<NotificationSettingsResponse, { digestEmails: boolean; mailConfigured: boolean }>,
  ]
>;
