/**
 * Boots the whole application for an end-to-end suite on a fresh database of its own, with the real
 * migrations and the real start-up loading. Refuses to touch a database whose name does not say "test".
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { AppConfig, validateConfig } from '../../src/common/config/app-config.js';
import { SetupService } from '../../src/setup/setup.service.js';
import { ONE_PLAN } from './server-process.js';

type TestAgent = ReturnType<typeof request>;

export const TMP_DIR = resolve('test/.tmp');

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  dataSource: DataSource;
  config: AppConfig;
  databasePath: string;
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The suites run against PostgreSQL when the "postgres" Jest project sets TEST_DATABASE. */
export const ON_POSTGRES = process.env.TEST_DATABASE === 'postgres';
/**
 * A server where the test role may create databases: TEST_POSTGRES_URL, or the server that the "postgres"
 * project's global set-up started (test/setup/postgres-global-setup.ts).
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? '';

/** A fresh database for a suite: an SQLite file under test/.tmp, or a PostgreSQL database URL. */
export function testDatabasePath(name = 'suite'): string {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  if (ON_POSTGRES) {
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/rkm_test_${id.replace(/-/g, '_')}`;
    return url.toString();
  }
  mkdirSync(TMP_DIR, { recursive: true });
  return join(TMP_DIR, `${id}.test.sqlite`);
}

async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!POSTGRES_ADMIN_URL)
    throw new Error(
      'Keine PostgreSQL-Adresse: die Suiten des Projekts "postgres" mit `npm test` oder `npm run test:postgres` starten (sie starten ihren eigenen Server) oder TEST_POSTGRES_URL setzen.',
    );
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL ist unter ${POSTGRES_ADMIN_URL.replace(/:[^:@/]+@/, ':***@')} nicht erreichbar (${error instanceof Error ? error.message : String(error)}). ` +
        'TEST_POSTGRES_URL muss auf einen laufenden Server mit einer Rolle zeigen, die Datenbanken anlegen darf; ohne TEST_POSTGRES_URL startet der Testlauf seinen eigenen.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function ensurePostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withPostgresAdmin(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      // C collation: the same byte order as SQLite, so both databases sort codes alike.
      await client.query(
        `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    }
  });
}

/**
 * Drops a suite's database. A plain DROP first: it also stops an autovacuum worker busy in that database,
 * which FORCE may not (terminating the server's own processes needs rights the test role lacks). FORCE only
 * when the suite's own connections are still open.
 */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withPostgresAdmin(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        return;
      } catch (error) {
        // 55006: still in use by other sessions.
        if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    }
  });
}

export async function createTestApp(settings: Record<string, string> = {}): Promise<TestApp> {
  const databasePath = settings.DATABASE_PATH ?? testDatabasePath();
  if (!/test/i.test(databasePath))
    throw new Error(`Refusing to run tests against ${databasePath}: not a test database`);
  const onPostgres = databasePath.startsWith('postgres');
  if (onPostgres) await ensurePostgresDatabase(databasePath);
  const config = validateConfig({
    NODE_ENV: 'test',
    DEMO: 'true',
    PASSWORD_HASH_ROUNDS: '4',
    AUTH_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    SECRETS_FILE: join(TMP_DIR, 'secrets.test.json'),
    LOG_LEVEL: 'error',
    REPORTS_DIR: join(TMP_DIR, 'reports'),
    // The demo as of a fixed day (before the 2024-2025 deadline): its cycle states stay what the suites expect.
    EXAMPLE_DATA_DATE: '2025-12-15',
    ...ONE_PLAN,
    ...settings,
    ...(onPostgres
      ? { DATABASE_URL: databasePath, DATABASE_PATH: 'unused-test.sqlite' }
      : { DATABASE_PATH: databasePath }),
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app);
  await app.init();
  try {
    await app.get(SetupService).run();
  } catch (error) {
    await app.close();
    throw error;
  }
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    config,
    databasePath,
    dataSource: app.get(DataSource),
    async login(email: string, password = 'demo1234'): Promise<string> {
      const cached = tokens.get(`${email}|${password}`);
      if (cached) return cached;
      const response = await http.post('/api/auth/login').send({ email, password });
      if (response.status !== 200)
        throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
      const token = (response.body as { accessToken: string }).accessToken;
      tokens.set(`${email}|${password}`, token);
      return token;
    },
    async close(): Promise<void> {
      await app.close();
      if (!settings.KEEP_DATABASE) {
        if (onPostgres) await dropPostgresDatabase(databasePath);
        else for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
      }
    },
  };
}

/** Row counts of every table: a refused request must leave all of them as they were. */
export async function tableCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const metadata of dataSource.entityMetadatas) {
    const [row] = (await dataSource.query<unknown>(`SELECT COUNT(*) AS n FROM "${metadata.tableName}"`)) as {
      n: number | string;
    }[];
    counts[metadata.tableName] = Number(row.n);
  }
  return counts;
}

/**
 * A fingerprint of the data that matters: counts plus the measures' and users' rows as stored. Without the
 * workbooks kept between a preview and "Übernehmen" (`staged_uploads`): keeping the checked file is no change
 * of data.
 */
export async function databaseFingerprint(dataSource: DataSource): Promise<string> {
  const counts = await tableCounts(dataSource);
  delete counts.staged_uploads;
  const measures = (await dataSource.query<unknown>(
    `SELECT "id", "code", "title", "description", "leadDepartmentId", "lifecycle", "status", "progress", "version" FROM "measures" ORDER BY "id"`,
  )) as unknown[];
  const users = (await dataSource.query<unknown>(
    `SELECT "id", "email", "role", "active", "tokenGeneration", "version" FROM "users" ORDER BY "id"`,
  )) as unknown[];
  const reports = (await dataSource.query<unknown>(
    `SELECT "id", "reviewState", "reviewComment" FROM "status_reports" ORDER BY "id"`,
  )) as unknown[];
  const cycles = (await dataSource.query<unknown>(
    `SELECT "id", "code", "name", "state", "version" FROM "reporting_cycles" ORDER BY "id"`,
  )) as unknown[];
  return JSON.stringify({ counts, measures, users, reports, cycles });
}
