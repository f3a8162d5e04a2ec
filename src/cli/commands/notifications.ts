/** `notify:run [--dry-run]`: the reminder job, started by hand. */
import { NotificationSettingsService } from '../../notifications/notification-settings.service.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import { withApp } from '../app-context.js';
import { CliError } from '../errors.js';

export async function runNotifications(options: { dryRun: boolean }): Promise<void> {
  await withApp(async (app) => {
    const notifications = app.get(NotificationsService);
    if (!options.dryRun && !notifications.configured)
      throw new CliError('E-Mail-Versand ist nicht eingerichtet: SMTP_URL ist nicht gesetzt');
    let result;
    try {
      result = await app.get(NotificationSettingsService).runNow(options.dryRun, 'Kommandozeile');
    } catch (error) {
      if (error instanceof Error && 'getResponse' in error)
        throw new CliError(
          String((error as { getResponse(): { message?: string } }).getResponse().message ?? error.message),
        );
      throw error;
    }
    if (!result.configured) console.log('Hinweis: E-Mail-Versand ist nicht eingerichtet (SMTP_URL fehlt).');
    if (result.planned.length === 0) console.log('Keine neuen Benachrichtigungen fällig.');
    else {
      console.log(
        options.dryRun
          ? `${result.planned.length} Benachrichtigung(en) würden jetzt versandt:`
          : `${result.planned.length} neue Benachrichtigung(en):`,
      );
      for (const mail of result.planned) console.log(`  ${mail.recipient}: ${mail.subject}`);
    }
    if (options.dryRun) {
      if (result.retries)
        console.log(`${result.retries} Wiederholung(en) fehlgeschlagener Sendungen stehen an.`);
      return;
    }
    console.log(`Versendet: ${result.sent}, fehlgeschlagen: ${result.failed}`);
    if (result.failed > 0) process.exitCode = 2;
  });
}
