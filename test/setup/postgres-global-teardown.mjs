// @ts-check
/** Stops the PostgreSQL server that the global set-up started, if it started one. */
import process from 'node:process';
import { SERVER_KEY } from './postgres-global-setup.mjs';

export default async function postgresGlobalTeardown() {
  const holder = /** @type {Record<string, unknown>} */ (globalThis);
  const server =
    /** @type {import('../../src/database/embedded-postgres.mjs').EmbeddedPostgresServer | undefined} */ (
      holder[SERVER_KEY]
    );
  if (!server) return;
  delete holder[SERVER_KEY];
  delete process.env.TEST_POSTGRES_URL;
  await server.stop();
}
