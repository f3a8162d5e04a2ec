/**
 * The command line as an operator uses it: real processes on a real SQLite file, a real terminal for the
 * password prompt. Errors exit non-zero with German lines; long work (report, backup) ends with what it wrote.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ONE_PLAN } from './helpers/server-process.js';

const CLI = 'dist/cli/main.js';
const LAUNCHER = 'bin/rahmenkonzept.js';

/** A port nobody listens on, for a server started by a test. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

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
    // The installed command builds dist/ when it is missing or older than src/, then runs it.
    const launched = spawnSync(process.execPath, [LAUNCHER, '--help'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (launched.status !== 0) throw new Error(`${LAUNCHER} --help: ${launched.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'rkm-cli-test-'));
    env = {
      PATH: process.env.PATH,
      ...ONE_PLAN,
      DATABASE_PATH: join(dir, 'cli.test.sqlite'),
      SECRETS_FILE: join(dir, 'secrets.json'),
      REPORTS_DIR: join(dir, 'reports'),
      DEMO: 'true',
      NODE_ENV: 'test',
      PASSWORD_HASH_ROUNDS: '4',
      LOG_LEVEL: 'error',
    };
    const init = cli(['db:init']);
    if (init.status !== 0) throw new Error(`db:init: ${init.stderr}`);
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
      /^Fehler: Die Eingabe ist ungültig\. \(--password: muss mindestens 10 Zeichen lang sein/,
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
      [
        'user:create',
        '--email',
        'x@example.org',
        '--name',
        'Xaver',
        '--role',
        'editor',
        '--department',
        'XYZ',
      ],
      'Ein-gutes-Passwort-9\n',
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('Fehler: Unbekanntes Ressort XYZ');
    const deactivated = cli(['user:deactivate', '--email', 'neu@example.org']);
    expect(deactivated.stdout.trim()).toBe('Konto neu@example.org deaktiviert');
  });

  it('creates an account with its role in a plan named by --plan, and names an unknown plan', () => {
    const ok = cli(
      [
        'user:create',
        '--email',
        'plan@example.org',
        '--name',
        'Im Plan',
        '--role',
        'editor',
        '--department',
        'ASJI',
        '--plan',
        'bremen-rk-2021',
      ],
      'Ein-gutes-Passwort-9\n',
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^Konto plan@example\.org \(editor\) angelegt, ID \d+/);
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    try {
      const row = db
        .prepare(
          `SELECT f."code" AS "plan", m."role", d."code" AS "department", u."installationAdmin"
             FROM "memberships" m JOIN "users" u ON u."id" = m."userId" JOIN "frameworks" f ON f."id" = m."frameworkId"
             JOIN "departments" d ON d."id" = m."departmentId" WHERE u."email" = 'plan@example.org'`,
        )
        .all();
      expect(row).toEqual([
        { plan: 'bremen-rk-2021', role: 'editor', department: 'ASJI', installationAdmin: 0 },
      ]);
    } finally {
      db.close();
    }
    const unknown = cli(
      ['user:create', '--email', 'y@example.org', '--name', 'Yvonne', '--role', 'viewer', '--plan', 'XYZ'],
      'Ein-gutes-Passwort-9\n',
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('Fehler: Unbekannter Plan XYZ');
  });

  it('refuses a role for an organisation outside the plan before it asks for the password', () => {
    const two = { DATABASE_PATH: join(dir, 'zwei-plaene.sqlite'), DEMO: 'false' };
    expect(cli(['db:init', '--framework', 'data/frameworks/bremen-2021.json'], undefined, two).status).toBe(
      0,
    );
    expect(
      cli(['framework:load', 'data/frameworks/regiopolregion-bielefeld.json'], undefined, two).status,
    ).toBe(0);
    const create = (department: string, input: string) =>
      cli(
        [
          'user:create',
          '--email',
          `partner-${department.toLowerCase()}@example.org`,
          '--name',
          'Partnerin',
          '--role',
          'editor',
          '--department',
          department,
          '--plan',
          'regiopolregion-bielefeld',
        ],
        input,
        two,
      );
    // Nothing on standard input: the refusal comes before the password is read, in the plan's words.
    const outside = create('ASJI', '');
    expect(outside.status).toBe(1);
    expect(outside.stderr.trim()).toBe(
      'Fehler: Die Eingabe ist ungültig. (--department: Partnerkommune ASJI nimmt an diesem Plan nicht teil)',
    );
    const inside = create('BI', 'Ein-gutes-Passwort-9\n');
    expect(inside.stderr).toBe('');
    expect(inside.stdout).toMatch(/^Konto partner-bi@example\.org \(editor\) angelegt/);
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

  it('builds the report as PDF or DOCX with --format, and names the formats it knows', () => {
    for (const [format, magic] of [
      ['pdf', '%PDF-'],
      ['docx', 'PK'],
    ]) {
      const res = cli(['report', '--cycle', '2022-2023', '--format', format]);
      expect(res.status).toBe(0);
      const path = new RegExp(
        `(\\S+Umsetzungsbericht-2022-2023-\\d{8}-\\d{6}\\.${format}) \\(5\\d Maßnahmen`,
      );
      expect(res.stdout).toMatch(path);
      expect(readFileSync(path.exec(res.stdout)![1]).subarray(0, magic.length).toString()).toBe(magic);
    }
    const odt = cli(['report', '--cycle', '2022-2023', '--format', 'odt']);
    expect(odt.status).toBe(1);
    expect(odt.stderr.split('\n')[0]).toBe(
      'Fehler: Option --format: ungültiger Wert "odt"; erlaubt: xlsx, pdf, docx',
    );
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

  /**
   * Runs the command on a pseudo-terminal (util-linux `script`) and answers each prompt once it is shown, as a
   * person would; returns everything the terminal displayed.
   */
  const onTerminal = (
    args: string[],
    answers: { prompt: string; reply: string }[],
  ): Promise<{ screen: string; status: number | null }> =>
    new Promise((resolve, reject) => {
      const command = [process.execPath, CLI, ...args].map(quote).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { env });
      let screen = '';
      let answered = 0;
      let searchFrom = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString('utf8');
        while (answered < answers.length) {
          const at = screen.indexOf(answers[answered].prompt, searchFrom);
          if (at < 0) break;
          searchFrom = at + answers[answered].prompt.length;
          child.stdin.write(`${answers[answered].reply}\r`);
          answered++;
        }
      });
      // A prompt that never comes must not leave the process behind.
      const guard = setTimeout(() => child.kill(), 45_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(guard);
        resolve({ screen, status });
      });
    });

  /** Starts the server on the test database and signs in through the API; returns the HTTP status. */
  const signIn = async (email: string, password: string): Promise<number> => {
    const port = await freePort();
    const server = spawn(process.execPath, ['dist/main.js'], {
      env: { ...env, PORT: String(port) },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => server.on('exit', done));
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let tries = 0; tries < 240; tries++) {
        const ready = await fetch(`${base}/api/health`).then(
          (res) => res.ok,
          () => false,
        );
        if (ready) break;
        await new Promise((done) => setTimeout(done, 250));
      }
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return res.status;
    } finally {
      server.kill();
      await exited;
    }
  };

  it('asks for the password on a terminal without showing it, twice, and the account signs in', async () => {
    const password = 'Terminal-Geheim-42';
    const { screen, status } = await onTerminal(
      ['user:create', '--email', 'konsole@example.org', '--name', 'Am Terminal', '--role', 'viewer'],
      [
        { prompt: 'Passwort: ', reply: password },
        { prompt: 'Passwort wiederholen: ', reply: 'vertippt-Anders-1' },
        { prompt: 'Passwort: ', reply: password },
        { prompt: 'Passwort wiederholen: ', reply: password },
      ],
    );
    expect(screen).toContain('Die beiden Eingaben stimmen nicht überein.');
    expect(screen).toMatch(/Konto konsole@example\.org \(viewer\) angelegt, ID \d+/);
    expect(status).toBe(0);
    expect(screen).not.toContain(password);
    expect(screen).not.toContain('vertippt');
    expect(await signIn('konsole@example.org', password)).toBe(200);
  });

  it('checks user:create with the API rules and names the options as typed', () => {
    const res = cli(
      ['user:create', '--email', 'a b@@x', '--name', '', '--role', 'chef'],
      'Ein-gutes-Passwort-9\n',
    );
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^Fehler: Die Eingabe ist ungültig\. \(/);
    expect(res.stderr).toContain('--email: muss eine gültige E-Mail-Adresse sein');
    expect(res.stderr).toContain('--name: muss mindestens 2 Zeichen lang sein');
    expect(res.stderr).toContain('--role: muss einer dieser Werte sein: admin, editor, viewer');
    expect(res.stderr).not.toMatch(/displayName|departmentId|[ (]email:/);
    const noDepartment = cli(
      ['user:create', '--email', 'ressort@example.org', '--name', 'Ressort', '--role', 'editor'],
      'Ein-gutes-Passwort-9\n',
    );
    expect(noDepartment.stderr.trim()).toBe(
      'Fehler: Die Eingabe ist ungültig. (--department: ist für die Rolle editor ein Pflichtfeld)',
    );
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const created = db
      .prepare("SELECT COUNT(*) AS n FROM users WHERE email IN ('a b@@x', 'ressort@example.org')")
      .get() as { n: number };
    db.close();
    expect(created.n).toBe(0);
  });

  it("speaks German in the option parser's errors and its help", () => {
    const missing = cli(['user:create', '--email', 'x@example.org', '--role', 'viewer']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe('Fehler: Pflichtoption --name fehlt (--name <name>)');
    const unknown = cli(['user:deactivate', '--email', 'x@example.org', '--force']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toBe('Fehler: Unbekannte Option --force');
    const noFile = cli(['framework:load']);
    expect(noFile.stderr.split('\n')[0]).toBe('Fehler: Angabe <datei> fehlt');
    const noValue = cli(['report', '--cycle']);
    expect(noValue.stderr.split('\n')[0]).toBe('Fehler: Option --cycle braucht einen Wert (--cycle <code>)');
    const typo = cli(['user:creat']);
    expect(typo.stderr).toContain('Fehler: Unbekannter Befehl user:creat\n(Meinten Sie user:create?)');
    for (const res of [missing, unknown, noFile, noValue, typo]) {
      expect(res.stderr).toContain('(Aufruf und Optionen: --help)');
      expect(res.stderr).not.toMatch(/error|required|unknown|missing|Did you mean|additional information/i);
    }
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Aufruf: rahmenkonzept <befehl> \[Optionen\]/);
    expect(help.stdout).toContain('Befehle:');
    expect(help.stdout).toContain('db:init [Optionen]');
    const commandHelp = cli(['help', 'user:create']);
    expect(commandHelp.stdout).toContain('Aufruf: rahmenkonzept user:create [Optionen]');
    expect(commandHelp.stdout).toContain('Optionen:');
    expect(commandHelp.stdout).toContain('diese Hilfe anzeigen');
    for (const text of [help.stdout, commandHelp.stdout]) {
      expect(text).not.toMatch(/Usage|Options:|Commands:|display help|\[options\]|\[command\]/);
    }
  });

  it('refuses a database path that does not exist instead of creating one, and db:init sets one up', () => {
    const path = join(dir, 'neu', 'rahmen.sqlite');
    const refused = cli(['user:deactivate', '--email', 'x@example.org'], undefined, { DATABASE_PATH: path });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `Fehler: Keine Datenbank unter ${path}; zuerst \`npm start\` oder \`db:init\``,
    );
    expect(existsSync(path)).toBe(false);

    const init = cli(['db:init'], undefined, { DATABASE_PATH: path, DEMO: 'false', NODE_ENV: 'production' });
    expect(init.status).toBe(0);
    expect(init.stdout.trim()).toBe(
      `Datenbank angelegt: ${path} (Rahmenkonzept gesellschaftliche Teilhabe und Diversity; Produktivbetrieb)`,
    );
    expect(init.stderr.trim()).toBe(
      'Hinweis: Es gibt noch kein Administrationskonto. Anlegen mit: npm run cli -- user:create --email … --role admin',
    );
    const db = new Database(path, { readonly: true });
    const count = (table: string): number =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('frameworks'), count('measures'), count('users')]).toEqual([1, 0, 0]);
    db.close();
    const again = cli(['db:init'], undefined, { DATABASE_PATH: path });
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(
      `Fehler: Unter ${path} besteht bereits eine Datenbank; db:init legt nur eine neue an`,
    );
  });

  it('loads another framework file into a fresh database', () => {
    const bremen = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as {
      framework: Record<string, unknown>;
    };
    const file = join(dir, 'testregion.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...bremen,
        framework: { ...bremen.framework, code: 'testregion-2030', name: 'Rahmenkonzept Testregion' },
      }),
    );
    const frameworkIn = (path: string): string[] => {
      const db = new Database(path, { readonly: true });
      const codes = (db.prepare('SELECT code FROM frameworks').all() as { code: string }[]).map(
        (r) => r.code,
      );
      db.close();
      return codes;
    };

    const fresh = join(dir, 'leer.sqlite');
    const notYet = cli(['framework:load', file], undefined, { DATABASE_PATH: fresh });
    expect(notYet.stderr.trim()).toBe(
      `Fehler: Keine Datenbank unter ${fresh}; zuerst \`npm start\` oder \`db:init\`; mit eigenem Rahmenkonzept: \`db:init --framework DATEI\``,
    );
    const empty = cli(['db:init', '--no-framework'], undefined, { DATABASE_PATH: fresh });
    expect(empty.stdout.trim()).toBe(
      `Leere Datenbank angelegt: ${fresh} (ohne Rahmenkonzept; laden mit framework:load DATEI)`,
    );
    expect(frameworkIn(fresh)).toEqual([]);
    // An account created before the first plan holds its role in the plan loaded next; an administrator of the
    // installation needs none.
    const reader = cli(
      [
        'user:create',
        '--email',
        'leser@example.org',
        '--name',
        'Leser',
        '--role',
        'viewer',
        '--password',
        'Ein-gutes-Passwort-1',
      ],
      undefined,
      { DATABASE_PATH: fresh },
    );
    expect(reader.stderr).toBe('');
    const administrator = cli(
      [
        'user:create',
        '--email',
        'verwaltung@example.org',
        '--name',
        'Verwaltung',
        '--role',
        'admin',
        '--password',
        'Ein-gutes-Passwort-1',
      ],
      undefined,
      { DATABASE_PATH: fresh },
    );
    expect(administrator.stderr).toBe('');
    const load = cli(['framework:load', file], undefined, { DATABASE_PATH: fresh });
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
    expect(load.stdout).toMatch(
      /^Plan „Rahmenkonzept Testregion“ \(testregion-2030\) hinzugefügt: [1-9]\d* Einträge neu\n/,
    );
    expect(frameworkIn(fresh)).toEqual(['testregion-2030']);
    const db = new Database(fresh, { readonly: true });
    expect(
      db
        .prepare(
          `SELECT u."email", m."role", f."code" FROM "memberships" m JOIN "users" u ON u."id" = m."userId" JOIN "frameworks" f ON f."id" = m."frameworkId"`,
        )
        .all(),
    ).toEqual([{ email: 'leser@example.org', role: 'viewer', code: 'testregion-2030' }]);
    // The installation's administrator administers every plan without a membership.
    expect(
      db.prepare(`SELECT "installationAdmin" FROM "users" WHERE "email" = 'verwaltung@example.org'`).get(),
    ).toEqual({ installationAdmin: 1 });
    db.close();
    const reload = cli(['framework:load', file], undefined, { DATABASE_PATH: fresh });
    expect(reload.stdout.trim()).toBe('Rahmenkonzept Testregion: 0 neu, 0 aktualisiert');

    const direct = join(dir, 'direkt.sqlite');
    const init = cli(['db:init', '--framework', file], undefined, { DATABASE_PATH: direct, DEMO: 'false' });
    expect(init.stdout.trim()).toBe(
      `Datenbank angelegt: ${direct} (Rahmenkonzept Testregion; Produktivbetrieb)`,
    );
    expect(frameworkIn(direct)).toEqual(['testregion-2030']);
  });

  it('runs as the installed command from the build, compiling only when the build is out of date', () => {
    // The first call brings the build up to date if a source changed since; the second must not compile again.
    spawnSync(process.execPath, [LAUNCHER, '--help'], { timeout: 300_000 });
    const res = spawnSync(process.execPath, [LAUNCHER, 'user:deactivate', '--email', 'niemand@example.org'], {
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(res.stderr).not.toContain('Übersetze');
    expect(res.stderr.trim()).toBe('Fehler: Kein Konto mit der E-Mail-Adresse niemand@example.org');
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(manifest.bin.rahmenkonzept).toBe(LAUNCHER);
    expect(manifest.scripts.cli).toBe(`node ${LAUNCHER}`);
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
