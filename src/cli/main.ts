/**
 * Command line: `npm run cli -- <command>`. Calls the same services as the API; adds argument parsing,
 * progress output and one-line errors with a non-zero exit code.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { User } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { AppConfig, ConfigurationError, loadConfigFromEnvironment } from '../common/config/app-config.js';
import { RequestContext } from '../common/context/request-context.js';
import { Department } from '../framework/department.entity.js';
import { FrameworkFileError } from '../framework/framework-file.js';
import { FrameworkLoaderService } from '../framework/framework-loader.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { SetupService } from '../setup/setup.service.js';
import { copyDatabase } from '../database/database-copy.js';
import { PlanImportService } from '../excel/plan-import.service.js';
import { ReportBuilderService } from '../excel/report-builder.service.js';
import { ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { ROLES, type Role } from '../auth/user.entity.js';
import { HttpException } from '@nestjs/common';

class CliError extends Error {}

/** The command line acts with the coordinating unit's rights; its writes are audited without a user. */
const CLI_ACTOR = {
  id: 0,
  email: '',
  displayName: 'Kommandozeile',
  role: 'admin' as const,
  departmentId: null,
};

async function withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  loadConfigFromEnvironment();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.get(SetupService).run();
    return await RequestContext.run({ requestId: 'cli', ipAddress: 'cli' }, () => work(app));
  } finally {
    await app.close();
  }
}

async function readSecret(option: string | undefined): Promise<string> {
  if (option) return option;
  if (process.stdin.isTTY)
    throw new CliError('Passwort fehlt: --password angeben oder über die Standardeingabe übergeben');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!value)
    throw new CliError('Passwort fehlt: --password angeben oder über die Standardeingabe übergeben');
  return value;
}

async function findUser(app: INestApplicationContext, email: string): Promise<User> {
  const user = await app.get(DataSource).manager.findOneBy(User, { email: email.trim().toLowerCase() });
  if (!user) throw new CliError(`Kein Konto mit der E-Mail-Adresse ${email}`);
  return user;
}

const program = new Command()
  .name('npm run cli --')
  .description('Rahmenkonzept-Monitor: Verwaltung über die Kommandozeile')
  .showHelpAfterError();

program
  .command('user:create')
  .description('Konto anlegen (Passwort über --password oder die Standardeingabe)')
  .requiredOption('--email <email>', 'E-Mail-Adresse')
  .requiredOption('--name <name>', 'Anzeigename')
  .addOption(new Option('--role <role>', 'Rolle').choices([...ROLES]).makeOptionMandatory())
  .option('--department <code>', 'Ressort-Code (Pflicht für editor), z. B. ASJI')
  .option('--password <password>', 'Passwort (mindestens 10 Zeichen, drei Zeichenarten)')
  .action(
    async (options: { email: string; name: string; role: Role; department?: string; password?: string }) => {
      const password = await readSecret(options.password);
      await withApp(async (app) => {
        let departmentId: number | null = null;
        if (options.department) {
          const department = await app
            .get(DataSource)
            .manager.findOneBy(Department, { code: options.department });
          if (!department) throw new CliError(`Unbekanntes Ressort ${options.department}`);
          departmentId = department.id;
        }
        const user = await app.get(UsersService).create({
          email: options.email.trim().toLowerCase(),
          displayName: options.name,
          role: options.role,
          departmentId,
          password,
        });
        console.log(`Konto ${user.email} (${user.role}) angelegt, ID ${user.id}`);
      });
    },
  );

program
  .command('user:deactivate')
  .description('Konto deaktivieren; bestehende Anmeldungen enden sofort')
  .requiredOption('--email <email>', 'E-Mail-Adresse')
  .action(async (options: { email: string }) => {
    await withApp(async (app) => {
      const user = await findUser(app, options.email);
      await app.get(UsersService).update(user.id, { version: user.version, active: false }, CLI_ACTOR);
      console.log(`Konto ${user.email} deaktiviert`);
    });
  });

program
  .command('user:reset-password')
  .description(
    'Passwort zurücksetzen (über --password oder die Standardeingabe); bestehende Anmeldungen enden',
  )
  .requiredOption('--email <email>', 'E-Mail-Adresse')
  .option('--password <password>', 'neues Passwort')
  .action(async (options: { email: string; password?: string }) => {
    const password = await readSecret(options.password);
    await withApp(async (app) => {
      const user = await findUser(app, options.email);
      await app.get(UsersService).resetPassword(user.id, password);
      console.log(`Passwort für ${user.email} zurückgesetzt`);
    });
  });

program
  .command('framework:load')
  .description('Rahmenkonzept-Datei laden oder aktualisieren (idempotent)')
  .argument('<file>', 'JSON-Datei im Format von data/README.md')
  .action(async (file: string) => {
    await withApp(async (app) => {
      const current = await app.get(FrameworkService).findCurrent();
      const result = await app
        .get(FrameworkLoaderService)
        .loadFile(file, { demoMode: current?.demoMode ?? false });
      console.log(`${result.framework.name}: ${result.created} neu, ${result.updated} aktualisiert`);
    });
  });

