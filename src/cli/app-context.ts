/**
 * The application as the commands use it: Nest's context without an HTTP server, on a database that exists
 * (or, for `db:init`, one that does not yet). Loaded only when a command runs, not for `--help`.
 */
import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import type { Actor } from '../common/context/request-context.js';
import { AppConfig, loadConfigFromEnvironment } from '../common/config/app-config.js';
import { RequestContext } from '../common/context/request-context.js';
import { acquireStartupLock } from '../database/startup-lock.js';
import { databaseIsSetUp, databaseLabel } from './database-presence.js';
import { CliError } from './errors.js';

/** The command line acts with the coordinating unit's rights; its writes are audited without a user. */
export const CLI_ACTOR: Actor = {
  id: 0,
  email: '',
  displayName: 'Kommandozeile',
  role: 'admin',
  departmentId: null,
  installationAdmin: true,
};

/**
 * The application's log on a terminal: warnings as one "Hinweis:" line on standard error, no timestamps or
 * colours; an error that ends the command is printed once, by main.ts, not also by Nest's handler.
 */
const TERMINAL_LOG: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`Hinweis: ${String(message)}\n`),
  error: (message: unknown, ...context: unknown[]) => {
    if (context.at(-1) !== 'ExceptionHandler') process.stderr.write(`${String(message)}\n`);
  },
};

export interface AppOptions {
  /** `existing` (every command but db:init) refuses a database that is not set up; `new` refuses one that is. */
  database?: 'existing' | 'new';
  /** Appended to the refusal of a missing database, for a command with a more specific way out. */
  hint?: string;
}

/** The settings, validated, before anything else happens (a bad one ends the command with one line). */
export function loadSettings(): AppConfig {
  return loadConfigFromEnvironment();
}

/** Refuses a database that is missing (or, for db:init, one that exists) before anything opens it. */
export async function checkDatabase(options: AppOptions = {}): Promise<void> {
  const config = loadSettings();
  const setUp = await databaseIsSetUp(config);
  const where = databaseLabel(config);
  if ((options.database ?? 'existing') === 'existing' && !setUp) {
    throw new CliError(
      `Keine Datenbank unter ${where}; zuerst \`npm start\` oder \`db:init\`${options.hint ?? ''}`,
    );
  }
  if (options.database === 'new' && setUp) {
    throw new CliError(`Unter ${where} besteht bereits eine Datenbank; db:init legt nur eine neue an`);
  }
}

export async function withApp<T>(
  work: (app: INestApplicationContext) => Promise<T>,
  options: AppOptions = {},
): Promise<T> {
  await checkDatabase(options);
  // Opening the database runs the pending migrations (DatabaseModule), as a server start does: under the same
  // lock, so that a command and an instance starting at the same moment do not migrate twice.
  const startupLock = await acquireStartupLock(loadSettings(), (line) => process.stderr.write(`${line}\n`));
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(AppModule, {
      logger: TERMINAL_LOG,
      abortOnError: false,
    });
  } finally {
    await startupLock.release();
  }
  try {
    return await RequestContext.run({ requestId: 'cli', ipAddress: 'cli' }, () => work(app));
  } finally {
    await app.close();
  }
}
