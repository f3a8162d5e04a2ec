/** An account's mail settings, and a run started by hand (API, page): audited writes. */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../auth/user.entity.js';
import type { Actor } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { UserError } from '../auth/user-errors.js';
import { NotificationError } from './notification-errors.js';
import { NotificationsService, type RunResult } from './notifications.service.js';

export interface NotificationSettings {
  digestEmails: boolean;
  mailConfigured: boolean;
}

@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  async get(actor: Actor): Promise<NotificationSettings> {
    const user = await this.dataSource.manager.findOneBy(User, { id: actor.id });
    if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${actor.id} wurde nicht gefunden.`);
    return { digestEmails: user.digestEmails, mailConfigured: this.notifications.configured };
  }

  /** Saved through the entity, so the audit subscriber records the change in the same transaction. */
  async update(actor: Actor, digestEmails: boolean): Promise<NotificationSettings> {
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { id: actor.id });
      if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${actor.id} wurde nicht gefunden.`);
      if (user.digestEmails === digestEmails) return;
      user.digestEmails = digestEmails;
      await manager.save(user);
    });
    return this.get(actor);
  }

  /** A run started by an administrator; refused without SMTP_URL (a dry run is always possible). */
  async runNow(dryRun: boolean, trigger = 'von Hand'): Promise<RunResult> {
    if (!dryRun && !this.notifications.configured)
      throw conflict(
        NotificationError.NOT_CONFIGURED,
        'E-Mail-Versand ist nicht eingerichtet: SMTP_URL ist nicht gesetzt.',
      );
    const result = await this.notifications.run({ dryRun, trigger });
    if (!dryRun && !result.ran)
      throw conflict(
        NotificationError.BUSY,
        'Eine andere Instanz verschickt gerade Erinnerungen. Bitte in einigen Minuten erneut versuchen.',
      );
    return result;
  }
}
