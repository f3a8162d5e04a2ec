/**
 * Command line: `rahmenkonzept <command>` (installed by npm as a command, see bin/) or `npm run cli -- <command>`.
 * Calls the same services as the API; adds argument parsing, prompts, progress output and one-line German
 * errors with a non-zero exit code. The commands' modules load only when a command runs, so `--help` is quick.
 */
import { Command, Option } from 'commander';
import { CliAbort, describeError } from './errors.js';
import { speakGerman } from './german-commander.js';

const program = speakGerman(new Command())
  .name('rahmenkonzept')
  .usage('<befehl> [Optionen]')
  .description(
    'Rahmenkonzept-Monitor: Verwaltung über die Kommandozeile\n' +
      '(im Projektverzeichnis auch als `npx rahmenkonzept …` oder `npm run cli -- …`)',
  );

program
  .command('db:init')
  .description(
    'Neue Datenbank anlegen wie beim ersten Serverstart: Schema, Rahmenkonzept, im Demobetrieb Beispieldaten (DEMO beachtet)',
  )
  .option('--framework <datei>', 'dieses Rahmenkonzept statt FRAMEWORK_FILE laden')
  .option('--no-framework', 'nur das Schema anlegen; das Rahmenkonzept danach mit framework:load laden')
  .action(async (options: { framework?: string | boolean }) => {
    const { initDatabase } = await import('./commands/database.js');
    await initDatabase({ framework: options.framework === true ? undefined : options.framework });
  });

program
  .command('user:create')
  .description(
    'Konto anlegen; das Passwort wird am Terminal verdeckt abgefragt oder von der Standardeingabe gelesen',
  )
  .requiredOption('--email <adresse>', 'E-Mail-Adresse')
  .requiredOption('--name <name>', 'Anzeigename')
  .requiredOption('--role <rolle>', 'Rolle: admin, editor oder viewer')
  .option('--department <code>', 'Ressort-Code (Pflicht für editor), z. B. ASJI')
  .option(
    '--plan <code>',
    'Code des Plans, in dem die Rolle gilt (Pflicht bei mehreren Plänen, außer für admin: Administration der Installation)',
  )
  .option(
    '--password <passwort>',
    'Passwort (mindestens 10 Zeichen, drei Zeichenarten); besser abfragen lassen',
  )
  .action(
    async (options: {
      email: string;
      name: string;
      role: string;
      department?: string;
      plan?: string;
      password?: string;
    }) => {
      const { createUser } = await import('./commands/users.js');
      await createUser(options);
    },
  );

program
  .command('user:deactivate')
  .description('Konto deaktivieren; bestehende Anmeldungen enden sofort')
  .requiredOption('--email <adresse>', 'E-Mail-Adresse')
  .action(async (options: { email: string }) => {
    const { deactivateUser } = await import('./commands/users.js');
    await deactivateUser(options);
  });

program
  .command('user:reset-password')
  .description(
    'Passwort zurücksetzen (verdeckt abgefragt oder von der Standardeingabe); bestehende Anmeldungen enden',
  )
  .requiredOption('--email <adresse>', 'E-Mail-Adresse')
  .option('--password <passwort>', 'neues Passwort; besser abfragen lassen')
  .action(async (options: { email: string; password?: string }) => {
    const { resetPassword } = await import('./commands/users.js');
    await resetPassword(options);
  });

program
  .command('framework:load')
  .description(
    'Rahmenkonzept-Datei laden: ein Plan, den die Installation noch nicht führt, wird hinzugefügt; einer, den sie führt, mit höherer Version fortgeschrieben',
  )
  .argument('<datei>', 'JSON-Datei im Format von data/README.md')
  .option('--dry-run', 'nur zeigen, was sich ändern würde; nichts speichern')
  .action(async (file: string, options: { dryRun?: boolean }) => {
    const { loadFramework } = await import('./commands/framework.js');
    await loadFramework(file, { dryRun: options.dryRun === true });
  });

program
  .command('db:backup')
  .description('Konsistente Sicherung der SQLite-Datenbank, auch während der Server läuft')
  .option('--out <datei>', 'Zieldatei (Vorgabe: data/backups/rahmenkonzept-<Zeitpunkt>.sqlite)', '')
  .action(async (options: { out: string }) => {
    const { backupDatabase } = await import('./commands/database.js');
    await backupDatabase(options);
  });

program
  .command('db:copy-to-postgres')
  .description(
    'Alle Daten der eingestellten Datenbank (SQLite) in eine leere PostgreSQL-Datenbank übertragen',
  )
  .requiredOption('--url <postgres-url>', 'Ziel, z. B. postgres://benutzer:passwort@host:5432/rahmenkonzept')
  .action(async (options: { url: string }) => {
    const { copyToPostgres } = await import('./commands/database.js');
    await copyToPostgres(options);
  });

program
  .command('report')
  .description(
    'Umsetzungsbericht eines Berichtszyklus nach reports/ schreiben (abgeschlossen: eingefroren, sonst Entwurf)',
  )
  .requiredOption('--cycle <code>', 'Berichtszyklus, z. B. 2022-2023')
  .addOption(
    new Option('--format <format>', 'Arbeitsmappe (xlsx), PDF oder Word-Dokument (docx)')
      .choices(['xlsx', 'pdf', 'docx'])
      .default('xlsx'),
  )
  .option('--stats', 'Laufzeit und Speicherspitze als JSON ausgeben (für den Benchmark)')
  .action(async (options: { cycle: string; format: 'xlsx' | 'pdf' | 'docx'; stats?: boolean }) => {
    const { buildReport } = await import('./commands/reports.js');
    await buildReport(options);
  });

program
  .command('plan:import')
  .description('Maßnahmenplan (xlsx) importieren: Maßnahmen nach Code anlegen oder ändern, alles oder nichts')
  .argument('<datei>', 'Arbeitsmappe im Format von data/massnahmenplan-beispiel.xlsx')
  .option('--dry-run', 'nur prüfen und die Änderungen zeigen')
  .action(async (file: string, options: { dryRun?: boolean }) => {
    const { importPlan } = await import('./commands/reports.js');
    await importPlan(file, options);
  });

program
  .command('plan:export')
  .description('Maßnahmenplan als Arbeitsmappe im Importformat schreiben')
  .argument('<datei>', 'Zieldatei (.xlsx)')
  .action(async (file: string) => {
    const { exportPlan } = await import('./commands/reports.js');
    await exportPlan(file);
  });

program
  .command('notify:run')
  .description(
    'Erinnerungen und Benachrichtigungen jetzt verschicken (wie der Zeitplan); mit --dry-run nur auflisten',
  )
  .option('--dry-run', 'nur auflisten, was jetzt versandt würde; nichts versenden oder vermerken')
  .action(async (options: { dryRun?: boolean }) => {
    const { runNotifications } = await import('./commands/notifications.js');
    await runNotifications({ dryRun: options.dryRun ?? false });
  });

program.parseAsync(process.argv).catch(async (error: unknown) => {
  if (error instanceof CliAbort) {
    console.error(error.message);
    process.exit(130);
  }
  console.error(await describeError(error));
  process.exit(1);
});
