/**
 * Hostile uploads against the compiled server in a process of its own, so that its memory can be read: archive
 * bombs (true sizes, lying sizes, extreme compression) are refused with a code before anything is parsed, three
 * at once, while the server keeps answering; a sheet with too many rows is refused before its rows are built;
 * an error list is capped. A real 5,000-row template made by the server passes the same limits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { checkDeclaredSizes, inflateEntry, readCentralDirectory } from '../src/excel/zip-limits.js';
import {
  dropPostgresDatabase,
  ensurePostgresDatabase,
  ON_POSTGRES,
  TMP_DIR,
  testDatabasePath,
} from './helpers/test-app.js';
import { ensureBuilt, freePort, ONE_PLAN } from './helpers/server-process.js';
import { deflatedPart, storedPart, streamedPart, writeZip, type ZipPart } from './helpers/zip-archive.js';

const SERVER = 'dist/main.js';
const MB = 1024 * 1024;
const MELDUNGEN = 'xl/worksheets/sheet2.xml';
const COL = { status: 8, progress: 9, summary: 10 };

/** Peak resident memory of a process (VmHWM), in bytes. */
function peakMemory(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

/**
 * Polls a URL from a separate process until stopped; answers every latency in milliseconds (failed probes as
 * Infinity).
 */
async function startProbe(url: string): Promise<{ stop(): Promise<number[]> }> {
  const script = `
    const latencies = [];
    let running = true;
    process.stdin.on('data', () => { running = false; });
    (async () => {
      while (running) {
        const start = performance.now();
        try {
          const res = await fetch(${JSON.stringify(url)});
          await res.arrayBuffer();
          latencies.push(res.ok ? performance.now() - start : Infinity);
        } catch { latencies.push(Infinity); }
        if (latencies.length === 1) process.stdout.write('ready\\n');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      process.stdout.write(JSON.stringify(latencies.slice(1)));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // The first probe only warms up the connection; measuring starts after it.
  while (!output.includes('ready\n')) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    async stop(): Promise<number[]> {
      child.stdin.end('stop');
      await exited;
      return (JSON.parse(output.slice(output.indexOf('\n') + 1)) as (number | null)[]).map(
        (v) => v ?? Infinity,
      );
    },
  };
}

/** A sheet of identical rows, chunk by chunk: what an archive bomb unpacks to. */
function* sheetRows(totalBytes: number): Generator<Buffer> {
  yield Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  );
  const row = `<row>${'<c><v>0</v></c>'.repeat(12)}</row>`;
  const chunk = Buffer.from(row.repeat(Math.floor(MB / row.length)));
  for (let written = 0; written < totalBytes; written += chunk.length) yield chunk;
  yield Buffer.from('</sheetData></worksheet>');
}

/** A sheet padded with whitespace: XML allows it, and deflate packs it a thousandfold. */
function* sheetPadding(totalBytes: number): Generator<Buffer> {
  yield Buffer.from('<worksheet><sheetData>');
  const chunk = Buffer.alloc(MB, 0x20);
  for (let written = 0; written < totalBytes; written += chunk.length) yield chunk;
  yield Buffer.from('</sheetData></worksheet>');
}

/** The parts of a workbook, read back to be reassembled with one part replaced. */
async function partsOf(buffer: Buffer): Promise<ZipPart[]> {
  const parts: ZipPart[] = [];
  for (const entry of readCentralDirectory(buffer, 1000)) {
    parts.push(deflatedPart(entry.name, await inflateEntry(buffer, entry)));
  }
  return parts;
}

const replace = (parts: ZipPart[], part: ZipPart): ZipPart[] =>
  parts.map((p) => (p.name === part.name ? part : p));

describe('hostile uploads against a server process', () => {
  let server: ChildProcess;
  let base: string;
  let databasePath: string;
  let admin: string;
  let soziales: string;
  let bildung: string;
  let cycleId: number;
  let departments: Record<string, number>;
  let stderr = '';

  async function api(path: string, token?: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${base}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
  }

  async function login(email: string): Promise<string> {
    const res = await api('/api/auth/login', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'demo1234' }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  function upload(path: string, file: Buffer, token: string, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file)]), 'vorlage.xlsx');
    return api(path, token, { method: 'POST', body: form });
  }

  async function template(departmentId: number, token: string): Promise<Buffer> {
    const res = await api(`/api/reporting-cycles/${cycleId}/templates/${departmentId}`, token);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  async function fill(buffer: Buffer, edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    edit(workbook.getWorksheet('Meldungen')!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  beforeAll(async () => {
    // The server runs compiled, as in production; built first when the build is missing or stale.
    ensureBuilt();
    databasePath = testDatabasePath('uploads');
    if (ON_POSTGRES) await ensurePostgresDatabase(databasePath);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      // A heap ceiling keeps a regression from taking the machine with it: the server dies instead.
      ['--max-old-space-size=1536', SERVER],
      {
        env: {
          PATH: process.env.PATH,
          ...ONE_PLAN,
          PORT: String(port),
          NODE_ENV: 'test',
          DEMO: 'true',
          PASSWORD_HASH_ROUNDS: '4',
          LOG_LEVEL: 'error',
          AUTH_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
          SECRETS_FILE: join(TMP_DIR, 'secrets.uploads.test.json'),
          REPORTS_DIR: join(TMP_DIR, 'reports-uploads'),
          ...(ON_POSTGRES ? { DATABASE_URL: databasePath } : { DATABASE_PATH: databasePath }),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 600 || server.exitCode !== null) throw new Error(`server did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    admin = await login('admin@demo.local');
    soziales = await login('soziales@demo.local');
    bildung = await login('bildung@demo.local');
    const cycles = (await (await api('/api/reporting-cycles', admin)).json()) as {
      id: number;
      state: string;
    }[];
    cycleId = cycles.find((c) => c.state === 'collecting')!.id;
    departments = Object.fromEntries(
      ((await (await api('/api/departments', admin)).json()) as { code: string; id: number }[]).map((d) => [
        d.code,
        d.id,
      ]),
    );
  }, 180_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (ON_POSTGRES) await dropPostgresDatabase(databasePath);
    else for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
  });

  it('refuses three archive bombs at once by code, stays under 1 GB and keeps answering within 100 ms', async () => {
    const parts = await partsOf(await template(departments.ASJI, soziales));
    // 420 MB of rows packed into 2.5 MB; the same data declared as 40 KB; 50 MB of whitespace packed 1:1000.
    const bomb = await streamedPart(MELDUNGEN, sheetRows(420 * MB));
    const dense = await streamedPart(MELDUNGEN, sheetPadding(50 * MB));
    const files = {
      honest: writeZip(replace(parts, bomb)),
      lying: writeZip(replace(parts, { ...bomb, uncompressedSize: 40 * 1024 })),
      dense: writeZip(replace(parts, dense)),
    };
    for (const file of Object.values(files)) expect(file.length).toBeLessThan(3 * MB);

    const path = `/api/reporting-cycles/${cycleId}/imports`;
    // The liveness probe runs in a process of its own, so that this process's uploads do not delay it.
    const probe = await startProbe(`${base}/api/health/live`);
    // Each bomb three times over, the three kinds in parallel.
    type Answer = { kind: string; status: number; body: { code?: string; message?: string } };
    let answers: Answer[][];
    let latencies: number[];
    try {
      answers = await Promise.all(
        Object.entries(files).map(async ([kind, file]) => {
          const results: Answer[] = [];
          for (let i = 0; i < 3; i++) {
            const res = await upload(path, file, soziales, { dryRun: 'false' });
            results.push({ kind, status: res.status, body: (await res.json()) as Answer['body'] });
          }
          return results;
        }),
      );
    } finally {
      latencies = await probe.stop();
    }

    expect(answers.flat().map((a) => [a.kind, a.status, a.body.code])).toEqual([
      ['honest', 413, 'IMPORT.TOO_LARGE_UNPACKED'],
      ['honest', 413, 'IMPORT.TOO_LARGE_UNPACKED'],
      ['honest', 413, 'IMPORT.TOO_LARGE_UNPACKED'],
      ['lying', 400, 'IMPORT.SIZE_MISMATCH'],
      ['lying', 400, 'IMPORT.SIZE_MISMATCH'],
      ['lying', 400, 'IMPORT.SIZE_MISMATCH'],
      ['dense', 413, 'IMPORT.COMPRESSION_RATIO'],
      ['dense', 413, 'IMPORT.COMPRESSION_RATIO'],
      ['dense', 413, 'IMPORT.COMPRESSION_RATIO'],
    ]);
    expect(answers[0][0].body.message).toBe(
      'Der Teil „xl/worksheets/sheet2.xml“ der Datei wäre entpackt 421 MB groß; erlaubt sind höchstens 64 MB je Teil. Es wurde nichts gespeichert.',
    );
    expect(answers[1][0].body.message).toMatch(
      /^Die Datei ist beschädigt: der Teil „xl\/worksheets\/sheet2\.xml“/,
    );
    expect(answers[2][0].body.message).toMatch(/ungewöhnlich stark gepackt \(1:\d/);
    expect(server.exitCode).toBeNull();
    expect(peakMemory(server.pid!)).toBeLessThan(1024 * MB);
    // Every probe answered; the issue's 100 ms hold for nine in ten of them, and none stalls (a shared
    // machine's scheduler may delay a single probe; before the fix, probes failed outright for seconds).
    expect(latencies.length).toBeGreaterThan(0);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(100);
    expect(sorted[sorted.length - 1]).toBeLessThan(1000);
    // Nothing was written: no import in the audit log.
    const audit = (await (await api('/api/audit?action=import', admin)).json()) as { total: number };
    expect(audit.total).toBe(0);
  }, 180_000);

  it('refuses a sheet of more rows than allowed before building them, and one of too many cells', async () => {
    const parts = await partsOf(await template(departments.ASJI, soziales));
    // A million empty rows: 20 MB of XML that the parser would turn into a million row objects.
    const rows = await streamedPart(
      MELDUNGEN,
      (function* () {
        yield Buffer.from('<worksheet><sheetData>');
        for (let start = 1; start <= 1_000_000; start += 10_000) {
          let xml = '';
          for (let r = start; r < start + 10_000; r++) xml += `<row r="${r}" spans="1:12"/>`;
          yield Buffer.from(xml);
        }
        yield Buffer.from('</sheetData></worksheet>');
      })(),
    );
    const res = await upload(
      `/api/reporting-cycles/${cycleId}/imports`,
      writeZip(replace(parts, rows)),
      soziales,
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      code: 'IMPORT.TOO_MANY_ROWS',
      message:
        'Ein Tabellenblatt der Datei hat mehr als 10.000 Zeilen; erlaubt sind höchstens 10.000 je Blatt. Es wurde nichts gespeichert.',
    });

    // The same for the Maßnahmenplan: 10,001 rows under the header.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Maßnahmen');
    for (let i = 0; i <= 10_001; i++) sheet.addRow([`3.1-${i}`, 'Titel']);
    const plan = await upload(
      '/api/measure-plan/imports',
      Buffer.from(await workbook.xlsx.writeBuffer()),
      admin,
    );
    expect(plan.status).toBe(413);
    expect(((await plan.json()) as { code: string }).code).toBe('IMPORT.TOO_MANY_ROWS');

    // 300,000 cells in 1,000 rows.
    const wide = storedPart(
      MELDUNGEN,
      Buffer.from(
        `<worksheet><sheetData>${`<row>${'<c/>'.repeat(300)}</row>`.repeat(1000)}</sheetData></worksheet>`,
      ),
    );
    const cells = await upload(
      `/api/reporting-cycles/${cycleId}/imports`,
      writeZip(replace(parts, wide)),
      soziales,
    );
    expect(cells.status).toBe(413);
    expect(((await cells.json()) as { code: string }).code).toBe('IMPORT.TOO_MANY_CELLS');
    expect(peakMemory(server.pid!)).toBeLessThan(1024 * MB);
  }, 120_000);

  it('passes a real 5,000-row template made by the server, and caps a long error list at 200', async () => {
    // 5,000 measures for Kinder und Bildung, through the Maßnahmenplan import.
    const plan = new ExcelJS.Workbook();
    const sheet = plan.addWorksheet('Maßnahmen');
    sheet.addRow([
      'Code',
      'Titel',
      'Beschreibung',
      'Handlungsfeld',
      'Ziele',
      'Federführung',
      'Beteiligte Ressorts',
      'Ebene',
      'Zielgruppen',
      'Beginn',
      'Ende',
      'Budget',
    ]);
    for (let i = 0; i < 5000; i++) {
      sheet.addRow([
        `3.4-L${String(i).padStart(4, '0')}`,
        `Lernwerkstatt ${i} für Kinder und Jugendliche im Quartier`,
        `Angebot ${i} mit Trägern der Jugendhilfe.`,
        '3.4',
        '2.1',
        'SKB',
        '',
        'bremen',
        '',
        '',
        '',
        '',
      ]);
    }
    const created = await upload(
      '/api/measure-plan/imports',
      Buffer.from(await plan.xlsx.writeBuffer()),
      admin,
    );
    expect(created.status).toBe(200);
    expect(((await created.json()) as { created: number }).created).toBe(5000);

    const blank = await template(departments.SKB, bildung);
    const statuses = ['geplant', 'in Umsetzung', 'Daueraufgabe', 'verzögert'];
    const filled = await fill(blank, (s) => {
      for (let r = 2; r <= s.rowCount; r++) {
        s.getCell(r, COL.status).value = statuses[r % statuses.length];
        s.getCell(r, COL.progress).value = (r * 7) % 101;
        s.getCell(r, COL.summary).value =
          `Zeile ${r}: ${r % 3 === 0 ? 'Die Räume sind gefunden, der Träger beginnt im Herbst.' : 'Die Gruppen treffen sich wöchentlich; die Nachfrage steigt.'} Stand ${r * 13}.`;
      }
    });
    // The limits' defaults fit this file with room to spare.
    const entries = readCentralDirectory(filled, 1000);
    expect(() =>
      checkDeclaredSizes(entries, {
        maxUnpackedBytes: 50 * MB,
        maxEntryBytes: 32 * MB,
        maxCompressionRatio: 100,
        maxEntries: 1000,
      }),
    ).not.toThrow();
    const preview = await upload(`/api/reporting-cycles/${cycleId}/imports`, filled, bildung, {
      dryRun: 'true',
    });
    const body = (await preview.json()) as { rows: unknown[]; created: number };
    expect(preview.status).toBe(200);
    // The 5,000 new measures and the department's few example measures.
    const rowCount = body.rows.length;
    expect(rowCount).toBeGreaterThanOrEqual(5000);

    // Every row wrong three times over (status, progress, Sachstand): over 15,000 errors, 200 listed.
    const wrong = await fill(blank, (s) => {
      for (let r = 2; r <= s.rowCount; r++) s.getCell(r, COL.status).value = 'fertig';
    });
    const refused = await upload(`/api/reporting-cycles/${cycleId}/imports`, wrong, bildung);
    expect(refused.status).toBe(400);
    const errors = (await refused.json()) as {
      code: string;
      errors: unknown[];
      errorCount: number;
      message: string;
    };
    expect(errors).toMatchObject({
      code: 'IMPORT.INVALID_ROWS',
      errorCount: 3 * rowCount,
      message: `Die Datei enthält Fehler; es wurde nichts gespeichert (die ersten 200 von ${(3 * rowCount).toLocaleString('de-DE')} Fehlern).`,
    });
    expect(errors.errors).toHaveLength(200);
    expect(errors.errors[0]).toMatchObject({ sheet: 'Meldungen', row: 2, column: 'Status' });
    expect(peakMemory(server.pid!)).toBeLessThan(1024 * MB);
  }, 300_000);

  it('still imports a normal filled template', async () => {
    const file = await fill(await template(departments.ASJI, soziales), (s) => {
      s.getCell(2, COL.status).value = 'in Umsetzung';
      s.getCell(2, COL.progress).value = 55;
      s.getCell(2, COL.summary).value = 'Die Kurse laufen an allen Standorten.';
    });
    const res = await upload(`/api/reporting-cycles/${cycleId}/imports`, file, soziales, { dryRun: 'false' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dryRun: false, created: 1 });
  });
});
