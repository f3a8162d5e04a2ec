import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AppLogger, createPinoLogger } from './app-logger.js';

/** The one AppLogger of the application, built from LOG_LEVEL and LOG_FORMAT. */
@Global()
@Module({
  providers: [
    {
      provide: AppLogger,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new AppLogger(createPinoLogger(config)),
    },
  ],
  exports: [AppLogger],
})
export class LoggingModule {}
