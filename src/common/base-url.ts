import type { AppConfig } from './config/app-config.js';

/**
 * The address people use to reach the installation, without a trailing slash: APP_BASE_URL (which may carry a
 * path prefix, e.g. https://example.org/monitor), else http://localhost:PORT. Links in mails and the sign-in
 * return address are built from it.
 */
export function appBaseUrl(config: Pick<AppConfig, 'APP_BASE_URL' | 'PORT'>): string {
  return (config.APP_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