program
  .command('db:backup')
  .description('Konsistente Sicherung der SQLite-Datenbank, auch während der Server läuft')
  .option('--out <file>', 'Zieldatei', '')
  .action(async (options: { out: string }) => {
    await withApp(async (app) => {
      const config = app.get(AppConfig);
      if (config.DATABASE_URL) throw new CliError('Für PostgreSQL bitte pg_dump verwenden');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const target = resolve(options.out || `data/backups/rahmenkonzept-${stamp}.sqlite`);
      if (existsSync(target)) throw new CliError(`${target} existiert bereits`);
      mkdirSync(dirname(target), { recursive: true });
      const driver = app.get(DataSource).driver as unknown as {
        databaseConnection: {
          backup(
            file: string,
            options: { progress(info: { totalPages: number; remainingPages: number }): number },
          ): Promise<unknown>;
        };
      };
      const bar = new SingleBar(
        { format: 'Sicherung [{bar}] {percentage}% | {value}/{total} Seiten' },
        Presets.shades_classic,
      );
      let started = false;
      await driver.databaseConnection.backup(target, {
        progress({ totalPages, remainingPages }) {
          if (!started) {
            bar.start(totalPages, 0);
            started = true;
          }
          bar.update(totalPages - remainingPages);
          return 200;
        },
      });
      if (started) bar.stop();
      console.log(`Gesichert nach ${target}`);
    });
  });

program
  .command('db:copy-to-postgres')
  .description(
    'Alle Daten der eingestellten Datenbank (SQLite) in eine leere PostgreSQL-Datenbank übertragen',
  )
  .requiredOption('--url <postgres-url>', 'Ziel, z. B. postgres://benutzer:passwort@host:5432/rahmenkonzept')
  .action(async (options: { url: string }) => {
    if (!/^postgres(ql)?:\/\//.test(options.url))
      throw new CliError('--url muss eine postgres://-Adresse sein');
    await withApp(async (app) => {
      const config = app.get(AppConfig);
      if (config.DATABASE_URL)
        throw new CliError(
          'Die Quelle ist bereits PostgreSQL; bitte DATABASE_PATH auf die SQLite-Datei setzen',
        );
      const copied = await copyDatabase(app.get(DataSource), options.url, ({ table, rows }) =>
        console.log(`${table}: ${rows} Zeilen`),
      );
      console.log(
        `Fertig: ${copied.reduce((a, c) => a + c.rows, 0)} Zeilen in ${copied.length} Tabellen übertragen.`,
      );
    });
  });

program
  .command('report')
  .description(
    'Umsetzungsbericht eines Berichtszyklus nach reports/ schreiben (abgeschlossen: eingefroren, sonst Entwurf)',
  )
  .requiredOption('--cycle <code>', 'Berichtszyklus, z. B. 2022-2023')
  .option('--stats', 'Laufzeit und Speicherspitze als JSON ausgeben (für den Benchmark)')
  .action(async (options: { cycle: string; stats?: boolean }) => {
    await withApp(async (app) => {
      const cycle = await app.get(ReportingCyclesService).findByCode(options.cycle);
      const bar = new SingleBar(
        { format: 'Bericht [{bar}] {percentage}% | {value}/{total} Maßnahmen' },
        Presets.shades_classic,
      );
      let barStarted = false;
      const t0 = performance.now();
      const { report, path } = await app.get(ReportBuilderService).generate(cycle.id, null, (done, total) => {
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(done);
      });
      const seconds = (performance.now() - t0) / 1000;
      if (barStarted) bar.stop();
      console.log(
        `${path} (${report.measureCount} Maßnahmen${report.draft ? ', Entwurf' : ''}, SHA-256 ${report.sha256})`,
      );
      if (options.stats) {
        const maxRssMb = process.resourceUsage().maxRSS / 1024;
        console.log(JSON.stringify({ stats: { seconds, maxRssMb, rows: report.measureCount } }));
      }
    });
  });

program
  .command('plan:import')
  .description('Maßnahmenplan (xlsx) importieren: Maßnahmen nach Code anlegen oder ändern, alles oder nichts')
  .argument('<file>', 'Arbeitsmappe im Format von data/massnahmenplan-beispiel.xlsx')
  .option('--dry-run', 'nur prüfen und die Änderungen zeigen')
  .action(async (file: string, options: { dryRun?: boolean }) => {
    const buffer = await readFile(file).catch(() => {
      throw new CliError(`${file} kann nicht gelesen werden`);
    });
    await withApp(async (app) => {
      const result = await app.get(PlanImportService).import(buffer, CLI_ACTOR, options.dryRun ?? false);
      for (const change of result.changes.filter((c) => c.action !== 'unchanged')) {
        console.log(
          `${change.action === 'create' ? 'neu     ' : 'geändert'} ${change.code}${change.fields.length ? ` (${change.fields.join(', ')})` : ''}`,
        );
      }
      console.log(
        `${options.dryRun ? 'Probelauf, nichts gespeichert: ' : ''}${result.created} neu, ${result.updated} geändert, ${result.unchanged} unverändert`,
      );
    });
  });

program
  .command('plan:export')
  .description('Maßnahmenplan als Arbeitsmappe im Importformat schreiben')
  .argument('<file>', 'Zieldatei (.xlsx)')
  .action(async (file: string) => {
    await withApp(async (app) => {
      await writeFile(file, await app.get(PlanImportService).export());
      console.log(`Geschrieben: ${file}`);
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (
    error instanceof CliError ||
    error instanceof ConfigurationError ||
    error instanceof FrameworkFileError
  ) {
    console.error(`Fehler: ${error.message}`);
  } else if (error instanceof HttpException) {
    const body = error.getResponse() as {
      message?: string;
      errors?: { field: string; messages: string[] }[];
    };
    const details = body.errors?.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ');
    console.error(`Fehler: ${body.message ?? error.message}${details ? ` (${details})` : ''}`);
  } else {
    console.error(`Fehler: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
