import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { AppConfig, ConfigurationError, loadConfigFromEnvironment } from './common/config/app-config.js';
import { FrameworkFileError } from './framework/framework-file.js';
import { SetupService } from './setup/setup.service.js';

async function bootstrap(): Promise<void> {
  // Validate the settings before Nest starts, so that a bad one stops the start with one line.
  loadConfigFromEnvironment();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(AppConfig);
  app.useLogger([
    ...(['error', 'warn', 'log', 'debug', 'verbose'] as const).slice(
      0,
      ['error', 'warn', 'log', 'debug', 'verbose'].indexOf(config.LOG_LEVEL) + 1,
    ),
  ]);
  configureApp(app);
  app.enableShutdownHooks();
  const { demoMode } = await app.get(SetupService).run();
  await app.listen(config.PORT);
  new Logger('Rahmenkonzept-Monitor').log(
    `Bereit auf http://localhost:${config.PORT} (${demoMode ? 'Demobetrieb mit Beispieldaten' : 'Produktivbetrieb'})`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof FrameworkFileError) {
    console.error(error.message);
  } else {
    console.error('Start fehlgeschlagen:', error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
