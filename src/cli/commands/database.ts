/** The database itself: set one up (`db:init`), back it up, copy it to PostgreSQL. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../common/config/app-config.js';
import { copyDatabase } from '../../database/database-copy.js';
import { PlansService } from '../../framework/plans.service.js';
import { SetupService } from '../../setup/setup.service.js';
import { loadSettings, withApp } from '../app-context.js';
import { databaseLabel } from '../database-presence.js';
import { CliError } from '../errors.js';

export interface InitOptions {
  /** A framework file instead of FRAMEWORK_FILE; `false` (`--no-framework`): the schema only. */
  framework?: string | false;
}

export async function initDatabase(options: InitOptions): Promise<void> {
  const settings = loadSettings();
  const where = databaseLabel(settings);
  const file = settings.DATABASE_URL ? null : resolve(settings.DATABASE_PATH);
  const fileWasThere = file !== null && existsSync(file);
  try {
    await withApp(
      async (app) => {
        if (options.framework === false) {
          console.log(
            `Leere Datenbank angelegt: ${where} (ohne Rahmenkonzept; laden mit framework:load DATEI)`,
          );
          return;
        }
        // --framework FILE stands for FRAMEWORK_FILE=FILE in this one run of the start-up loading.
        if (options.framework) app.get(AppConfig).FRAMEWORK_FILE = options.framework;
        const { demoMode } = await app.get(SetupService).run();
        const plans = (await app.get(PlansService).list()).map((p) => p.name);
        console.log(
          `Datenbank angelegt: ${where} (${plans.join(', ') || 'ohne Rahmenkonzept'}; ${demoMode ? 'Demobetrieb mit Beispieldaten und Demokonten' : 'Produktivbetrieb'})`,
        );
      },
      { database: 'new' },
    );
  } catch (error) {
    // A half-made file would be refused by the next db:init; remove what this run created.
    if (file !== null && !fileWasThere) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
    throw error;
  }
}

export async function backupDatabase(options: { out: string }): Promise<void> {
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
}

export async function copyToPostgres(options: { url: string }): Promise<void> {
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
}
