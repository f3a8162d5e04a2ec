/**
 * A job and SIGTERM, on the built application as a process with its SQLite file: an instance that is told to
 * stop while a job is still running takes no other job, waits SHUTDOWN_TIMEOUT_MS for it, then hands the job
 * back to the queue (not counted as an attempt) and exits 0; the next start takes it up at once (no lease to wait for) and finishes it. The job is stuck
 * printing a PDF (its CHROMIUM_PATH is a browser that never answers), so that it is certainly running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

describe('a running job when the instance is stopped', () => {
  let dir: string;
  let databasePath: string;
  let stuckBrowser: string;
  const servers: ServerProcess[] = [];

  function row(id: number): { state: string; holder: string | null; leaseUntil: number; attempts: number } {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare('SELECT "state", "holder", "leaseUntil", "attempts" FROM "jobs" WHERE "id" = ?')
        .get(id) as { state: string; holder: string | null; leaseUntil: number; attempts: number };
    } finally {
      db.close();
    }
  }

  async function until(
    server: ServerProcess,
    token: string,
    id: number,
    done: (job: JobView) => boolean,
  ): Promise<JobView> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const response = await fetch(`${server.url}/api/jobs/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const job = (await response.json()) as JobView;
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`Auftrag ${id}: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-jobs-shutdown-'));
    databasePath = join(dir, 'monitor.sqlite');
    stuckBrowser = createStuckBrowser(dir);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    if (dir) killStuckBrowsers(dir);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM hands a job that does not finish in time back to the queue; the next start finishes it', async () => {
    const env = {
      ...baseEnvironment(dir),
      DATABASE_PATH: databasePath,
      JOB_POLL_MS: '200',
      JOB_LEASE_MS: '60000',
    };
    const first = await startServer(
      { ...env, CHROMIUM_PATH: stuckBrowser, SHUTDOWN_TIMEOUT_MS: '1500' },
      120_000,
    );
    servers.push(first);
    const token = await signIn(first.url, 'admin@demo.local');
    const cycles = (await (
      await fetch(`${first.url}/api/reporting-cycles`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { id: number; state: string }[];
    const cycleId = cycles.find((c) => c.state === 'closed' || c.state === 'published')!.id;
    const queued = await fetch(`${first.url}/api/reporting-cycles/${cycleId}/report?format=pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    expect(queued.status).toBe(202);
    const { id } = (await queued.json()) as JobView;
    await until(first, token, id, (job) => job.state === 'running' && job.step === 'PDF drucken');
    // A second job waits behind it.
    const next = await fetch(`${first.url}/api/reporting-cycles/${cycleId}/report?format=xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    const { id: nextId } = (await next.json()) as JobView;

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toMatch(/handed back to the queue/);
    // Back in the queue, with its lease given up (a lease of a minute would otherwise hold it), and not
    // counted as an attempt (the instance did not die); the waiting job was not taken up while stopping.
    expect(row(id)).toMatchObject({ state: 'queued', holder: null, attempts: 0 });
    expect(Number(row(id).leaseUntil)).toBe(0);
    expect(row(nextId)).toMatchObject({ state: 'queued', holder: null, attempts: 0 });

    const second = await startServer({ ...env, CHROMIUM_PATH: (await chromiumExecutable()).path }, 120_000);
    servers.push(second);
    const done = await until(second, token, id, (job) => job.state === 'done' || job.state === 'failed');
    expect(done).toMatchObject({ state: 'done', attempts: 1, error: null, result: { format: 'pdf' } });
    const after = await until(second, token, nextId, (job) => job.state === 'done' || job.state === 'failed');
    expect(after).toMatchObject({ state: 'done', attempts: 1, result: { format: 'xlsx' } });
  }, 300_000);
});
