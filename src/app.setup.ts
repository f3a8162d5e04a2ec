/**
 * Everything about the HTTP application that is not a module: security headers, body limits, the /api prefix,
 * the request context, the OpenAPI document. Shared by main.ts and the end-to-end tests.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppConfig } from './common/config/app-config.js';
import { bodyDepthLimit } from './common/http/body-depth.js';
import { documentErrorResponses } from './common/http/openapi-errors.js';
import { requestContextMiddleware } from './common/http/request-context.middleware.js';
import { accessLogMiddleware } from './common/logging/access-log.js';
import { AppLogger } from './common/logging/app-logger.js';
import { httpMetricsMiddleware } from './metrics/metrics.js';
import cookieParser from 'cookie-parser';
import { DataSource } from 'typeorm';
import { planAddressMiddleware } from './web/plan-address.middleware.js';
import { configureViews } from './web/views.js';

export const JSON_BODY_LIMIT = '256kb';

export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get(AppConfig);
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestContextMiddleware);
  // /plaene/<code>/… is served as /… with the request's plan set (the pages of one plan of several).
  app.use(planAddressMiddleware(app.get(DataSource)));
  // Inside the request context: the access line carries the request id; the latency goes to /metrics.
  app.use(accessLogMiddleware(app.get(AppLogger).pino));
  app.use(httpMetricsMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
    }),
  );
  app.use(cookieParser());
  configureViews(app, config);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  // Measured after parsing, before any route: a body nested too deeply is refused with 400.
  app.use(bodyDepthLimit());
  const document = documentErrorResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Rahmenkonzept-Monitor API')
        .setDescription('Umsetzung des Rahmenkonzepts verfolgen: Maßnahmen, Sachstandsmeldungen, Berichte.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    useGlobalPrefix: false,
  });
  return app;
}
