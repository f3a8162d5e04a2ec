/**
 * Inputs that used to get through: a deeply nested JSON body, dates that do not exist in the calendar, and a
 * sign-in form posted from a foreign page (login CSRF).
 */
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { AuthService } from '../src/auth/auth.service.js';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';

interface FieldError {
  field: string;
  messages: string[];
}

/** The field errors of a 400 answer. */
function fieldErrors(body: { errors?: FieldError[]; details?: FieldError[] }): FieldError[] {
  return body.errors ?? body.details ?? [];
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

describe('input hardening', () => {
  let t: TestApp;
  let admin: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    ids = await frameworkIds(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);

  describe('deeply nested JSON', () => {
    it('refuses a body nested 5,000 levels deep with 400 and a German message, no stack trace', async () => {
      const before = await databaseFingerprint(t.dataSource);
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(nested(5000))
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BODY_TOO_DEEP' });
      expect(res.body.message).toMatch(/verschachtelt/);
      expect(res.text).not.toMatch(/RangeError|at \w+ \(|\.ts:\d+|node_modules/);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('refuses an array nested 5,000 levels deep, also on a page route and before sign-in', async () => {
      const deepArray = '['.repeat(5000) + ']'.repeat(5000);
      for (const path of ['/api/auth/login', '/anmelden', '/api/meetings']) {
        const res = await t.http.post(path).set('Content-Type', 'application/json').send(deepArray);
        expect({ path, status: res.status, code: (res.body as { code?: string }).code }).toEqual({
          path,
          status: 400,
          code: 'BODY_TOO_DEEP',
        });
      }
    });

    it('lets a body within the limit reach validation as usual', async () => {
      const res = await t.http
        .post('/api/measures')
        .auth(admin, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(nested(300))
        .expect(400);
      expect(res.body.code).not.toBe('BODY_TOO_DEEP');
      expect(fieldErrors(res.body).map((e) => e.field)).toContain('a');
    });
  });

  describe('impossible calendar dates', () => {
    let measureId: number;
    let bodyId: number;

    beforeAll(async () => {
      const created = await post('/api/measures', newMeasure(ids)).expect(201);
      measureId = created.body.id;
      const bodies = (await t.http.get('/api/governance/bodies').auth(admin, { type: 'bearer' })).body as {
        id: number;
        code: string;
      }[];
      bodyId = bodies.find((b) => b.code === 'begleitgruppe')!.id;
    });

    const cases: [string, () => string, () => Record<string, unknown>, string][] = [
      [
        'measure create',
        () => '/api/measures',
        () => newMeasure(ids, { plannedStart: '2025-02-30' }),
        'plannedStart',
      ],
      [
        'status report',
        () => `/api/measures/${measureId}/status-reports`,
        () => newReport({ reportedAt: '2025-02-30' }),
        'reportedAt',
      ],
      [
        'cycle period',
        () => '/api/reporting-cycles',
        () => ({
          code: '2040-2041',
          name: 'Bericht 2040–2041',
          periodStart: '2025-02-30',
          periodEnd: '2041-12-31',
          inputDeadline: '2042-01-31',
        }),
        'periodStart',
      ],
      [
        'meeting date',
        () => '/api/meetings',
        () => ({ bodyId, date: '2025-02-30', title: 'Begleitgruppe' }),
        'date',
      ],
    ];

    it.each(cases)('refuses 2025-02-30 on %s with 400 naming the field', async (_name, path, body, field) => {
      const before = await databaseFingerprint(t.dataSource);
      const res = await post(path(), body()).expect(400);
      const error = fieldErrors(res.body).find((e) => e.field === field);
      expect(error?.messages.join(' ')).toMatch(/30\.02\.2025 gibt es nicht/);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it.each(['2025-04-31', '2023-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '2025-2-3'])(
      'refuses %s as a meeting date',
      async (date) => {
        const res = await post('/api/meetings', { bodyId, date, title: 'Begleitgruppe' }).expect(400);
        expect(fieldErrors(res.body).map((e) => e.field)).toEqual(['date']);
      },
    );

    it('accepts a leap day, 2024-02-29, on a measure and a meeting', async () => {
      const measure = await post('/api/measures', newMeasure(ids, { plannedStart: '2024-02-29' })).expect(
        201,
      );
      expect(measure.body.plannedStart).toBe('2024-02-29');
      const meeting = await post('/api/meetings', {
        bodyId,
        date: '2024-02-29',
        title: 'Begleitgruppe',
      }).expect(201);
      expect(meeting.body.date).toBe('2024-02-29');
    });

    it('refuses 2025-02-30 on the status report page with the German message next to the field', async () => {
      const before = await databaseFingerprint(t.dataSource);
      const res = await t.http
        .post(`/massnahmen/${measureId}/meldung`)
        .set('Cookie', `${SESSION_COOKIE}=${admin}`)
        .type('form')
        .send({
          _csrf: csrfToken(t.app.get(AuthService).csrfSecret, admin),
          status: 'in_progress',
          progress: '40',
          summary: 'Die ersten Sprachcafés laufen.',
          reportedAt: '2025-02-30',
        })
        .expect(400);
      expect(res.text).toMatch(/30\.02\.2025 gibt es nicht/);
      expect(res.text).toMatch(/aria-invalid="true"/);
      expect(await databaseFingerprint(t.dataSource)).toBe(before);
    });

    it('refuses 2025-02-30 as an audit filter', async () => {
      const res = await t.http.get('/api/audit?from=2025-02-30').auth(admin, { type: 'bearer' }).expect(400);
      expect(fieldErrors(res.body).map((e) => e.field)).toEqual(['from']);
    });
  });

  describe('sign-in form (login CSRF)', () => {
    async function signInPage(): Promise<{ cookie: string; token: string }> {
      const page = await t.http.get('/anmelden').expect(200);
      const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
      const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('rkm_login='));
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      expect(cookie).toBeDefined();
      expect(token).toBeDefined();
      return { cookie: cookie!, token: token! };
    }

    const sessionCookie = (res: { headers: Record<string, unknown> }): string | undefined =>
      ([] as string[])
        .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
        .find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));

    const credentials = { email: 'admin@demo.local', password: 'demo1234' };

    it('refuses a form post without a token, in German, and signs nobody in', async () => {
      const res = await t.http.post('/anmelden').type('form').send(credentials).expect(403);
      expect(res.text).toMatch(/Die Anmeldung ist abgelaufen oder kam von einer fremden Seite/);
      expect(sessionCookie(res)).toBeUndefined();
    });

    it('refuses a token that belongs to another browser (pre-session cookie missing or different)', async () => {
      const first = await signInPage();
      const second = await signInPage();
      const withoutCookie = await t.http
        .post('/anmelden')
        .type('form')
        .send({ ...credentials, _csrf: first.token })
        .expect(403);
      expect(sessionCookie(withoutCookie)).toBeUndefined();
      const crossed = await t.http
        .post('/anmelden')
        .set('Cookie', second.cookie)
        .type('form')
        .send({ ...credentials, _csrf: first.token })
        .expect(403);
      expect(sessionCookie(crossed)).toBeUndefined();
    });

    it('signs in with the token from the sign-in page, also with a same-origin Origin header', async () => {
      const { cookie, token } = await signInPage();
      const res = await t.http
        .post('/anmelden?weiter=%2Fmassnahmen')
        .set('Cookie', cookie)
        .type('form')
        .send({ ...credentials, _csrf: token })
        .expect(303);
      expect(res.headers.location).toBe('/massnahmen');
      const session = /rkm_session=([^;]+)/.exec(sessionCookie(res) ?? '')![1];
      await t.http.get('/massnahmen').set('Cookie', `${SESSION_COOKIE}=${session}`).expect(200);

      // The server's own name, as a browser on http://monitor.example would send it.
      const again = await signInPage();
      await t.http
        .post('/anmelden')
        .set('Host', 'monitor.example')
        .set('Origin', 'http://monitor.example')
        .set('Cookie', again.cookie)
        .type('form')
        .send({ ...credentials, _csrf: again.token })
        .expect(303);
      // What a browser sends for its own post when the page's referrer policy is no-referrer.
      const third = await signInPage();
      await t.http
        .post('/anmelden')
        .set({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })
        .set('Cookie', third.cookie)
        .type('form')
        .send({ ...credentials, _csrf: third.token })
        .expect(303);
    });

    it('refuses a post from a foreign page (Origin, Referer, Sec-Fetch-Site) even with a valid token', async () => {
      for (const headers of [
        { Origin: 'https://angreifer.example' },
        { Referer: 'https://angreifer.example/formular.html' },
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site', Origin: 'null' },
        { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' },
      ]) {
        const { cookie, token } = await signInPage();
        const res = await t.http
          .post('/anmelden')
          .set(headers)
          .set('Cookie', cookie)
          .type('form')
          .send({ ...credentials, _csrf: token });
        expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
        expect(res.text).toMatch(/Die Anmeldung ist abgelaufen oder kam von einer fremden Seite/);
        expect(sessionCookie(res)).toBeUndefined();
      }
    });

    it('leaves the JSON sign-in of the API as it was', async () => {
      const res = await t.http.post('/api/auth/login').send(credentials).expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
    });
  });
});
