/**
 * Every error body is `{ statusCode, code, message, details? }`: one request per kind of error, each asserting
 * its code, so that a client can tell refusals apart without reading the German message.
 */
import { frameworkIds, type Ids, newMeasure } from './factories/measure.factory.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('error codes', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES_PER_MINUTE: '2' });
    admin = await t.login('admin@demo.local');
    viewer = await t.login('steuerung@demo.local');
    ids = await frameworkIds(t, admin);
  });
  afterAll(() => t.close());

  const expectBody = (body: unknown, statusCode: number, code: string): void => {
    expect(body).toMatchObject({ statusCode, code, message: expect.any(String) });
    expect((body as { message: string }).message.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/\bat \w+ \(|node_modules/);
  };

  it('400 VALIDATION_FAILED lists the fields under details', async () => {
    const res = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send({ title: '' })
      .expect(400);
    expectBody(res.body, 400, 'VALIDATION_FAILED');
    const details = (res.body as { details: { field: string; messages: string[] }[] }).details;
    expect(details.map((d) => d.field)).toEqual(expect.arrayContaining(['code', 'title', 'actionFieldId']));
  });

  it('400 BODY_NOT_JSON for a body that is not JSON', async () => {
    const res = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"title": ')
      .expect(400);
    expectBody(res.body, 400, 'BODY_NOT_JSON');
  });

  it('401 UNAUTHENTICATED without a sign-in', async () => {
    expectBody((await t.http.get('/api/measures').expect(401)).body, 401, 'UNAUTHENTICATED');
  });

  it('403 with the reason: a role (ACCESS.ROLE) or a department scope (MEASURE.OUT_OF_SCOPE)', async () => {
    const role = await t.http
      .post('/api/measures')
      .auth(viewer, { type: 'bearer' })
      .send(newMeasure(ids))
      .expect(403);
    expectBody(role.body, 403, 'ACCESS.ROLE');
    const editor = await t.login('bildung@demo.local');
    const foreign = (
      await t.http
        .get(`/api/measures?leadDepartmentId=${ids.departments.ASJI}&lifecycle=active&pageSize=1`)
        .auth(admin, { type: 'bearer' })
    ).body as { items: { id: number }[] };
    const scope = await t.http
      .post(`/api/measures/${foreign.items[0].id}/status-reports`)
      .auth(editor, { type: 'bearer' })
      .send({ status: 'in_progress', progress: 10, summary: 'Nicht unser Ressort, trotzdem versucht.' })
      .expect(403);
    expectBody(scope.body, 403, 'MEASURE.OUT_OF_SCOPE');
  });

  it('404 NOT_FOUND for an unknown address, a feature code for an unknown record', async () => {
    expectBody(
      (await t.http.get('/api/nichts-hier').auth(admin, { type: 'bearer' }).expect(404)).body,
      404,
      'NOT_FOUND',
    );
    expectBody(
      (await t.http.get('/api/measures/999999').auth(admin, { type: 'bearer' }).expect(404)).body,
      404,
      'MEASURE.NOT_FOUND',
    );
  });

  it('409 for a stale version and for a duplicate code', async () => {
    const created = (
      await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(newMeasure(ids)).expect(201)
    ).body as { id: number; code: string };
    const stale = await t.http
      .patch(`/api/measures/${created.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: 99, title: 'Neuer Titel für die Maßnahme' })
      .expect(409);
    expect((stale.body as { code: string }).code).toMatch(/^MEASURE\./);
    expectBody(stale.body, 409, (stale.body as { code: string }).code);
    const duplicate = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(newMeasure(ids, { code: created.code }))
      .expect(409);
    expectBody(duplicate.body, 409, (duplicate.body as { code: string }).code);
    expect((duplicate.body as { code: string }).code).toMatch(/^(DUPLICATE|MEASURE\.\w+)$/);
  });

  it('413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const res = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send({ description: 'x'.repeat(300 * 1024) })
      .expect(413);
    expectBody(res.body, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('429 RATE_LIMITED after too many failed sign-ins', async () => {
    let last: { status: number; body: unknown } = { status: 0, body: null };
    for (let i = 0; i < 4 && last.status !== 429; i++) {
      last = await t.http
        .post('/api/auth/login')
        .send({ email: 'bildung@demo.local', password: 'falsch-falsch' });
    }
    expect(last.status).toBe(429);
    expectBody(last.body, 429, 'RATE_LIMITED');
  });
});

describe('error responses in the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('names the error body and the refusals of every operation', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { required?: string[] }> };
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    expect(document.components.schemas.ErrorBody.required).toEqual(['statusCode', 'code', 'message']);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(40);
    const missing = operations.filter(
      ({ operation }) => !operation.responses['400'] || !operation.responses['500'],
    );
    expect(missing.map(({ path, method }) => `${method} ${path}`)).toEqual([]);
    const measure = document.paths['/api/measures/{id}'].patch.responses;
    expect(Object.keys(measure)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409']));
  });
});
