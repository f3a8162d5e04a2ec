/**
 * The signing secret: from AUTH_SECRET, or generated once and kept in the secrets file under data/
 * (never committed), so that tokens survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../common/config/app-config.js';

export function resolveAuthSecret(config: Pick<AppConfig, 'AUTH_SECRET' | 'SECRETS_FILE'>): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  const file = config.SECRETS_FILE;
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { authSecret?: string };
    if (stored.authSecret && stored.authSecret.length >= 32) return stored.authSecret;
  }
  const authSecret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ authSecret }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return authSecret;
}
