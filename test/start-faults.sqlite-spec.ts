/**
 * Starting on a database file that cannot be used: no SQLite file at all, a damaged one, one on a read-only
 * file system. Each stops the start at once with one German line naming the file and the problem, exit code 1.
 * A file whose table pages are damaged starts, but readiness (/api/health) reads the main tables and says 503.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { baseEnvironment, ensureBuilt, SERVER_ENTRY } from './helpers/server-process.js';
import { createTestApp, testDatabasePath } from './helpers/test-app.js';

interface Start {
  code: number | null;
  stderr: string;
  ms: number;
}

/** Starts the server and waits for it to end by itself (killed after 20 s: the start should fail long before). */
function start(env: NodeJS.ProcessEnv): Promise<Start> {
  const began = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - began });
    });
  });
}

/** A small valid SQLite database (not the application's schema: the check reads and writes, nothing more). */
function sqliteFile(path: string): void {
  const db = new Database(path);
  db.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
  db.close();
}

describe('starting on a database that cannot be used', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-start-faults-'));
    env = baseEnvironment(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectOneLine = (result: Start, path: string, problem: RegExp): void => {
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(/^Start abgebrochen: Die Datenbankdatei /);
    expect(lines[0]).toMatch(problem);
    // Before the fix the start retried for half a minute; now it ends at once (generous bound).
    expect(result.ms).toBeLessThan(10_000);
  };

  it('a file that is no SQLite database', async () => {
    const path = join(dir, 'text.sqlite');
    writeFileSync(path, 'Dies ist eine Textdatei und keine Datenbank.\n'.repeat(200));
    expectOneLine(await start({ ...env, DATABASE_PATH: path }), path, /keine SQLite-Datenbank/);
  }, 30_000);

  it('a damaged SQLite file (its first page overwritten)', async () => {
    const path = join(dir, 'damaged.sqlite');
    sqliteFile(path);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(1000, 0xff), 0, 1000, 100);
    closeSync(fd);
    expectOneLine(await start({ ...env, DATABASE_PATH: path }), path, /beschädigt/);
  }, 30_000);

  it('a file on a read-only file system (needs root to mount one)', async () => {
    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      throw new Error(
        'Dieser Test hängt ein schreibgeschütztes tmpfs ein und braucht root: als root ausführen (z. B. `sudo npm run test:sqlite -- test/start-faults.sqlite-spec.ts`).',
      );
    const mountPoint = join(dir, 'ro');
    execFileSync('mkdir', ['-p', mountPoint]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    try {
      const path = join(mountPoint, 'readonly.sqlite');
      sqliteFile(path);
      execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      expectOneLine(await start({ ...env, DATABASE_PATH: path }), path, /schreibgeschützt|nicht öffnen/);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  }, 30_000);

  it('damaged table pages: the service starts, readiness reads the main tables and answers 503', async () => {
    const path = testDatabasePath('damaged-pages');
    const first = await createTestApp({ DATABASE_PATH: path, KEEP_DATABASE: 'true' });
    const healthy = await first.http.get('/api/health');
    expect(healthy.status).toBe(200);
    await first.close();

    // Overwrite the root page of status_reports (the WAL was checkpointed into the file when it closed).
    const db = new Database(path, { readonly: true });
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const rootPage = Number(
      (
        db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'status_reports'`).get() as {
          rootpage: number;
        }
      ).rootpage,
    );
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootPage - 1) * pageSize);
    closeSync(fd);

    const second = await createTestApp({ DATABASE_PATH: path });
    try {
      const live = await second.http.get('/api/health/live');
      expect(live.status).toBe(200);
      const ready = await second.http.get('/api/health');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        code: 'DATABASE_DAMAGED',
        database: { state: 'damaged', table: 'status_reports' },
      });
      expect((ready.body as { message: string }).message).toMatch(/^Die Datenbank ist beschädigt/);
    } finally {
      await second.close();
    }
  }, 60_000);
});
