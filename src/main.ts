import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { AppConfig, ConfigurationError, loadConfigFromEnvironment } from './common/config/app-config.js';
import { checkDatabase, DatabaseStartError } from './database/database-preflight.js';
import { storageFault } from './database/storage-faults.js';
import { FrameworkFileError } from './framework/framework-file.js';
import { SetupService } from './setup/setup.service.js';

async function bootstrap(): Promise<void> {
  // Validate the settings and the database before Nest starts, so that a bad one stops the start with one line.
  const settings = loadConfigFromEnvironment();
  await checkDatabase(settings);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    // Silent while the modules start; errors reach the handler below (one German line, or the stack of an
    // unexpected one) instead of Nest's own log and abort. The configured logger takes over right after.
    logger: false,
    abortOnError: false,
  });
  const config = app.get(AppConfig);
  app.useLogger(
    new ConsoleLogger({
      logLevels: (['error', 'warn', 'log', 'debug', 'verbose'] as const).slice(
        0,
        ['error', 'warn', 'log', 'debug', 'verbose'].indexOf(config.LOG_LEVEL) + 1,
      ),
    }),
  );
  configureApp(app);
  app.enableShutdownHooks();
  const { demoMode } = await app.get(SetupService).run();
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
