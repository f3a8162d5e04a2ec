import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../common/config/app-config.js';
import { buildDataSourceOptions } from '../database/database-options.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  let dir: string;
  let dataSource: DataSource;
  let transactions: TransactionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rkm-login-limiter-'));
    dataSource = new DataSource(buildDataSourceOptions({ DATABASE_PATH: join(dir, 'limiter.test.sqlite') }));
    await dataSource.initialize();
    await dataSource.runMigrations();
    // One per connection, as in the application: SQLite's shared connection takes one transaction at a time.
    transactions = new TransactionRunner(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  // Each limiter stands for one instance of the application; all of them share the database.
  const limiter = () =>
    new LoginLimiter({ LOGIN_MAX_FAILURES_PER_MINUTE: 3 } as AppConfig, dataSource, transactions);

  it('blocks after the configured number of failures within a minute, per account and address', async () => {
    const l = limiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) await l.recordFailure('A@x.de', '1.1.1.1', t0 + i * 1000);
    expect(await l.retryAfter('a@x.de', '1.1.1.1', t0 + 3000)).toBe(57);
    expect(await l.retryAfter('a@x.de', '2.2.2.2', t0 + 3000)).toBe(0);
    expect(await l.retryAfter('b@x.de', '1.1.1.1', t0 + 3000)).toBe(0);
    expect(await l.retryAfter('a@x.de', '1.1.1.1', t0 + 60_001)).toBe(0);
  });

  it('forgets failures after a successful sign-in', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await l.recordFailure('c@x.de', 'ip', 1000 + i);
    await l.reset('c@x.de', 'ip');
    expect(await l.retryAfter('c@x.de', 'ip', 2000)).toBe(0);
  });

  it('counts the failures of every instance on the database together', async () => {
    const [a, b] = [limiter(), limiter()];
    const t0 = 5_000_000;
    await a.recordFailure('d@x.de', 'ip', t0);
    await b.recordFailure('d@x.de', 'ip', t0 + 1000);
    expect(await b.retryAfter('d@x.de', 'ip', t0 + 2000)).toBe(0);
    await a.recordFailure('d@x.de', 'ip', t0 + 2000);
    expect(await b.retryAfter('d@x.de', 'ip', t0 + 3000)).toBe(57);
    await b.reset('d@x.de', 'ip');
    expect(await a.retryAfter('d@x.de', 'ip', t0 + 3000)).toBe(0);
  });

  it('counts concurrent failures without losing one', async () => {
    const [a, b] = [limiter(), limiter()];
    const t0 = 7_000_000;
    await Promise.all([0, 1, 2].map((i) => (i % 2 ? a : b).recordFailure('e@x.de', 'ip', t0 + i)));
    expect(await a.retryAfter('e@x.de', 'ip', t0 + 10)).toBe(60);
  });

  it('allows at most the limit of parallel attempts and refuses the rest without counting them', async () => {
    const [a, b] = [limiter(), limiter()];
    const t0 = 8_000_000;
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).begin('f@x.de', 'ip', t0 + i)),
    );
    expect(attempts.filter((x) => x.retryAfter === 0 && x.id !== null)).toHaveLength(3);
    expect(attempts.filter((x) => x.retryAfter > 0 && x.id === null)).toHaveLength(7);
    // The allowed attempts count as failures until they end; refused ones left no row.
    expect(await a.retryAfter('f@x.de', 'ip', t0 + 20)).toBe(60);
    const [first] = attempts.filter((x) => x.id !== null);
    await a.release(first);
    expect(await a.retryAfter('f@x.de', 'ip', t0 + 20)).toBe(0);
    expect((await b.begin('f@x.de', 'ip', t0 + 30)).retryAfter).toBe(0);
    await b.reset('f@x.de', 'ip');
    expect(await a.retryAfter('f@x.de', 'ip', t0 + 40)).toBe(0);
  });

  it('deletes failures older than the window and keeps neither address nor account in clear text', async () => {
    const l = limiter();
    await l.recordFailure('old@x.de', '9.9.9.9', 10_000_000);
    await l.recordFailure('new@x.de', '9.9.9.9', 10_000_000 + 61_000);
    const rows = await dataSource.query<{ keyHash: string; failedAt: string }[]>(
      'SELECT "keyHash", "failedAt" FROM "login_failures"',
    );
    expect(rows.filter((r) => Number(r.failedAt) <= 10_000_000)).toEqual([]);
    expect(JSON.stringify(rows)).not.toMatch(/x\.de|9\.9\.9\.9/);
  });
});
