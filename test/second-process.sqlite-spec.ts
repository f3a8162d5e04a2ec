/**
 * Two processes on one SQLite file: two servers taking status reports at once, and the command line's
 * plan:import while a server takes reports. Every write waits for the write lock instead of failing with
 * "database is locked"; a lock held past DATABASE_LOCK_TIMEOUT_MS is 503 with Retry-After, never 500.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  baseEnvironment,
  ensureBuilt,
  type ServerProcess,
  signIn,
  startServer,
} from './helpers/server-process.js';

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

async function report(server: ServerProcess, token: string, measureId: number, n: number): Promise<Answer> {
  const response = await fetch(`${server.url}/api/measures/${measureId}/status-reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      status: 'in_progress',
      progress: n % 100,
      summary: `Gleichzeitige Meldung Nr. ${n}`,
    }),
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
}

async function measureIds(server: ServerProcess, token: string): Promise<number[]> {
  const response = await fetch(`${server.url}/api/measures?pageSize=30&lifecycle=active`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { items: { id: number }[] }).items.map((m) => m.id);
}

describe('two processes on one SQLite file', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const servers: ServerProcess[] = [];

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-two-processes-'));
    env = { ...baseEnvironment(dir), DATABASE_PATH: join(dir, 'shared.test.sqlite') };
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('two servers take 60 concurrent status reports without a single 500', async () => {
    const a = await startServer(env);
    servers.push(a);
    const b = await startServer(env);
    servers.push(b);
    const [tokenA, tokenB] = [
      await signIn(a.url, 'admin@demo.local'),
      await signIn(b.url, 'admin@demo.local'),
    ];
    const ids = await measureIds(a, tokenA);
    const before = new Database(env.DATABASE_PATH, { readonly: true });
    const countBefore = (before.prepare('SELECT COUNT(*) AS n FROM status_reports').get() as { n: number }).n;
    before.close();

    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        n % 2 === 0 ? report(a, tokenA, ids[n % ids.length], n) : report(b, tokenB, ids[n % ids.length], n),
      ),
    );
    expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
    const after = new Database(env.DATABASE_PATH, { readonly: true });
    expect((after.prepare('SELECT COUNT(*) AS n FROM status_reports').get() as { n: number }).n).toBe(
      countBefore + 60,
    );
    after.close();
  }, 120_000);

  it('the command line imports a Maßnahmenplan while a server takes reports', async () => {
    const server = servers[0];
    const token = await signIn(server.url, 'admin@demo.local');
    const ids = await measureIds(server, token);
    const cli = spawn(
      process.execPath,
      ['dist/cli/main.js', 'plan:import', 'data/massnahmenplan-beispiel.xlsx'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let cliOutput = '';
    cli.stdout.on('data', (chunk: Buffer) => (cliOutput += chunk.toString('utf8')));
    cli.stderr.on('data', (chunk: Buffer) => (cliOutput += chunk.toString('utf8')));
    const cliExit = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    const answers: Answer[] = [];
    let n = 1000;
    let running = true;
    void cliExit.then(() => (running = false));
    // Reports keep coming for as long as the import runs (at least 30).
    while (running || answers.length < 30) {
      answers.push(
        ...(await Promise.all([0, 1, 2].map(() => report(server, token, ids[n % ids.length], n++)))),
      );
    }
    expect({ exit: await cliExit, output: cliOutput }).toMatchObject({ exit: 0 });
    expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
  }, 120_000);

  it('a write lock held past the timeout gives 503 with Retry-After, and nothing is written', async () => {
    const impatient = await startServer({ ...env, DATABASE_LOCK_TIMEOUT_MS: '300' });
    servers.push(impatient);
    const token = await signIn(impatient.url, 'admin@demo.local');
    const [measureId] = await measureIds(impatient, token);
    const holder = new Database(env.DATABASE_PATH);
    const countBefore = (holder.prepare('SELECT COUNT(*) AS n FROM status_reports').get() as { n: number }).n;
    holder.exec('BEGIN IMMEDIATE');
    try {
      const refused = await report(impatient, token, measureId, 1);
      expect(refused).toEqual({
        status: 503,
        code: 'DATABASE_BUSY',
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      // The process stays responsive while it waits for the lock (the wait does not block its event loop).
      const live = await fetch(`${impatient.url}/api/health/live`);
      expect(live.status).toBe(200);
    } finally {
      holder.exec('ROLLBACK');
    }
    expect((holder.prepare('SELECT COUNT(*) AS n FROM status_reports').get() as { n: number }).n).toBe(
      countBefore,
    );
    holder.close();
    expect((await report(impatient, token, measureId, 2)).status).toBe(201);
  }, 120_000);
});
