/**
 * Two instances (two real server processes) on one PostgreSQL database, as a data centre runs them behind a
 * load balancer: both start at the same moment on an empty database, a sign-in on one is valid on the other,
 * failed sign-ins count on both together, a write on one shows at once on the other's dashboard, a report
 * built on one downloads from the other (each with a reports folder of its own), and SIGTERM during a request
 * still answers it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  baseEnvironment,
  ensureBuilt,
  type ServerProcess,
  signIn,
  startServer,
} from './helpers/server-process.js';
import { dropPostgresDatabase, ensurePostgresDatabase, testDatabasePath } from './helpers/test-app.js';

interface Dashboard {
  totals: { total: number };
}

describe('two instances on one PostgreSQL database', () => {
  const database = testDatabasePath('instances');
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const servers: ServerProcess[] = [];

  async function query<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const call = async (
    server: ServerProcess,
    path: string,
    options: { token?: string; method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${server.url}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (a file)
    }
    return { status: response.status, body };
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-instances-'));
    await ensurePostgresDatabase(database);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await dropPostgresDatabase(database);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('both start at the same moment on an empty database, and the framework is loaded once', async () => {
    const env = { ...baseEnvironment(dir), DATABASE_URL: database };
    // Each instance with a reports folder of its own, as on two machines.
    const started = await Promise.allSettled([
      startServer({ ...env, REPORTS_DIR: join(dir, 'reports-a') }, 120_000),
      startServer({ ...env, REPORTS_DIR: join(dir, 'reports-b') }, 120_000),
    ]);
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    expect(
      started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
    ).toEqual(['started', 'started']);
    [a, b] = servers;
    for (const server of servers) expect(server.output()).not.toMatch(/error|fehlgeschlagen|abgebrochen/i);

    expect(await query('SELECT "code", COUNT(*) AS "n" FROM "frameworks" GROUP BY "code"')).toEqual([
      { code: expect.any(String), n: '1' },
    ]);
    expect(await query('SELECT COUNT(*) AS "n" FROM "goals"')).toEqual([{ n: '4' }]);
    expect(await query('SELECT COUNT(*) AS "n" FROM "action_fields"')).toEqual([{ n: '13' }]);
    expect(await query(`SELECT COUNT(*) AS "n" FROM "users" WHERE "email" LIKE '%@demo.local'`)).toEqual([
      { n: '4' },
    ]);
    expect(await query('SELECT "name" FROM "migrations" GROUP BY "name" HAVING COUNT(*) > 1')).toEqual([]);
    // The example data once: no measure twice.
    expect(await query('SELECT "code" FROM "measures" GROUP BY "code" HAVING COUNT(*) > 1')).toEqual([]);
  }, 300_000);

  it('a sign-in on one instance is valid on the other', async () => {
    const token = await signIn(a.url, 'admin@demo.local');
    const measures = await call(b, '/api/measures?pageSize=1&lifecycle=active', { token });
    expect(measures.status).toBe(200);
    const [measure] = (measures.body as { items: { id: number }[] }).items;
    const report = await call(b, `/api/measures/${measure.id}/status-reports`, {
      token,
      method: 'POST',
      body: { status: 'in_progress', progress: 30, summary: 'Gemeldet über die zweite Instanz.' },
    });
    expect(report.status).toBe(201);
    // Signing out on B ends the session on A too.
    expect((await call(b, '/api/auth/logout', { token, method: 'POST' })).status).toBeLessThan(300);
    expect((await call(a, '/api/measures?pageSize=1', { token })).status).toBe(401);
  });

  it('five failed sign-ins on one instance and one more on the other give 429', async () => {
    for (let i = 0; i < 5; i++) {
      const failed = await call(a, '/api/auth/login', {
        method: 'POST',
        body: { email: 'bildung@demo.local', password: `falsch-${i}` },
      });
      expect(failed.status).toBe(401);
    }
    const blocked = await call(b, '/api/auth/login', {
      method: 'POST',
      body: { email: 'bildung@demo.local', password: 'demo1234' },
    });
    expect(blocked).toMatchObject({
      status: 429,
      body: { message: expect.stringMatching(/Zu viele fehlgeschlagene Anmeldungen/) },
    });
  });

  it("a write on one instance shows at once on the other's dashboard", async () => {
    const token = await signIn(a.url, 'admin@demo.local');
    const before = (await call(b, '/api/dashboard', { token })).body as Dashboard;
    const ids = async (path: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        ((await call(a, path, { token })).body as { code: string; id: number }[]).map((r) => [r.code, r.id]),
      );
    const [goals, fields, departments] = [
      await ids('/api/goals'),
      await ids('/api/action-fields'),
      await ids('/api/departments'),
    ];
    const created = await call(a, '/api/measures', {
      token,
      method: 'POST',
      body: {
        code: '3.1-I01',
        title: 'Sprachcafés an zwei Standorten',
        description: 'Angelegt auf der ersten Instanz.',
        actionFieldId: fields['3.1'],
        goalIds: [goals['2.1']],
        leadDepartmentId: departments.ASJI,
        participatingDepartmentIds: [],
        level: 'bremen',
        targetGroups: [],
        plannedStart: '2026-01-01',
        plannedEnd: '2026-12-31',
      },
    });
    expect(created.status).toBe(201);
    const after = (await call(b, '/api/dashboard', { token })).body as Dashboard;
    expect(after.totals.total).toBe(before.totals.total + 1);
  });

  it('a report built on A downloads from B', async () => {
    const token = await signIn(a.url, 'admin@demo.local');
    const file = async (server: ServerProcess, path: string, method = 'GET'): Promise<Buffer> => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    const cycles = (await call(a, '/api/reporting-cycles', { token })).body as { id: number; code: string }[];
    const cycleId = cycles.find((cycle) => cycle.code === '2022-2023')!.id;
    const built = await file(a, `/api/reporting-cycles/${cycleId}/report`, 'POST');
    const [report] = (await call(b, `/api/reports?cycleId=${cycleId}`, { token })).body as {
      id: number;
      fileName: string;
      sha256: string;
    }[];
    expect(existsSync(join(dir, 'reports-a', report.fileName))).toBe(true);
    expect(existsSync(join(dir, 'reports-b', report.fileName))).toBe(false);

    const downloaded = await file(b, `/api/reports/${report.id}/download`);
    expect(downloaded.equals(built)).toBe(true);
    expect(createHash('sha256').update(downloaded).digest('hex')).toBe(report.sha256);
  });

  it('SIGTERM during a request still answers it', async () => {
    const token = await signIn(b.url, 'admin@demo.local');
    const cycles = (await call(b, '/api/reporting-cycles', { token })).body as { items?: { id: number }[] };
    const cycleId = (cycles.items ?? (cycles as unknown as { id: number }[]))[0].id;
    // Building a cycle's report takes a moment: the signal arrives while several are being built.
    const reportsOfB = join(dir, 'reports-b');
    const filesOfB = () => (existsSync(reportsOfB) ? readdirSync(reportsOfB).length : 0);
    const before = filesOfB();
    let signalled = false;
    const building = Array.from({ length: 4 }, () =>
      call(b, `/api/reporting-cycles/${cycleId}/report`, { token, method: 'POST' }).then((answer) => ({
        ...answer,
        afterSignal: signalled,
      })),
    );
    // Each build creates its file first: once all four exist, B is working on all four requests (a request
    // still on its way when the signal comes would rightly be refused: B no longer takes new ones).
    for (let waited = 0; filesOfB() < before + 4; waited += 10) {
      if (waited > 60_000) throw new Error('B did not start the four builds');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    b.child.kill('SIGTERM');
    signalled = true;
    const answers = await Promise.all(building);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // At least one of them was still running when the signal came.
    expect(answers.some((answer) => answer.afterSignal)).toBe(true);
    expect(await b.exited).toBe(0);
    // The other instance serves on.
    expect((await call(a, '/api/health/live')).status).toBe(200);
  });
});
