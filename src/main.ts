import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { AppConfig, ConfigurationError, loadConfigFromEnvironment } from './common/config/app-config.js';
import { AppLogger } from './common/logging/app-logger.js';
import { checkDatabase, DatabaseStartError } from './database/database-preflight.js';
import { acquireStartupLock } from './database/startup-lock.js';
import { storageFault } from './database/storage-faults.js';
import { FrameworkFileError } from './framework/framework-file.js';
import { SetupService } from './setup/setup.service.js';

async function bootstrap(): Promise<void> {
  // Validate the settings and the database before Nest starts, so that a bad one stops the start with one line.
  const settings = loadConfigFromEnvironment();
  await checkDatabase(settings);
  // Migrations and start-up loading once, however many instances start at once (released after the loading).
  const startupLock = await acquireStartupLock(settings);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    // Silent while the modules start; errors reach the handler below (one German line, or the stack of an
    // unexpected one) instead of Nest's own log and abort. The configured logger takes over right after.
    logger: false,
    abortOnError: false,
  });
  const config = app.get(AppConfig);
  // JSON lines or readable lines (LOG_FORMAT), at LOG_LEVEL, each with its request's id.
  app.useLogger(app.get(AppLogger));
  configureApp(app);
  // SIGTERM: drain HTTP (GracefulShutdown), stop the jobs, close the database, then exit 0 rather than re-raise.
  app.enableShutdownHooks([], { useProcessExit: true });
  const { demoMode } = await app.get(SetupService).run();
  await startupLock.release();
  await app.listen(config.PORT);
  new Logger('Rahmenkonzept-Monitor').log(
    `Bereit auf http://localhost:${config.PORT} (${demoMode ? 'Demobetrieb mit Beispieldaten' : 'Produktivbetrieb'})`,
  );
}

bootstrap().catch((error: unknown) => {
  if (
    error instanceof ConfigurationError ||
    error instanceof FrameworkFileError ||
    error instanceof DatabaseStartError
  ) {
    console.error(error.message);
  } else if (storageFault(error)) {
    // The database failed after the check (damaged pages read by a migration, the disk full while migrating).
    console.error(
      `Start abgebrochen: Die Datenbank ist nicht verwendbar (${error instanceof Error ? error.message : String(error)}).`,
    );
  } else {
    console.error('Start fehlgeschlagen:', error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
