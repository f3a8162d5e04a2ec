/**
 * Several plans in one installation, as the framework files bring them: every shipped file loads into a fresh
 * database with its example data; all of them together form four plans over one directory of organisations;
 * a plan is added to an installation without touching the plans it holds (the command line: plans-cli); a file that would rename
 * another plan's organisation is refused; a file loaded again changes nothing, a higher version is applied.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '../src/common/auth/session.js';
import { readFrameworkFile } from '../src/framework/framework-file.js';
import { FrameworkLoaderService } from '../src/framework/framework-loader.service.js';
import { createTestApp, databaseFingerprint, type TestApp, testDatabasePath } from './helpers/test-app.js';
import { Framework } from '../src/framework/framework.entity.js';
import { GovernanceBody } from '../src/governance/governance-body.entity.js';

const SHIPPED = [
  'data/frameworks/bremen-2021.json',
  'data/frameworks/metropolregion-bremen-oldenburg.json',
  'data/frameworks/regiopolregion-bielefeld.json',
  'data/frameworks/tempelhof-schoeneberg-spk.json',
];

type Json = Record<string, unknown>;
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

async function countOf(db: DataSource, table: string, frameworkId: number): Promise<number> {
  const [row] = await db.query<{ n: number | string }[]>(
    `SELECT COUNT(*) AS n FROM "${table}" WHERE "frameworkId" = ${frameworkId}`,
  );
  return Number(row.n);
}

describe('loading plans from framework files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rkm-plans-loading-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SHIPPED)('loads %s into a fresh database, with its example data', async (file) => {
    const content = await readFrameworkFile(file);
    const examples = readJson(
      file.endsWith('bremen-2021.json')
        ? 'data/examples/bremen-beispieldaten.json'
        : `data/examples/${content.framework.code}-beispieldaten.json`,
    ) as { measures: unknown[] };
    const t = await createTestApp({ FRAMEWORK_FILE: file, EXAMPLE_DATA_FILE: 'data/examples' });
    try {
      const plans = await t.dataSource.query<{ id: number; code: string }[]>(
        `SELECT "id", "code" FROM "frameworks"`,
      );
      expect(plans.map((p) => p.code)).toEqual([content.framework.code]);
      const id = Number(plans[0].id);
      expect({
        goals: await countOf(t.dataSource, 'goals', id),
        fields: await countOf(t.dataSource, 'action_fields', id),
        bodies: await countOf(t.dataSource, 'governance_bodies', id),
        areas: await countOf(t.dataSource, 'areas', id),
        organisations: await countOf(t.dataSource, 'framework_departments', id),
        measures: await countOf(t.dataSource, 'measures', id),
      }).toEqual({
        goals: content.goals.length,
        fields: content.actionFields.length,
        bodies: (content.governanceBodies ?? []).length,
        areas: (content.areas ?? []).length,
        organisations: content.departments.length,
        measures: examples.measures.length,
      });
    } finally {
      await t.close();
    }
  });

  it('keeps loading the Bremen file into a database whose kept file predates the plan-shape fields', async () => {
    const path = testDatabasePath('plans-loading-kept');
    const first = await createTestApp({ DATABASE_PATH: path, KEEP_DATABASE: '1', DEMO: 'false' });
    // The database as the release before participation formats left it: neither the kept file nor the body
    // names them.
    const { fileContent } = await first.dataSource.manager.findOneOrFail(Framework, {
      where: { code: 'bremen-rk-2021' },
      select: { id: true, fileContent: true },
    });
    const kept = structuredClone(fileContent) as { governanceBodies: Record<string, unknown>[] };
    for (const body of kept.governanceBodies) delete body.participationFormats;
    await first.dataSource.manager.update(Framework, { code: 'bremen-rk-2021' }, { fileContent: kept });
    await first.dataSource.manager.update(
      GovernanceBody,
      { code: 'beteiligungsformate' },
      { participationFormats: null },
    );
    await first.app.close();
    const second = await createTestApp({ DATABASE_PATH: path, DEMO: 'false' });
    try {
      const body = await second.dataSource.manager.findOneByOrFail(GovernanceBody, {
        code: 'beteiligungsformate',
      });
      expect(body.participationFormats).toEqual(['übergreifend', 'themenspezifisch']);
      const plan = await second.dataSource.manager.findOneOrFail(Framework, {
        where: { code: 'bremen-rk-2021' },
        select: { id: true, version: true, fileContent: true },
      });
      expect(plan.version).toBe('2021.1');
      expect(JSON.stringify(plan.fileContent)).toContain('"participationFormats"');
      expect(await second.dataSource.query<unknown[]>(`SELECT "id" FROM "framework_revisions"`)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  describe('all shipped plans in one installation', () => {
    let t: TestApp;
    let token: string;
    beforeAll(async () => {
      t = await createTestApp({ FRAMEWORK_FILE: 'data/frameworks', EXAMPLE_DATA_FILE: 'data/examples' });
      token = await t.login('admin@demo.local');
    });
    afterAll(() => t?.close());

    it('lists four plans with their own words', async () => {
      const res = await t.http.get('/api/frameworks').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      const plans = res.body as { code: string; vocabulary: Record<string, string> }[];
      expect(plans.map((p) => p.code).sort()).toEqual([
        'bremen-rk-2021',
        'metropolregion-nordwest',
        'regiopolregion-bielefeld',
        'tempelhof-schoeneberg-spk',
      ]);
      const words = new Map(plans.map((p) => [p.code, p.vocabulary]));
      expect(words.get('bremen-rk-2021')).toMatchObject({ goal: 'Ziel', organisation: 'Ressort' });
      expect(words.get('regiopolregion-bielefeld')).toMatchObject({
        measure: 'Projekt',
        organisation: 'Partnerkommune',
        report: 'Fortschrittsbericht',
      });
      expect(words.get('metropolregion-nordwest')).toMatchObject({
        goal: 'Innovationspfad',
        goals: 'Innovationspfade',
      });
      expect(words.get('tempelhof-schoeneberg-spk')).toMatchObject({ organisation: 'Organisationseinheit' });
    });

    it('holds the Senatskanzlei once in the directory, taking part in two plans', async () => {
      const rows = await t.dataSource.query<{ id: number; name: string }[]>(
        `SELECT "id", "name" FROM "departments" WHERE "code" = 'SK'`,
      );
      expect(rows.map((r) => r.name)).toEqual(['Senatskanzlei']);
      const plans = await t.dataSource.query<{ code: string }[]>(
        `SELECT f."code" FROM "framework_departments" fd JOIN "frameworks" f ON f."id" = fd."frameworkId" WHERE fd."departmentId" = ${Number(rows[0].id)} ORDER BY f."code"`,
      );
      expect(plans.map((p) => p.code)).toEqual(['bremen-rk-2021', 'metropolregion-nordwest']);
    });

    it("counts each plan's dashboard by its own organisations and measures", async () => {
      const plans = (await t.http.get('/api/frameworks').set('Authorization', `Bearer ${token}`).expect(200))
        .body as { id: number; code: string }[];
      const links = await t.dataSource.query<{ frameworkId: number | string; code: string }[]>(
        `SELECT fd."frameworkId", d."code" FROM "framework_departments" fd JOIN "departments" d ON d."id" = fd."departmentId"`,
      );
      for (const plan of plans) {
        const dashboard = (
          await t.http
            .get(`/api/dashboard?frameworkId=${plan.id}`)
            .set('Authorization', `Bearer ${token}`)
            .expect(200)
        ).body as {
          totals: { total: number };
          byDepartment: { code: string }[];
          currentCycle: { departments: { departmentCode?: string; code?: string }[] } | null;
        };
        const own = links.filter((l) => Number(l.frameworkId) === plan.id).map((l) => l.code);
        expect({
          plan: plan.code,
          outside: dashboard.byDepartment.filter((d) => !own.includes(d.code)),
        }).toEqual({
          plan: plan.code,
          outside: [],
        });
        const [row] = await t.dataSource.query<{ n: number | string }[]>(
          `SELECT COUNT(*) AS "n" FROM "measures" WHERE "frameworkId" = ${plan.id} AND "lifecycle" <> 'merged'`,
        );
        expect({ plan: plan.code, total: dashboard.totals.total }).toEqual({
          plan: plan.code,
          total: Number(row.n),
        });
      }
    });

    it('proposes the next cycle by each plan’s reporting rhythm and names the rhythm', async () => {
      const page = (path: string) => t.http.get(path).set('Cookie', `${SESSION_COOKIE}=${token}`).expect(200);
      const field = (html: string, name: string) =>
        new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ??
        new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html)?.[1];
      // Bremen reports every two years (cycles up to 2026-2027), the Regiopolregion every year (up to 2027).
      const bremen = (await page('/plaene/bremen-rk-2021/berichtszyklen/neu')).text;
      expect([field(bremen, 'code'), field(bremen, 'periodStart'), field(bremen, 'periodEnd')]).toEqual([
        '2028-2029',
        '2028-01-01',
        '2029-12-31',
      ]);
      const regional = (await page('/plaene/regiopolregion-bielefeld/berichtszyklen/neu')).text;
      expect([
        field(regional, 'code'),
        field(regional, 'periodEnd'),
        field(regional, 'inputDeadline'),
      ]).toEqual(['2028', '2028-12-31', '2029-01-31']);
      expect((await page('/plaene/regiopolregion-bielefeld/rahmenkonzept')).text).toMatch(
        /Berichtsrhythmus<\/dt><dd[^>]*>jährlich</,
      );
    });

    it('names the demo accounts of every loaded plan on the sign-in page', async () => {
      const login = (await t.http.get('/anmelden').expect(200)).text;
      for (const email of [
        'admin@demo.local',
        'regiopol@demo.local',
        'nordwest@demo.local',
        'spk@demo.local',
      ])
        expect(login).toContain(email);
    });

    it('signs in the demo account of another plan', async () => {
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: 'regiopol@demo.local', password: 'demo1234' });
      expect(res.status).toBe(200);
    });

    it('changes nothing when the same files are loaded again', async () => {
      const before = await databaseFingerprint(t.dataSource);
      for (const file of SHIPPED) {
        const result = await t.app.get(FrameworkLoaderService).loadFile(file, { demoMode: true });
        expect({ file, created: result.created, updated: result.updated, added: result.added }).toEqual({
          file,
          created: 0,
          updated: 0,
          added: false,
        });
        expect(result.revision).toBeUndefined();
      }
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('refuses a file that names a known organisation code with another name, writing nothing', async () => {
      const other = readJson('data/frameworks/metropolregion-bremen-oldenburg.json') as Json & {
        framework: Json;
        departments: Json[];
      };
      other.framework.code = 'zweite-region';
      other.departments = [{ code: 'SK', name: 'Staatskanzlei' }];
      const file = join(dir, 'zweite-region.json');
      writeFileSync(file, JSON.stringify(other));
      const before = await databaseFingerprint(t.dataSource);
      await expect(t.app.get(FrameworkLoaderService).loadFile(file, { demoMode: true })).rejects.toThrow(
        /departments\[0\]\.name: Der Code "SK" steht im gemeinsamen Verzeichnis der Organisationen bereits für „Senatskanzlei“ \(„Rahmenkonzept gesellschaftliche Teilhabe und Diversity“, „Metropolregion Bremen-Oldenburg im Nordwesten“\); diese Datei nennt ihn „Staatskanzlei“/,
      );
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
      const plans = await t.dataSource.query<unknown[]>(`SELECT "id" FROM "frameworks"`);
      expect(plans).toHaveLength(4);
    });

    it('applies a higher version that changes a word and a body’s interval as a revision of that plan only', async () => {
      const next = readJson('data/frameworks/regiopolregion-bielefeld.json') as Json & {
        framework: Json & { vocabulary: Json };
        governanceBodies: (Json & { code: string })[];
      };
      next.framework.version = '2026';
      next.framework.vocabulary.measure = 'Vorhaben';
      next.governanceBodies.find((b) => b.code === 'ag-regiopolregion')!.intervalWeeks = { min: 8, max: 10 };
      const file = join(dir, 'regiopolregion-2026.json');
      writeFileSync(file, JSON.stringify(next));
      const bremen = await t.dataSource.query<unknown[]>(
        `SELECT "version", "fileVersion" FROM "frameworks" WHERE "code" = 'bremen-rk-2021'`,
      );
      const result = await t.app.get(FrameworkLoaderService).loadFile(file, { demoMode: true });
      expect(result.revision?.versionAfter).toBe('2026');
      expect(result.revision?.effects.lines).toEqual(
        expect.arrayContaining([
          'Rahmenkonzept: vocabulary geändert',
          'Gremium ag-regiopolregion: Abstand 10–12 → 8–10 Wochen',
        ]),
      );
      const res = await t.http.get('/api/frameworks').set('Authorization', `Bearer ${token}`);
      const plan = (res.body as { code: string; vocabulary: Json }[]).find(
        (p) => p.code === 'regiopolregion-bielefeld',
      );
      expect(plan?.vocabulary.measure).toBe('Vorhaben');
      const [body] = await t.dataSource.query<{ intervalWeeksMin: number; intervalWeeksMax: number }[]>(
        `SELECT "intervalWeeksMin", "intervalWeeksMax" FROM "governance_bodies" WHERE "code" = 'ag-regiopolregion'`,
      );
      expect([Number(body.intervalWeeksMin), Number(body.intervalWeeksMax)]).toEqual([8, 10]);
      const revisions = await t.dataSource.query<{ code: string }[]>(
        `SELECT f."code" FROM "framework_revisions" r JOIN "frameworks" f ON f."id" = r."frameworkId"`,
      );
      expect(revisions.map((r) => r.code)).toEqual(['regiopolregion-bielefeld']);
      expect(
        await t.dataSource.query<unknown[]>(
          `SELECT "version", "fileVersion" FROM "frameworks" WHERE "code" = 'bremen-rk-2021'`,
        ),
      ).toEqual(bremen);
      const again = await t.app.get(FrameworkLoaderService).loadFile(file, { demoMode: true });
      expect([again.created, again.updated, again.revision]).toEqual([0, 0, undefined]);
    });
  });
});
