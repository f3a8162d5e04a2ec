/**
 * `framework:load` adds a plan to an installation, as a real command-line process on an SQLite file, and leaves
 * the plan it holds as it was; loading the same file again changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ONE_PLAN, ensureBuilt } from './helpers/server-process.js';

describe('framework:load adds a plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rkm-plans-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('framework:load adds a plan to an installation and leaves the plan there as it was', () => {
    ensureBuilt();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...ONE_PLAN,
      DATABASE_PATH: join(dir, 'installation.test.sqlite'),
      SECRETS_FILE: join(dir, 'secrets.json'),
      REPORTS_DIR: join(dir, 'reports'),
      DEMO: 'true',
      NODE_ENV: 'test',
      PASSWORD_HASH_ROUNDS: '4',
      LOG_LEVEL: 'error',
      EXAMPLE_DATA_DATE: '2025-12-15',
    };
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['dist/cli/main.js', ...args], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const init = cli(['db:init']);
    expect(init.stderr).toBe('');
    const bremenRows = () => {
      const db = new Database(env.DATABASE_PATH, { readonly: true });
      const rows: Record<string, unknown[]> = {};
      for (const table of [
        'goals',
        'action_fields',
        'governance_bodies',
        'measures',
        'reporting_cycles',
        'indicators',
      ])
        rows[table] = db.prepare(`SELECT * FROM "${table}" WHERE "frameworkId" = 1 ORDER BY "id"`).all();
      rows.frameworks = db.prepare(`SELECT * FROM "frameworks" WHERE "id" = 1`).all();
      rows.departments = db.prepare(`SELECT * FROM "departments" ORDER BY "id"`).all();
      rows.links = db.prepare(`SELECT * FROM "framework_departments" WHERE "frameworkId" = 1`).all();
      rows.reports = db.prepare(`SELECT * FROM "status_reports" ORDER BY "id"`).all();
      db.close();
      return rows;
    };
    const before = bremenRows();

    const added = cli(['framework:load', 'data/frameworks/regiopolregion-bielefeld.json']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(
      /^Plan „Regiopolregion Bielefeld“ \(regiopolregion-bielefeld\) hinzugefügt: [1-9]\d* Einträge neu\n$/,
    );
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const plans = db.prepare(`SELECT "code" FROM "frameworks" ORDER BY "id"`).all() as { code: string }[];
    db.close();
    expect(plans.map((p) => p.code)).toEqual(['bremen-rk-2021', 'regiopolregion-bielefeld']);
    const after = bremenRows();
    // The directory gained the new plan's organisations; every row the Bremen plan had is as it was.
    expect(after.departments.slice(0, before.departments.length)).toEqual(before.departments);
    expect({ ...after, departments: [] }).toEqual({ ...before, departments: [] });

    const again = cli(['framework:load', 'data/frameworks/regiopolregion-bielefeld.json']);
    expect(again.stdout.trim()).toBe('Regiopolregion Bielefeld: 0 neu, 0 aktualisiert');
  });
});
