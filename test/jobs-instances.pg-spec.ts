/**
 * Jobs with several instances on one PostgreSQL database, as real server processes: a job survives the
 * instance that took it being killed (kill -9) — the dead instance's lease runs out and another instance
 * finishes the job —, the holder renews its lease while it works, and of many jobs queued on two instances at
 * once each is done exactly once. The instance that dies is stuck printing a PDF: its CHROMIUM_PATH is a
 * browser that never answers, so that it is certainly in the middle of the job when it is killed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { JobView } from '../src/jobs/jobs.service.js';
import { chromiumExecutable } from './helpers/browser.js';
import { createStuckBrowser, killStuckBrowsers } from './helpers/stuck-browser.js';
import {
  baseEnvironment,
  ensureBuilt,
  type ServerProcess,
  signIn,
  startServer,
} from './helpers/server-process.js';
import { dropPostgresDatabase, ensurePostgresDatabase, testDatabasePath } from './helpers/test-app.js';

describe('jobs on two instances of one PostgreSQL database', () => {
  const database = testDatabasePath('jobs-instances');
  let dir: string;
  let stuckBrowser: string;
  const servers: ServerProcess[] = [];

  async function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function start(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    const server = await startServer(
      {
        ...baseEnvironment(dir),
        DATABASE_URL: database,
        JOB_POLL_MS: '200',
        JOB_LEASE_MS: '3000',
        ...env,
      },
      120_000,
    );
    servers.push(server);
    return server;
  }

  async function job(server: ServerProcess, token: string, id: number): Promise<JobView> {
    const response = await fetch(`${server.url}/api/jobs/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as JobView;
  }

  async function until(
    server: ServerProcess,
    token: string,
    id: number,
    done: (job: JobView) => boolean,
    timeoutMs = 120_000,
  ): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await job(server, token, id);
      if (done(current)) return current;
      if (Date.now() > deadline) throw new Error(`Auftrag ${id}: ${JSON.stringify(current)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function queueReport(
    server: ServerProcess,
    token: string,
    cycleId: number,
    format: string,
  ): Promise<JobView> {
    const response = await fetch(`${server.url}/api/reporting-cycles/${cycleId}/report?format=${format}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    expect(response.status).toBe(202);
    return (await response.json()) as JobView;
  }

  async function closedCycle(server: ServerProcess, token: string): Promise<number> {
    const response = await fetch(`${server.url}/api/reporting-cycles`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const cycles = (await response.json()) as { id: number; state: string }[];
    return cycles.find((c) => c.state === 'closed' || c.state === 'published')!.id;
  }

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-jobs-'));
    // A browser that starts and never answers: the print waits, the job stays in the middle of its work.
    stuckBrowser = createStuckBrowser(dir);
    await ensurePostgresDatabase(database);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    if (dir) killStuckBrowsers(dir);
    await dropPostgresDatabase(database);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a job survives kill -9 of the instance that took it: another instance finishes it', async () => {
    const chromium = (await chromiumExecutable()).path;
    const a = await start({ CHROMIUM_PATH: stuckBrowser, REPORTS_DIR: join(dir, 'reports-a') });
    const token = await signIn(a.url, 'admin@demo.local');
    const cycleId = await closedCycle(a, token);
    const queued = await queueReport(a, token, cycleId, 'pdf');

    // A takes it up and gets stuck printing.
    const running = await until(
      a,
      token,
      queued.id,
      (j) => j.state === 'running' && j.step === 'PDF drucken',
    );
    expect(running.attempts).toBe(1);
    // While A lives it renews its lease: after more than a lease's time the job is still A's.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const [held] = await query<{ state: string; holder: string; leaseUntil: string; attempts: number }>(
      `SELECT "state", "holder", "leaseUntil", "attempts" FROM "jobs" WHERE "id" = $1`,
      [queued.id],
    );
    expect(held.state).toBe('running');
    expect(Number(held.leaseUntil)).toBeGreaterThan(Date.now());
    const holderA = held.holder;

    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');

    // B, with a browser that works, takes the job up once A's lease has run out, and finishes it.
    const b = await start({ CHROMIUM_PATH: chromium, REPORTS_DIR: join(dir, 'reports-b') });
    const done = await until(b, token, queued.id, (j) => j.state === 'done' || j.state === 'failed');
    expect(done).toMatchObject({ state: 'done', attempts: 2, error: null, result: { format: 'pdf' } });
    const [record] = await query<{ holder: string | null }>(`SELECT "holder" FROM "jobs" WHERE "id" = $1`, [
      queued.id,
    ]);
    expect(record.holder).toBeNull();
    expect(holderA).toMatch(/^instanz-/);
    // The report is there once, downloadable from B.
    const download = await fetch(`${b.url}/api/reports/${Number(done.result!.reportId)}/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(
      await query(`SELECT COUNT(*) AS "n" FROM "implementation_reports" WHERE "format" = 'pdf'`),
    ).toEqual([{ n: '1' }]);
  }, 300_000);

  it('of many jobs queued on two instances at once, each is done exactly once', async () => {
    const b = servers.at(-1)!;
    const c = await start({ REPORTS_DIR: join(dir, 'reports-c') });
    const token = await signIn(b.url, 'admin@demo.local');
    const cycleId = await closedCycle(b, token);
    const [{ n: before }] = await query<{ n: string }>(
      `SELECT COUNT(*) AS "n" FROM "implementation_reports"`,
    );
    // Meanwhile no instance ever holds two running jobs (one at a time each).
    const doubles: unknown[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        doubles.push(
          ...(await query(
            `SELECT "holder", COUNT(*) AS "n" FROM "jobs" WHERE "state" = 'running' GROUP BY "holder" HAVING COUNT(*) > 1`,
          )),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const queued = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        queueReport(i % 2 ? b : c, token, cycleId, i % 4 === 0 ? 'docx' : 'xlsx'),
      ),
    );
    const ended = await Promise.all(
      queued.map((q) => until(b, token, q.id, (j) => j.state === 'done' || j.state === 'failed')),
    );
    watching = false;
    await watch;
    expect(doubles).toEqual([]);
    expect(ended.map((j) => [j.state, j.attempts])).toEqual(queued.map(() => ['done', 1]));
    const reportIds = ended.map((j) => Number(j.result!.reportId));
    expect(new Set(reportIds).size).toBe(8);
    const [{ n: after }] = await query<{ n: string }>(`SELECT COUNT(*) AS "n" FROM "implementation_reports"`);
    expect(Number(after) - Number(before)).toBe(8);
    // The queue is empty again, as the metrics' gauge counts it.
    expect(await query(`SELECT "state" FROM "jobs" WHERE "state" IN ('queued', 'running')`)).toEqual([]);
  }, 300_000);
});
