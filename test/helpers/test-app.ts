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
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { AppConfig, validateConfig } from '../../src/common/config/app-config.js';
import { SetupService } from '../../src/setup/setup.service.js';

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

export function testDatabasePath(name = 'suite'): string {
  mkdirSync(TMP_DIR, { recursive: true });
  return join(TMP_DIR, `${name}-${randomUUID().slice(0, 8)}.test.sqlite`);
}

export async function createTestApp(settings: Record<string, string> = {}): Promise<TestApp> {
  const databasePath = settings.DATABASE_PATH ?? testDatabasePath();
  if (!/test/i.test(databasePath))
    throw new Error(`Refusing to run tests against ${databasePath}: not a test database`);
  const config = validateConfig({
    NODE_ENV: 'test',
    DEMO: 'true',
    PASSWORD_HASH_ROUNDS: '4',
    AUTH_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    SECRETS_FILE: join(TMP_DIR, 'secrets.test.json'),
    LOG_LEVEL: 'error',
    REPORTS_DIR: join(TMP_DIR, 'reports'),
    ...settings,
    DATABASE_PATH: databasePath,
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
        for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
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

/** A fingerprint of the data that matters: counts plus the measures' and users' rows as stored. */
export async function databaseFingerprint(dataSource: DataSource): Promise<string> {
  const counts = await tableCounts(dataSource);
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
