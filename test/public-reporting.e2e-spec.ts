/**
 * Öffentliches Berichtswesen, open data: a cycle's public files exist only once it is published, hold exactly
 * the public fields of its snapshot (never obstacles, next steps, review comments or reports that were not
 * accepted), are cacheable by ETag, need no sign-in, and are limited per address.
 */
import { ADMIN_EMAIL, ADMIN_PASSWORD, editorOf, PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const MARKER = 'Zauberwort';
const PUBLIC_SUMMARY = 'Sprachcafés laufen in fünf Stadtteilen; "Treffpunkt; Mitte" ist neu.';

interface Cycle {
  id: number;
  code: string;
  state: string;
  version: number;
}

const PUBLIC_FIELDS = [
  'code',
  'title',
  'description',
  'actionField',
  'goals',
  'leadDepartment',
  'participatingDepartments',
  'level',
  'levelLabel',
  'status',
  'statusLabel',
  'progress',
  'plannedStart',
  'plannedEnd',
  'summary',
  'isExample',
].sort();

/** Splits one CSV line at `;` outside quotes and unquotes the fields. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      current += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

describe('open data of published cycles', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;
  let cycle: Cycle;
  let measureId: number;

  const as = (token: string) => ({
    get: (url: string) => t.http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => t.http.post(url).auth(token, { type: 'bearer' }).send(body),
  });

  async function move(to: string): Promise<void> {
    const res = await as(admin).post(`/api/reporting-cycles/${cycle.id}/transition`, {
      to,
      version: cycle.version,
    });
    if (res.status !== 200) throw new Error(`${to}: ${res.status} ${JSON.stringify(res.body)}`);
    cycle = res.body as Cycle;
  }

  const publicUrls = (code: string) => [
    `/api/public/cycles/${code}/measures.json`,
    `/api/public/cycles/${code}/measures.csv`,
  ];

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ids = await frameworkIds(t, admin);
    const editor = await editorOf(t, admin, ids.departments.ASJI, 'soziales');
    cycle = ((await as(admin).get('/api/reporting-cycles').expect(200)).body as Cycle[]).find(
      (c) => c.code === '2024-2025',
    )!;
    const measure = (
      await as(admin)
        .post('/api/measures', newMeasure(ids, { code: '3.1-P1', leadDepartmentId: ids.departments.ASJI }))
        .expect(201)
    ).body as { id: number };
    measureId = measure.id;
    await move('collecting');
    // A returned report (its text and the comment are not public) and an accepted one.
    const returned = (
      await as(editor)
        .post(
          `/api/measures/${measure.id}/status-reports`,
          newReport({ reportedAt: '2025-03-31', summary: `Entwurf ${MARKER}` }),
        )
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post(`/api/status-reports/${returned.id}/review`, { decision: 'return', comment: `Bitte ${MARKER}` })
      .expect(200);
    const accepted = (
      await as(editor)
        .post(
          `/api/measures/${measure.id}/status-reports`,
          newReport({
            reportedAt: '2025-06-30',
            status: 'delayed',
            progress: 35,
            summary: PUBLIC_SUMMARY,
            obstacles: `Hindernis ${MARKER}`,
            nextSteps: `Schritt ${MARKER}`,
          }),
        )
        .expect(201)
    ).body as { id: number };
    await as(admin)
      .post(`/api/status-reports/${accepted.id}/review`, { decision: 'accept', comment: `Gut ${MARKER}` })
      .expect(200);
    await move('reviewing');
    await move('closed');
    // A later report, submitted but never accepted.
    await as(editor)
      .post(
        `/api/measures/${measure.id}/status-reports`,
        newReport({ status: 'completed', progress: 100, summary: `Fertig ${MARKER}` }),
      )
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 for a closed but unpublished cycle and for an unknown one, and lists neither', async () => {
    for (const url of [...publicUrls(cycle.code), ...publicUrls('1999-2000')]) {
      const res = await t.http.get(url).expect(404);
      expect(res.text).not.toContain(MARKER);
    }
    expect((await t.http.get('/api/public/cycles').expect(200)).body).toEqual([]);
  });

  describe('once published', () => {
    let snapshot: {
      items: { code: string; status: string; progress: number; summary: string; lifecycle: string }[];
    };

    beforeAll(async () => {
      await move('published');
      snapshot = (await as(admin).get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(200))
        .body as never;
    });

    it('lists the published cycle without sign-in', async () => {
      const res = await t.http.get('/api/public/cycles').expect(200);
      expect(res.body).toEqual([
        expect.objectContaining({ code: '2024-2025', periodStart: '2024-01-01', periodEnd: '2025-12-31' }),
      ]);
      expect(res.body[0].measureCount).toBe(snapshot.items.length);
    });

    it('serves JSON with exactly the public fields of the snapshot, metadata and licence', async () => {
      const res = await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.body as {
        metadata: Record<string, unknown>;
        totals: { total: number; counts: Record<string, number> };
        measures: Record<string, unknown>[];
      };
      expect(body.metadata).toMatchObject({
        publisher: 'Freie Hansestadt Bremen',
        cycle: { code: '2024-2025', periodStart: '2024-01-01', periodEnd: '2025-12-31' },
        licence: {
          id: 'dl-de/by-2-0',
          name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
          url: 'https://www.govdata.de/dl-de/by-2-0',
        },
        schemaVersion: '1.1',
        exampleData: false,
      });
      expect(body.metadata.plan).toMatchObject({ name: expect.stringContaining('Rahmenkonzept') });
      expect(body.metadata.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(body.measures.map((m) => m.code)).toEqual(snapshot.items.map((i) => i.code));
      for (const m of body.measures) expect(Object.keys(m).sort()).toEqual(PUBLIC_FIELDS);
      const measure = body.measures.find((m) => m.code === '3.1-P1')!;
      expect(measure).toMatchObject({
        title: 'Sprachcafés in Stadtteilbibliotheken',
        actionField: { code: '3.1', title: 'Erwerb der deutschen Sprache' },
        goals: [{ code: '2.1' }, { code: '2.2' }],
        level: 'bremen',
        status: 'delayed',
        statusLabel: 'verzögert',
        progress: 35,
        plannedStart: '2024-01-01',
        plannedEnd: '2025-12-31',
        summary: PUBLIC_SUMMARY,
        isExample: false,
      });
      expect(body.totals.total).toBe(1);
      expect(body.totals.counts.delayed).toBe(1);
    });

    it('serves CSV for a German Excel: UTF-8 with BOM, semicolons, metadata in the last columns', async () => {
      const res = await t.http
        .get(`/api/public/cycles/${cycle.code}/measures.csv`)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
      const header = csvFields(lines[0]);
      expect(header.slice(0, 3)).toEqual(['Code', 'Titel', 'Beschreibung']);
      expect(header.slice(-2)).toEqual(['Lizenz', 'Lizenz-URL']);
      expect(header).toEqual(expect.arrayContaining(['Herausgeber', 'Berichtszeitraum', 'Rahmenkonzept']));
      expect(lines).toHaveLength(1 + snapshot.items.length);
      const row = Object.fromEntries(csvFields(lines[1]).map((v, i) => [header[i], v]));
      expect(row).toMatchObject({
        Code: '3.1-P1',
        Status: 'verzögert',
        'Fortschritt (%)': '35',
        Sachstand: PUBLIC_SUMMARY,
        Herausgeber: 'Freie Hansestadt Bremen',
        Berichtszeitraum: '2024-01-01 bis 2025-12-31',
        'Lizenz-URL': 'https://www.govdata.de/dl-de/by-2-0',
      });
      expect(row.Lizenz).toContain('dl-de/by-2-0');
    });

    it('shows no obstacle, next step, review comment or unaccepted report anywhere', async () => {
      // The marker is in the non-public places: the history and the snapshot itself.
      const history = JSON.stringify(
        (await as(admin).get(`/api/measures/${measureId}/status-reports`).expect(200)).body,
      );
      for (const place of [`Entwurf ${MARKER}`, `Bitte ${MARKER}`, `Hindernis ${MARKER}`, `Fertig ${MARKER}`])
        expect(history).toContain(place);
      expect(JSON.stringify(snapshot)).toContain(`Schritt ${MARKER}`);
      for (const url of ['/api/public/cycles', ...publicUrls(cycle.code)]) {
        const res = await t.http.get(url).expect(200);
        expect(res.text).not.toContain(MARKER);
        expect(res.text).not.toMatch(/budget|obstacles|nextSteps|reviewComment|authorId|25000/);
      }
    });

    it('answers 304 to a matching If-None-Match and lets the answer be cached publicly', async () => {
      for (const url of ['/api/public/cycles', ...publicUrls(cycle.code)]) {
        const first = await t.http.get(url).expect(200);
        const etag = first.headers.etag;
        expect(etag).toMatch(/^"[^"]+"$/);
        expect(first.headers['cache-control']).toBe('public, no-cache');
        const again = await t.http.get(url).set('If-None-Match', etag).expect(304);
        expect(again.text ?? '').toBe('');
        expect(again.headers.etag).toBe(etag);
        await t.http.get(url).set('If-None-Match', '"anders"').expect(200);
      }
    });

    it('needs no sign-in while the other API routes still do', async () => {
      await t.http.get(`/api/public/cycles/${cycle.code}/measures.json`).expect(200);
      await t.http.get('/api/reporting-cycles').expect(401);
      await t.http.get(`/api/reporting-cycles/${cycle.id}/snapshot`).expect(401);
      await t.http.get('/api/status-reports').expect(401);
    });
  });
});

describe('open data rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ...PRODUCTION_SETTINGS, PUBLIC_REQUESTS_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the address that asked too often with 429 and Retry-After, not the others', async () => {
    const from = (address: string) => t.http.get('/api/public/cycles').set('X-Forwarded-For', address);
    for (let i = 0; i < 3; i++) await from('203.0.113.7').expect(200);
    const refused = await from('203.0.113.7').expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await from('203.0.113.8').expect(200);
  });
});

describe('open data CSV and spreadsheet formulas', () => {
  let t: TestApp;
  const FORMULA = '=HYPERLINK("https://example.org/";"Hier klicken")';

  beforeAll(async () => {
    t = await createTestApp(PRODUCTION_SETTINGS);
    const admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const ids = await frameworkIds(t, admin);
    const editor = await editorOf(t, admin, ids.departments.ASJI, 'soziales');
    const as = (token: string, url: string, body: object) =>
      t.http.post(url).auth(token, { type: 'bearer' }).send(body);
    let cycle = (
      (await t.http.get('/api/reporting-cycles').auth(admin, { type: 'bearer' }).expect(200)).body as Cycle[]
    ).find((c) => c.code === '2024-2025')!;
    const move = async (to: string): Promise<void> => {
      const res = await as(admin, `/api/reporting-cycles/${cycle.id}/transition`, {
        to,
        version: cycle.version,
      }).expect(200);
      cycle = res.body as Cycle;
    };
    const measure = (
      await as(
        admin,
        '/api/measures',
        newMeasure(ids, { code: '3.1-F1', leadDepartmentId: ids.departments.ASJI }),
      ).expect(201)
    ).body as { id: number };
    await move('collecting');
    const report = (
      await as(
        editor,
        `/api/measures/${measure.id}/status-reports`,
        newReport({ reportedAt: '2025-06-30', status: 'delayed', progress: 35, summary: FORMULA }),
      ).expect(201)
    ).body as { id: number };
    await as(admin, `/api/status-reports/${report.id}/review`, { decision: 'accept' }).expect(200);
    await move('reviewing');
    await move('closed');
    await move('published');
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a Sachstand that starts like a formula as text, numbers as numbers, and the JSON unchanged', async () => {
    const csv = (await t.http.get('/api/public/cycles/2024-2025/measures.csv').expect(200)).text;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const header = csvFields(lines[0]);
    const row = Object.fromEntries(csvFields(lines[1]).map((v, i) => [header[i], v]));
    // A spreadsheet reads a leading apostrophe as "this is text" and shows the cell without it.
    expect(row.Sachstand).toBe(`'${FORMULA}`);
    expect(row['Fortschritt (%)']).toBe('35');
    const json = (await t.http.get('/api/public/cycles/2024-2025/measures.json').expect(200)).body as {
      measures: { summary: string }[];
    };
    expect(json.measures[0].summary).toBe(FORMULA);
  });
});
