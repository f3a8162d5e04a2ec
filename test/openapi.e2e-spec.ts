/**
 * The OpenAPI document names the success body of every API operation with a real schema (a component, a list
 * of one, a typed page, or a file), and the documented fields are exactly those the API returns: each
 * documented schema is compared with real responses, key by key and type by type, so that documentation and
 * code cannot drift apart.
 */
import { STATUS_KEYS } from '../src/measures/measure-rules.js';
import { frameworkIds, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Operations without a success body to document, and why. */
const WITHOUT_SUCCESS_BODY: Record<string, string> = {
  'get /api/reporting-cycles/{id}/report': 'nicht mehr unterstützt: antwortet immer 405',
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('success responses in the OpenAPI document', () => {
  let t: TestApp;
  let admin: string;
  let document: Document;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    document = (await t.http.get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  const component = (ref: string): Schema | undefined =>
    document.components.schemas[ref.replace('#/components/schemas/', '')];

  /** A schema with its $ref (also a nullable one: allOf of one $ref) resolved. */
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(component(schema.$ref) ?? {});
    if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), nullable: schema.nullable };
    return schema;
  };

  const isRef = (schema: Schema | undefined): boolean => !!schema?.$ref && !!component(schema.$ref);

  /** Why a success body's schema is not a real one, or '' when it is. */
  const weakness = (mediaType: string, schema: Schema | undefined): string => {
    if (!schema) return 'kein Schema';
    if (mediaType !== 'application/json')
      return schema.type === 'string' && schema.format === 'binary' ? '' : 'Datei ohne binary-Schema';
    if (schema.type === 'array') return isRef(schema.items) ? '' : 'Liste ohne Komponente';
    if (!isRef(schema)) return 'keine Komponente';
    const target = resolve(schema);
    const keys = Object.keys(target.properties ?? {});
    if (keys.length === 0) return 'Komponente ohne Felder';
    if (['items', 'total', 'page', 'pageSize'].every((k) => keys.includes(k))) {
      const items = target.properties!.items;
      if (items.type !== 'array' || !isRef(items.items)) return 'Seite ohne typisierte items';
    }
    return '';
  };

  const operations = (): { key: string; operation: Operation }[] =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ key: `${method} ${path}`, operation })),
      );

  it('documents a real schema for the success body of every API operation', () => {
    expect(operations().length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const { key, operation } of operations()) {
      if (WITHOUT_SUCCESS_BODY[key]) continue;
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) problems.push(`${key}: keine Erfolgsantwort`);
      for (const [status, response] of successes) {
        if (status === '204') continue;
        const contents = Object.entries(response.content ?? {});
        if (contents.length === 0) problems.push(`${key} ${status}: kein Inhalt beschrieben`);
        for (const [mediaType, { schema }] of contents) {
          const why = weakness(mediaType, schema);
          if (why) problems.push(`${key} ${status} ${mediaType}: ${why}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents file downloads as xlsx with a binary body', () => {
    for (const path of [
      '/api/reports/{id}/download',
      '/api/reporting-cycles/{id}/templates/{departmentId}',
      '/api/measure-plan',
    ]) {
      expect(document.paths[path].get.responses['200'].content?.[XLSX]?.schema).toEqual({
        type: 'string',
        format: 'binary',
      });
    }
    expect(
      document.paths['/api/reporting-cycles/{id}/report'].post.responses['200'].content?.[XLSX]?.schema,
    ).toEqual({ type: 'string', format: 'binary' });
  });

  it('documents the dashboard with its breakdowns, counted per status key', () => {
    const schema =
      document.paths['/api/dashboard'].get.responses['200'].content?.['application/json']?.schema;
    const dashboard = resolve(schema!);
    expect(Object.keys(dashboard.properties ?? {})).toEqual(
      expect.arrayContaining(['totals', 'byGoal', 'byActionField', 'byDepartment', 'currentCycle', 'stale']),
    );
    const byGoal = resolve(resolve(dashboard.properties!.byGoal).items!);
    expect(Object.keys(byGoal.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'code', 'title', 'total', 'counts', 'shares', 'averageProgress']),
    );
    expect(Object.keys(resolve(byGoal.properties!.counts).properties ?? {}).sort()).toEqual(
      [...STATUS_KEYS].sort(),
    );
  });

  /** Where a real body and its documented schema differ: extra, missing or mistyped fields. */
  const drift = (schema: Schema | undefined, value: unknown, where: string): string[] => {
    if (!schema) return [`${where}: nicht dokumentiert`];
    const s = resolve(schema);
    if (value === null) return s.nullable ? [] : [`${where}: null, aber nicht nullable`];
    if (Array.isArray(value)) {
      if (s.type !== 'array') return [`${where}: Liste, dokumentiert als ${s.type}`];
      return value.slice(0, 5).flatMap((v, i) => drift(s.items, v, `${where}[${i}]`));
    }
    if (typeof value === 'object') {
      if (!s.properties) return s.type === 'object' ? [] : [`${where}: Objekt, dokumentiert als ${s.type}`];
      const actual = Object.keys(value);
      const documented = Object.keys(s.properties);
      return [
        ...actual.filter((k) => !documented.includes(k)).map((k) => `${where}.${k}: nicht dokumentiert`),
        ...(s.required ?? []).filter((k) => !actual.includes(k)).map((k) => `${where}.${k}: fehlt`),
        ...actual
          .filter((k) => documented.includes(k))
          .flatMap((k) => drift(s.properties![k], (value as Record<string, unknown>)[k], `${where}.${k}`)),
      ];
    }
    if (s.enum && !s.enum.includes(value)) return [`${where}: ${String(value)} nicht in enum`];
    const type = s.type ?? (s.enum ? typeof s.enum[0] : undefined);
    const fits =
      type === 'integer'
        ? Number.isInteger(value)
        : type === 'number'
          ? typeof value === 'number'
          : type === typeof value;
    return fits ? [] : [`${where}: ${typeof value}, dokumentiert als ${type}`];
  };

  const documented = (method: string, path: string, status: string): Schema | undefined =>
    document.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;

  const expectNoDrift = (method: string, path: string, status: number, body: unknown): void => {
    expect(drift(documented(method, path, String(status)), body, `${method} ${path}`)).toEqual([]);
  };

  it('documents exactly the fields that reading routes return', async () => {
    const get = async (url: string): Promise<unknown> =>
      (await t.http.get(url).auth(admin, { type: 'bearer' }).expect(200)).body;
    const cycles = (await get('/api/reporting-cycles')) as { id: number; state: string }[];
    const open = cycles.find((c) => c.state === 'collecting' || c.state === 'reviewing')!;
    const published = cycles.find((c) => c.state === 'published' || c.state === 'closed')!;
    const decisions = (await get('/api/decisions')) as { items: { id: number; meetingId: number }[] };
    const decision = decisions.items[0];
    const indicators = (await get('/api/indicators')) as { id: number }[];
    const publicCycles = (await get('/api/public/cycles')) as { code: string }[];
    expect(publicCycles.length).toBeGreaterThan(0);
    const routes: [path: string, url: string][] = [
      ['/api/auth/me', '/api/auth/me'],
      ['/api/users', '/api/users'],
      ['/api/framework', '/api/framework'],
      ['/api/goals', '/api/goals'],
      ['/api/action-fields', '/api/action-fields'],
      ['/api/departments', '/api/departments'],
      ['/api/audit', '/api/audit'],
      ['/api/measures', '/api/measures?pageSize=5'],
      ['/api/measures/{id}', '/api/measures/1'],
      ['/api/measures/{id}/status-reports', '/api/measures/1/status-reports'],
      ['/api/status-reports', '/api/status-reports?pageSize=5'],
      ['/api/status-reports/{id}', '/api/status-reports/1'],
      ['/api/reporting-cycles', '/api/reporting-cycles'],
      ['/api/reporting-cycles/{id}', `/api/reporting-cycles/${open.id}`],
      ['/api/reporting-cycles/{id}/completeness', `/api/reporting-cycles/${open.id}/completeness`],
      ['/api/reporting-cycles/{id}/reminders', `/api/reporting-cycles/${open.id}/reminders`],
      ['/api/reporting-cycles/{id}/snapshot', `/api/reporting-cycles/${published.id}/snapshot`],
      ['/api/governance/bodies', '/api/governance/bodies'],
      ['/api/governance/cadence', '/api/governance/cadence'],
      ['/api/meetings', '/api/meetings'],
      ['/api/meetings/{id}', `/api/meetings/${decision.meetingId}`],
      ['/api/decisions', '/api/decisions'],
      ['/api/decisions/{id}', `/api/decisions/${decision.id}`],
      ['/api/indicators', '/api/indicators'],
      ['/api/indicators/{id}', `/api/indicators/${indicators[0].id}`],
      ['/api/dashboard', '/api/dashboard'],
      ['/api/dashboard', `/api/dashboard?cycleId=${published.id}`],
      ['/api/health', '/api/health'],
      ['/api/public/cycles', '/api/public/cycles'],
      ['/api/public/cycles/{code}/measures.json', `/api/public/cycles/${publicCycles[0].code}/measures.json`],
      ['/api/notifications', '/api/notifications'],
      ['/api/account/notifications', '/api/account/notifications'],
    ];
    for (const [path, url] of routes) expectNoDrift('get', path, 200, await get(url));

    // The comparison has teeth: an extra, a missing and a mistyped field are each found.
    const changed: Record<string, unknown> = {
      ...((await get('/api/measures/1')) as Record<string, unknown>),
      progress: 'viel',
      extra: 1,
    };
    delete changed.title;
    expect(drift(documented('get', '/api/measures/{id}', '200'), changed, 'm')).toEqual([
      'm.extra: nicht dokumentiert',
      'm.title: fehlt',
      'm.progress: string, dokumentiert als integer',
    ]);
  });

  it('documents exactly the fields that writing routes return', async () => {
    const ids = await frameworkIds(t, admin);
    const created = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(newMeasure(ids))
      .expect(201);
    expectNoDrift('post', '/api/measures', 201, created.body);
    const measure = created.body as { id: number; version: number };
    const editor = await t.login('soziales@demo.local');
    const report = await t.http
      .post(`/api/measures/${measure.id}/status-reports`)
      .auth(editor, { type: 'bearer' })
      .send(newReport())
      .expect(201);
    expectNoDrift('post', '/api/measures/{id}/status-reports', 201, report.body);
    const reviewed = await t.http
      .post(`/api/status-reports/${(report.body as { id: number }).id}/review`)
      .auth(admin, { type: 'bearer' })
      .send({ decision: 'accept' })
      .expect(200);
    expectNoDrift('post', '/api/status-reports/{id}/review', 200, reviewed.body);
    const current = await t.http
      .get(`/api/measures/${measure.id}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    const discontinued = await t.http
      .post(`/api/measures/${measure.id}/lifecycle`)
      .auth(admin, { type: 'bearer' })
      .send({
        lifecycle: 'discontinued',
        reason: 'Im Haushalt nicht mehr vorgesehen.',
        version: (current.body as { version: number }).version,
      })
      .expect(200);
    expectNoDrift('post', '/api/measures/{id}/lifecycle', 200, discontinued.body);
    const changes = await t.http
      .get(`/api/measures/${measure.id}/changes`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect((changes.body as unknown[]).length).toBeGreaterThan(0);
    expectNoDrift('get', '/api/measures/{id}/changes', 200, changes.body);
    const cycle = await t.http
      .post('/api/reporting-cycles')
      .auth(admin, { type: 'bearer' })
      .send({
        code: '2030-2031',
        name: 'Berichtszyklus 2030–2031',
        periodStart: '2030-01-01',
        periodEnd: '2031-12-31',
        inputDeadline: '2032-01-31',
      })
      .expect(201);
    expectNoDrift('post', '/api/reporting-cycles', 201, cycle.body);
    const login = await t.http
      .post('/api/auth/login')
      .send({ email: 'bildung@demo.local', password: 'demo1234' })
      .expect(200);
    expectNoDrift('post', '/api/auth/login', 200, login.body);
    const dryRun = await t.http
      .post('/api/notifications/run')
      .auth(admin, { type: 'bearer' })
      .send({ dryRun: true })
      .expect(200);
    expect((dryRun.body as { planned: unknown[] }).planned.length).toBeGreaterThan(0);
    expectNoDrift('post', '/api/notifications/run', 200, dryRun.body);
    const settings = await t.http
      .patch('/api/account/notifications')
      .auth(admin, { type: 'bearer' })
      .send({ digestEmails: false })
      .expect(200);
    expectNoDrift('patch', '/api/account/notifications', 200, settings.body);
  });
});
