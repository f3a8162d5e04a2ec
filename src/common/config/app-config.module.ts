import { Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { AppConfig, loadConfigFromEnvironment } from './app-config.js';

// The one place that reads process.env; everything else injects AppConfig.
export const appConfigFactory = registerAs('app', loadConfigFromEnvironment);

@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [appConfigFactory] })],
  providers: [
    { provide: AppConfig, inject: [appConfigFactory.KEY], useFactory: (config: AppConfig) => config },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
