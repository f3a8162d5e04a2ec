/**
 * The command line as an operator uses it: real processes on a real SQLite file. Errors exit non-zero with
 * one German line; long work (report, backup) ends with what it wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const CLI = 'dist/cli/main.js';

describe('command line', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const cli = (args: string[], input?: string, extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { ...env, ...extra },
      input,
      encoding: 'utf8',
      timeout: 120_000,
    });

  beforeAll(() => {
    // The CLI runs compiled; build it when this checkout has not been built yet.
    if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'rkm-cli-test-'));
    env = {
      PATH: process.env.PATH,
      DATABASE_PATH: join(dir, 'cli.test.sqlite'),
      SECRETS_FILE: join(dir, 'secrets.json'),
      REPORTS_DIR: join(dir, 'reports'),
      DEMO: 'true',
      NODE_ENV: 'test',
      PASSWORD_HASH_ROUNDS: '4',
      LOG_LEVEL: 'error',
    };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an account, reading the password from standard input, and refuses a weak one', () => {
    const weak = cli([
      'user:create',
      '--email',
      'neu@example.org',
      '--name',
      'Neu',
      '--role',
      'viewer',
      '--password',
      'kurz',
    ]);
    expect(weak.status).toBe(1);
    expect(weak.stderr.trim().split('\n')).toHaveLength(1);
    expect(weak.stderr).toMatch(
      /^Fehler: Die Eingabe ist ungültig\. \(password: muss mindestens 10 Zeichen lang sein/,
    );
    const ok = cli(
      [
        'user:create',
        '--email',
        'neu@example.org',
        '--name',
        'Neu',
        '--role',
        'editor',
        '--department',
        'SKB',
      ],
      'Ein-gutes-Passwort-9\n',
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^Konto neu@example\.org \(editor\) angelegt, ID \d+/);
    const unknown = cli(
      ['user:create', '--email', 'x@example.org', '--name', 'X', '--role', 'editor', '--department', 'XYZ'],
      'Ein-gutes-Passwort-9\n',
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('Fehler: Unbekanntes Ressort XYZ');
    const deactivated = cli(['user:deactivate', '--email', 'neu@example.org']);
    expect(deactivated.stdout.trim()).toBe('Konto neu@example.org deaktiviert');
  });

  it('builds a report into the reports folder, and names an unknown cycle', () => {
    const res = cli(['report', '--cycle', '2022-2023']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /Umsetzungsbericht-2022-2023-\d{8}-\d{6}\.xlsx \(5\d Maßnahmen, SHA-256 [0-9a-f]{64}\)/,
    );
    expect(readdirSync(env.REPORTS_DIR!).filter((f) => f.endsWith('.xlsx'))).toHaveLength(1);
    const missing = cli(['report', '--cycle', '2099']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('Fehler: Berichtszyklus 2099 wurde nicht gefunden.');
  });

  it('imports a Maßnahmenplan as a dry run, and refuses a file that is not a workbook', () => {
    const dry = cli(['plan:import', 'data/massnahmenplan-beispiel.xlsx', '--dry-run']);
    expect(dry.stdout).toMatch(/Probelauf, nichts gespeichert: 3 neu, 0 geändert, 0 unverändert/);
    const notXlsx = join(dir, 'plan.xlsx');
    writeFileSync(notXlsx, 'Code;Titel\n');
    const bad = cli(['plan:import', notXlsx]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'Fehler: Die Datei ist keine Excel-Arbeitsmappe (.xlsx). Bitte die heruntergeladene Vorlage verwenden.',
    );
  });

  it('backs up the database consistently, and refuses a broken framework file', () => {
    const target = join(dir, 'backup.sqlite');
    const res = cli(['db:backup', '--out', target]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`Gesichert nach ${target}`);
    const copy = new Database(target, { readonly: true });
    const original = new Database(env.DATABASE_PATH, { readonly: true });
    const count = (db: Database.Database): number =>
      (db.prepare('SELECT COUNT(*) AS n FROM measures').get() as { n: number }).n;
    expect(count(copy)).toBe(count(original));
    copy.close();
    original.close();
    expect(cli(['db:backup', '--out', target]).stderr.trim()).toBe(`Fehler: ${target} existiert bereits`);

    const broken = join(dir, 'rahmen.json');
    writeFileSync(broken, '{ "formatVersion": 1, "framework": {} ');
    const load = cli(['framework:load', broken]);
    expect(load.status).toBe(1);
    expect(load.stderr.trim()).toMatch(
      new RegExp(`^Fehler: ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: kein gültiges JSON`),
    );
  });

  it('stops the server start with one line naming a bad setting', () => {
    const res = spawnSync(process.execPath, ['dist/main.js'], {
      env: { ...env, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('Ungültige Einstellung PORT=abc: muss eine ganze Zahl sein');
  });
});
