/**
 * A full disk under the SQLite file (a real tmpfs, filled up): writes are refused with 503 and a German
 * message while it is full, never acknowledged and then lost; once space is freed the writes go through again,
 * and every write that was answered 2xx is in the file after a restart. Needs root for `mount -t tmpfs`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const HOW_TO_RUN =
  'Dieser Test hängt ein tmpfs ein und braucht dafür root: als root ausführen (z. B. `sudo npm run test:sqlite -- test/disk-full.sqlite-spec.ts`).';

const mounted: string[] = [];

/** A fresh tmpfs of the given size; unmounted after the suite. */
function mountTmpfs(size: string): string {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error(HOW_TO_RUN);
  const mountPoint = mkdtempSync(join(tmpdir(), 'rkm-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    rmSync(mountPoint, { recursive: true, force: true });
    throw new Error(`tmpfs ließ sich nicht einhängen (${String(error)}). ${HOW_TO_RUN}`, { cause: error });
  }
  mounted.push(mountPoint);
  return mountPoint;
}

/** Fills the file system with one file until at most `leaveBytes` are free; returns the file. */
function fill(mountPoint: string, leaveBytes: number): string {
  const filler = join(mountPoint, 'filler.bin');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(mountPoint);
      if (bavail * bsize <= leaveBytes) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, bavail * bsize - leaveBytes));
    }
  } catch {
    // ENOSPC: full enough
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('disk full', () => {
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    for (const mountPoint of mounted) {
      execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('under the SQLite file: 503 while the disk is full, and every acknowledged write kept', async () => {
    const mountPoint = mountTmpfs('16m');
    const databasePath = join(mountPoint, 'disk-full.test.sqlite');
    t = await createTestApp({ DATABASE_PATH: databasePath, KEEP_DATABASE: 'true' });
    const token = await t.login('admin@demo.local');
    const measures = await t.http
      .get('/api/measures?pageSize=20&lifecycle=active')
      .set('authorization', `Bearer ${token}`);
    const measureIds = (measures.body as { items: { id: number }[] }).items.map((m) => m.id);
    expect(measureIds.length).toBeGreaterThan(0);

    const acknowledged = new Map<number, string>();
    const refusals: { status: number; code?: string; retryAfter?: string; message?: string }[] = [];
    let sequence = 0;
    const write = async (): Promise<number> => {
      sequence += 1;
      const summary = `Sachstand Nr. ${sequence}: ${'Fortschritt im Quartier. '.repeat(150)}`
        .slice(0, 4000)
        .trim();
      const response = await t!.http
        .post(`/api/measures/${measureIds[sequence % measureIds.length]}/status-reports`)
        .set('authorization', `Bearer ${token}`)
        .send({ status: 'in_progress', progress: sequence % 100, summary });
      if (response.status >= 200 && response.status < 300) {
        acknowledged.set((response.body as { id: number }).id, summary);
      } else {
        const body = response.body as { code?: string; message?: string };
        refusals.push({
          status: response.status,
          code: body.code,
          message: body.message,
          retryAfter: response.headers['retry-after'],
        });
      }
      return response.status;
    };

    // Fill the disk: a filler file takes all but ~256 KB, then writes until they are refused.
    const filler = fill(mountPoint, 256 * 1024);
    for (let i = 0; i < 400 && refusals.length < 5; i++) await write();

    expect(refusals.length).toBeGreaterThanOrEqual(5);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: 503, code: 'STORAGE_FULL' });
      expect(refusal.message).toMatch(/^Der Speicher der Datenbank ist voll/);
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
    }

    // Space again: 50 more writes, each acknowledged.
    rmSync(filler);
    const after: number[] = [];
    for (let i = 0; i < 50; i++) after.push(await write());
    expect(after.filter((status) => status !== 201)).toEqual([]);

    // Restart on the same file: every acknowledged write is there, with what was written.
    await t.close();
    t = await createTestApp({ DATABASE_PATH: databasePath, KEEP_DATABASE: 'true' });
    const ids = [...acknowledged.keys()];
    const rows = await t.dataSource.query<{ id: number; summary: string }[]>(
      `SELECT "id", "summary" FROM "status_reports" WHERE "id" IN (${ids.join(',')})`,
    );
    const stored = new Map(rows.map((row) => [Number(row.id), row.summary]));
    const missing = ids.filter((id) => stored.get(id) !== acknowledged.get(id));
    expect({ acknowledged: ids.length, missing }).toEqual({ acknowledged: ids.length, missing: [] });
    expect(ids.length).toBeGreaterThanOrEqual(50);
  }, 180_000);

  it('under the reports folder: the report ends with a German 503, leaves no file, and is logged and audited', async () => {
    const reports = mountTmpfs('1m');
    await t?.close();
    t = await createTestApp({ REPORTS_DIR: reports });
    const token = await t.login('admin@demo.local');
    const cycles = (await t.http.get('/api/reporting-cycles').set('authorization', `Bearer ${token}`))
      .body as { id: number }[];
    const filler = fill(reports, 0);
    const auditBefore = await t.dataSource.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM "audit_entries"`,
    );
    const response = await t.http
      .post(`/api/reporting-cycles/${cycles[0].id}/report`)
      .set('authorization', `Bearer ${token}`)
      .timeout(30_000);
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'REPORT.STORAGE_FULL' });
    expect((response.body as { message: string }).message).toMatch(
      /^Der Bericht konnte nicht gespeichert werden/,
    );
    expect(readdirSync(reports)).toEqual(['filler.bin']);
    const failed = await t.dataSource.query<{ note: string; userEmail: string }[]>(
      `SELECT "action", "entity", "note", "userEmail" FROM "audit_entries" WHERE "id" > (SELECT MAX("id") FROM "audit_entries") - 5 AND "action" = 'report_failed'`,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ userEmail: 'admin@demo.local' });
    expect(failed[0].note).toMatch(/REPORT\.STORAGE_FULL/);
    expect(Number(auditBefore[0].n)).toBeGreaterThan(0);
    // Nothing listed as generated; with space again the report is built.
    const listed = (await t.http.get('/api/reports').set('authorization', `Bearer ${token}`))
      .body as unknown[];
    expect(listed).toEqual([]);
    rmSync(filler);
    const again = await t.http
      .post(`/api/reporting-cycles/${cycles[0].id}/report`)
      .set('authorization', `Bearer ${token}`);
    expect(again.status).toBe(200);
  }, 120_000);
});
