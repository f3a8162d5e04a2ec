/** Nunjucks for the server-rendered pages (autoescaped), German formatting filters, and the static assets. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import nunjucks from 'nunjucks';
import type { AppConfig } from '../common/config/app-config.js';
import { STATUS_KEY_LABELS } from '../dashboard/dashboard.service.js';
import { LEVEL_LABELS, LIFECYCLE_LABELS, REVIEW_STATE_LABELS } from '../measures/measure.constants.js';
import { CYCLE_STATE_LABELS } from '../reporting/reporting-cycle.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../framework/plans.service.js';
import { dativePlural, germanDate, germanDateTime, germanNumber } from './format.js';
import { wordedIn } from '../framework/request-words.js';

// Views and assets live in src/web (not compiled); this file sits in src/web or dist/web alike.
export const VIEWS_DIR = fileURLToPath(new URL('../../src/web/views', import.meta.url));
export const PUBLIC_DIR = fileURLToPath(new URL('../../src/web/public', import.meta.url));
/** The KERN UX-Standard's stylesheets and fonts, served from the installed package (no external CDN). */
export const KERN_DIST_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@kern-ux/native/package.json')),
  'dist',
);

export function configureViews(app: NestExpressApplication, config: AppConfig): void {
  const env = nunjucks.configure(VIEWS_DIR, {
    autoescape: true,
    express: app.getHttpAdapter().getInstance() as object,
    noCache: config.NODE_ENV !== 'production',
    throwOnUndefined: false,
  });
  env.addFilter('date', germanDate);
  env.addFilter('dative', dativePlural);
  // Bremen's own phrase while the plan speaks Bremen's words; a phrase that takes any noun otherwise (German
  // articles and adjectives follow the noun's gender, which a plan's vocabulary does not say).
  env.addGlobal('worded', (vocab: PlanVocabulary | undefined, own: string, neutral: string) =>
    wordedIn(vocab ?? DEFAULT_VOCABULARY, own, neutral),
  );
  env.addFilter('dateTime', germanDateTime);
  env.addFilter('number', (value: number | null | undefined, digits?: number) =>
    germanNumber(value, digits ?? 0),
  );
  env.addFilter('statusLabel', (key: string | null) =>
    key ? ((STATUS_KEY_LABELS as Record<string, string>)[key] ?? key) : STATUS_KEY_LABELS.none,
  );
  // A page passes its plan's level names (levelNames); without them, Bremen's.
  env.addFilter(
    'levelLabel',
    (key: string, names?: Record<string, string>) =>
      names?.[key] ?? (LEVEL_LABELS as Record<string, string>)[key] ?? key,
  );
  env.addFilter('lifecycleLabel', (key: string) => (LIFECYCLE_LABELS as Record<string, string>)[key] ?? key);
  env.addFilter('reviewLabel', (key: string) => (REVIEW_STATE_LABELS as Record<string, string>)[key] ?? key);
  env.addFilter(
    'cycleStateLabel',
    (key: string) => (CYCLE_STATE_LABELS as Record<string, string>)[key] ?? key,
  );
  app.setViewEngine('njk');
  app.useStaticAssets(KERN_DIST_DIR, {
    prefix: '/static/kern/',
    maxAge: config.NODE_ENV === 'production' ? '1d' : 0,
  });
  app.useStaticAssets(PUBLIC_DIR, {
    prefix: '/static/',
    maxAge: config.NODE_ENV === 'production' ? '1d' : 0,
  });
}
