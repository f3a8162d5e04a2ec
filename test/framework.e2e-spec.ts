import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, tableCounts, testDatabasePath, TMP_DIR, type TestApp } from './helpers/test-app.js';

const OFFICIAL_GOALS = [
  ['2.1', 'Teilhabe und Repräsentanz fördern'],
  ['2.2', 'Vielfalt und sozialen Zusammenhalt stärken'],
  ['2.3', 'Intersektionale Perspektiven berücksichtigen'],
  ['2.4', 'Integration gemeinsam und verbindlich gestalten'],
];

const OFFICIAL_FIELDS = [
  ['3.1', 'Erwerb der deutschen Sprache'],
  ['3.2', 'Politische Teilhabe und zivilgesellschaftliches Engagement'],
  ['3.3', 'Stärkung der Quartiere mit stadtweiten Integrationsaufgaben'],
  ['3.4', 'Frühkindliche, schulische und außerschulische Bildung sowie Wissenschaft'],
  ['3.5', 'Offene Jugend- und Jugendverbandsarbeit'],
  ['3.6', 'Erwerbsarbeit und Qualifizierungsmaßnahmen sowie Ausbildungsförderung'],
  ['3.7', 'Gesundheit, Pflege und ältere Menschen'],
  ['3.8', 'Inklusion und Teilhabe von Menschen mit Behinderung'],
  ['3.9', 'Unterstützung migrantischer Selbstorganisation'],
  ['3.10', 'Abbau aufenthaltsrechtlicher Hürden'],
  ['3.11', 'Kultur, Religion und Sport'],
  ['3.12', 'Interkulturelle und diversitygerechte Öffnung der Verwaltung'],
  ['3.13', 'Bekämpfung von Diskriminierung'],
];

describe('Bremen framework and start-up', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ KEEP_DATABASE: '1' });
    token = await t.login('steuerung@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the 4 goals with their official titles', async () => {
    const res = await t.http.get('/api/goals').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.map((g: { code: string; title: string }) => [g.code, g.title])).toEqual(OFFICIAL_GOALS);
  });

  it('serves the 13 Handlungsfelder with their official titles and measure counts', async () => {
    const res = await t.http.get('/api/action-fields').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.map((f: { code: string; title: string }) => [f.code, f.title])).toEqual(OFFICIAL_FIELDS);
    const counted = res.body.reduce((sum: number, f: { measureCount: number }) => sum + f.measureCount, 0);
    const measures = await t.http.get('/api/measures?pageSize=1').auth(token, { type: 'bearer' }).expect(200);
    expect(counted).toBe(measures.body.total);
    for (const field of res.body) expect(field.measureCount).toBeGreaterThanOrEqual(3);
  });

  it('serves the departments of the Senate of July 2023, ZGF and Magistrat Bremerhaven', async () => {
    const res = await t.http.get('/api/departments').auth(token, { type: 'bearer' }).expect(200);
    const names = res.body.map((d: { name: string }) => d.name);
    expect(names).toEqual([
      'Senatskanzlei',
      'Finanzen',
      'Inneres und Sport',
      'Kinder und Bildung',
      'Wirtschaft, Häfen und Transformation',
      'Umwelt, Klima und Wissenschaft',
      'Bau, Mobilität und Stadtentwicklung',
      'Gesundheit, Frauen und Verbraucherschutz',
      'Arbeit, Soziales, Jugend und Integration',
      'Justiz und Verfassung',
      'ZGF',
      'Magistrat Bremerhaven',
    ]);
  });

  it('labels every example record as Beispieldaten', async () => {
    const res = await t.http.get('/api/measures?pageSize=200').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.total).toBeGreaterThanOrEqual(39);
    for (const measure of res.body.items) {
      expect(measure.isExample).toBe(true);
      expect(measure.dataLabel).toBe('Beispieldaten');
    }
    const history = await t.http
      .get(`/api/measures/${res.body.items[0].id}/status-reports`)
      .auth(token, { type: 'bearer' });
    expect(history.body.length).toBeGreaterThan(0);
    for (const report of history.body) expect(report.dataLabel).toBe('Beispieldaten');
  });

  it('reports the database in /api/health without signing in', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { state: 'up', pendingMigrations: false } });
  });

  it('publishes the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/measures', '/api/measures/{id}/status-reports']),
    );
    await t.http.get('/api/docs').expect(200);
  });

  it('keeps all data and loads nothing twice when restarted on the same database', async () => {
    const before = await tableCounts(t.dataSource);
    const auditBefore = before.audit_entries;
    await t.app.close();
    const again = await createTestApp({ DATABASE_PATH: t.databasePath, KEEP_DATABASE: '1' });
    try {
      const after = await tableCounts(again.dataSource);
      expect(after).toEqual({ ...before, audit_entries: auditBefore });
      t = again;
    } catch (error) {
      await again.close();
      throw error;
    }
  });
});

describe('production mode and framework files', () => {
  it('DEMO=false loads the framework alone: no measures, no demo accounts', async () => {
    const t = await createTestApp({ DEMO: 'false' });
    try {
      const counts = await tableCounts(t.dataSource);
      expect(counts.measures).toBe(0);
      expect(counts.status_reports).toBe(0);
      expect(counts.users).toBe(0);
      expect(counts.goals).toBe(4);
      expect(counts.action_fields).toBe(13);
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: 'admin@demo.local', password: 'demo1234' });
      expect(res.status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('refuses to mix example data into an existing production database', async () => {
    const databasePath = testDatabasePath('prod');
    const first = await createTestApp({ DEMO: 'false', DATABASE_PATH: databasePath, KEEP_DATABASE: '1' });
    await first.app.close();
    await expect(createTestApp({ DEMO: 'true', DATABASE_PATH: databasePath })).rejects.toThrow(
      /DEMO=true.*Produktivdatenbank/,
    );
    const again = await createTestApp({ DATABASE_PATH: databasePath, DEMO: '' });
    try {
      expect((await tableCounts(again.dataSource)).measures).toBe(0);
    } finally {
      await again.close();
    }
  });

  it('creates the first admin from settings in production', async () => {
    const t = await createTestApp({
      DEMO: 'false',
      INITIAL_ADMIN_EMAIL: 'leitung@example.org',
      INITIAL_ADMIN_PASSWORD: 'Sicher-Genug-2026',
    });
    try {
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: 'leitung@example.org', password: 'Sicher-Genug-2026' })
        .expect(200);
      expect(res.body.user.role).toBe('admin');
    } finally {
      await t.close();
    }
  });

  it('refuses a framework file with an error, naming the file, the path and the problem', async () => {
    const file = join(TMP_DIR, 'broken-framework.test.json');
    writeFileSync(
      file,
      JSON.stringify({
        formatVersion: 1,
        framework: { code: 'x', name: 'X', region: 'R', adopted: '2021', version: '1' },
        goals: [{ code: '1', title: '' }],
        actionFields: [{ code: '3.1', title: 'Feld' }],
        departments: [{ code: 'A', name: 'A' }],
      }),
    );
    await expect(createTestApp({ FRAMEWORK_FILE: file, DEMO: 'false' })).rejects.toThrow(
      /broken-framework\.test\.json: goals\[0\]\.title: muss mindestens 1 Zeichen lang sein/,
    );
  });
});
