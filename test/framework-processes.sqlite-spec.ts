/**
 * The framework file at start and through `framework:load`, as an operator runs them: real processes on an
 * SQLite file (the PostgreSQL side of the same rules is in framework-revisions.e2e-spec.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ONE_PLAN } from './helpers/server-process.js';
import Database from 'better-sqlite3';

/** The command line and the server start as an operator runs them (real processes on an SQLite file). */
describe('framework file in real processes', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, args, { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  const version = (): string => {
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const row = db.prepare('SELECT "version" FROM "frameworks"').get() as { version: string };
    db.close();
    return row.version;
  };

  beforeAll(() => {
    // The installed command brings dist/ up to date with src/ first.
    const launched = spawnSync(process.execPath, ['bin/rahmenkonzept.js', '--help'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (launched.status !== 0) throw new Error(launched.stderr);
    dir = mkdtempSync(join(tmpdir(), 'rkm-revisions-test-'));
    const shipped = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as {
      framework: { version: string };
      indicators: { code: string; groups?: string[] }[];
    };
    const old = structuredClone(shipped);
    old.framework.version = '2021';
    for (const indicator of old.indicators) if (indicator.code === 'D4') delete indicator.groups;
    writeFileSync(join(dir, 'alt.json'), JSON.stringify(old));
    const changed = structuredClone(shipped) as unknown as { goals: { title: string }[] };
    changed.goals[0].title = 'Teilhabe fördern';
    writeFileSync(join(dir, 'geaendert.json'), JSON.stringify(changed));
    env = {
      PATH: process.env.PATH,
      ...ONE_PLAN,
      DATABASE_PATH: join(dir, 'revisions.test.sqlite'),
      SECRETS_FILE: join(dir, 'secrets.json'),
      REPORTS_DIR: join(dir, 'reports'),
      FRAMEWORK_FILE: join(dir, 'alt.json'),
      DEMO: 'false',
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
    };
    const init = run(['dist/cli/main.js', 'db:init']);
    if (init.status !== 0) throw new Error(`db:init: ${init.stderr}`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('framework:load lists the differences of a higher version, writes nothing with --dry-run, applies it once', () => {
    const file = 'data/frameworks/bremen-2021.json';
    const dry = run(['dist/cli/main.js', 'framework:load', file, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('Probelauf, nichts gespeichert: würde Version 2021 → 2021.1 übernehmen');
    expect(dry.stdout).toContain('  Indikator D4: groups geändert');
    expect(version()).toBe('2021');
    const applied = run(['dist/cli/main.js', 'framework:load', file]);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(/^Fortschreibung übernommen: Version 2021 → 2021\.1 \(Nr\. 1\)\n/);
    expect(version()).toBe('2021.1');
    const again = run(['dist/cli/main.js', 'framework:load', file]);
    expect(again.stdout.trim()).toBe(
      'Rahmenkonzept gesellschaftliche Teilhabe und Diversity: 0 neu, 0 aktualisiert',
    );
  });

  it('refuses to start with a changed file of the same version, naming the first difference (exit 1)', () => {
    const res = run(['dist/main.js'], { FRAMEWORK_FILE: join(dir, 'geaendert.json'), PORT: '39871' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      `${join(dir, 'geaendert.json')}: Der Inhalt weicht vom übernommenen Rahmenkonzept der Version 2021.1 ab, die Version ist aber dieselbe (erster Unterschied: goals[0].title: „Teilhabe fördern“ statt „Teilhabe und Repräsentanz fördern“). Eine Änderung wird nur mit höherer framework.version als Fortschreibung übernommen.`,
    );
    expect(version()).toBe('2021.1');
  });
});
