import { JwtService } from '@nestjs/jwt';
import { frameworkIds, type Ids, newMeasure, newReport } from './factories/measure.factory.js';
import { postSignIn } from './helpers/web-sign-in.js';
import { createTestApp, databaseFingerprint, type TestApp } from './helpers/test-app.js';

describe('sign-in, tokens and hardening', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => {
    await t.close();
  });

  async function createAccount(
    email: string,
    password = 'Ein-gutes-Passwort-1',
  ): Promise<{ id: number; version: number }> {
    const res = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({ email, displayName: 'Test', role: 'viewer', password })
      .expect(201);
    return res.body as { id: number; version: number };
  }

  it('signs in with the DESIGN.md contract', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .send({ email: 'Bildung@Demo.Local', password: 'demo1234' })
      .expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(Object.keys(res.body.user).sort()).toEqual(['departmentId', 'displayName', 'email', 'id', 'role']);
    expect(res.body.user).toMatchObject({ email: 'bildung@demo.local', role: 'editor' });
    expect(res.body.user.departmentId).toEqual(expect.any(Number));
  });

  it('refuses a wrong password and an unknown account alike, and records both', async () => {
    const wrong = await t.http
      .post('/api/auth/login')
      .send({ email: 'steuerung@demo.local', password: 'falsch' })
      .expect(401);
    const unknown = await t.http
      .post('/api/auth/login')
      .send({ email: 'niemand@demo.local', password: 'demo1234' })
      .expect(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body.accessToken).toBeUndefined();
    const audit = await t.http
      .get('/api/audit?action=login_failed')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    const notes = audit.body.items.map(
      (e: { userEmail: string; note: string }) => `${e.userEmail}: ${e.note}`,
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        'steuerung@demo.local: falsches Passwort',
        'niemand@demo.local: unbekanntes Konto',
      ]),
    );
  });

  it('refuses a request without, with a tampered or with an expired token', async () => {
    await t.http.get('/api/measures').expect(401);
    const [header, payload, signature] = admin.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 2 }),
    ).toString('base64url');
    await t.http
      .get('/api/measures')
      .auth(`${header}.${forged}.${signature}`, { type: 'bearer' })
      .expect(401);
    await t.http
      .get('/api/measures')
      .auth(`${header}.${payload}.${signature.slice(0, -2)}xx`, { type: 'bearer' })
      .expect(401);
    const noneAlg = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    await t.http.get('/api/measures').auth(noneAlg, { type: 'bearer' }).expect(401);
    const other = new JwtService({ secret: 'a-completely-different-secret-of-enough-length' });
    await t.http
      .get('/api/measures')
      .auth(other.sign({ sub: 1, gen: 0 }), { type: 'bearer' })
      .expect(401);

    const jwt = new JwtService({ secret: t.config.AUTH_SECRET });
    const me = await t.http.get('/api/auth/me').auth(admin, { type: 'bearer' }).expect(200);
    const expired = jwt.sign({ sub: me.body.id, gen: 0, exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await t.http.get('/api/measures').auth(expired, { type: 'bearer' }).expect(401);
    expect(res.body.message).toMatch(/abgelaufen/);
  });

  it('refuses a deactivated user at once, also with a token issued before', async () => {
    const account = await createAccount('weg@example.org');
    const token = await t.login('weg@example.org', 'Ein-gutes-Passwort-1');
    await t.http.get('/api/measures').auth(token, { type: 'bearer' }).expect(200);
    await t.http
      .patch(`/api/users/${account.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: account.version, active: false })
      .expect(200);
    await t.http.get('/api/measures').auth(token, { type: 'bearer' }).expect(401);
    await t.http
      .post('/api/auth/login')
      .send({ email: 'weg@example.org', password: 'Ein-gutes-Passwort-1' })
      .expect(401);
  });

  it('ends old tokens on password reset and on logout', async () => {
    const account = await createAccount('reset@example.org');
    const token = await t.login('reset@example.org', 'Ein-gutes-Passwort-1');
    await t.http
      .post(`/api/users/${account.id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'kurz' })
      .expect(400);
    await t.http
      .post(`/api/users/${account.id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'Ganz-Neues-Passwort-7' })
      .expect(200);
    await t.http.get('/api/measures').auth(token, { type: 'bearer' }).expect(401);
    const fresh = await t.login('reset@example.org', 'Ganz-Neues-Passwort-7');
    await t.http.post('/api/auth/logout').auth(fresh, { type: 'bearer' }).expect(204);
    await t.http.get('/api/measures').auth(fresh, { type: 'bearer' }).expect(401);
    await t.http.post('/api/auth/logout').expect(401);
  });

  it('lets every account change its own password with the current one, ending its other sessions', async () => {
    await createAccount('selbst@example.org');
    const other = await t.login('selbst@example.org', 'Ein-gutes-Passwort-1');
    const token = await t.login('selbst@example.org', 'Ein-gutes-Passwort-1');
    const change = (body: object, with_ = token) =>
      t.http.post('/api/auth/password').auth(with_, { type: 'bearer' }).send(body);
    await t.http.post('/api/auth/password').send({ currentPassword: 'x', newPassword: 'y' }).expect(401);
    const wrong = await change({
      currentPassword: 'Falsches-Passwort-1',
      newPassword: 'Ganz-Neues-Passwort-8',
    }).expect(400);
    expect(wrong.body.errors).toEqual([
      { field: 'currentPassword', messages: ['Das bisherige Passwort stimmt nicht.'] },
    ]);
    // The failed attempt is recorded, like a failed sign-in, and changes nothing else.
    const failed = await t.http
      .get('/api/audit?action=password_change_failed')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(failed.body.items[0]).toMatchObject({
      userEmail: 'selbst@example.org',
      note: 'bisheriges Passwort falsch',
    });
    const before = await databaseFingerprint(t.dataSource);
    const weak = await change({ currentPassword: 'Ein-gutes-Passwort-1', newPassword: 'kurz' }).expect(400);
    expect(weak.body.errors[0].field).toBe('newPassword');
    expect(weak.body.errors[0].messages.join(' ')).toMatch(/mindestens 10 Zeichen/);
    const same = await change({
      currentPassword: 'Ein-gutes-Passwort-1',
      newPassword: 'Ein-gutes-Passwort-1',
    }).expect(400);
    expect(same.body.errors[0].messages).toEqual([
      'Das neue Passwort muss sich vom bisherigen unterscheiden.',
    ]);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    const done = await change({
      currentPassword: 'Ein-gutes-Passwort-1',
      newPassword: 'Ganz-Neues-Passwort-8',
    }).expect(200);
    // The answer carries a new token; the old ones, here and elsewhere, are ended.
    await t.http.get('/api/measures').auth(done.body.accessToken, { type: 'bearer' }).expect(200);
    await t.http.get('/api/measures').auth(token, { type: 'bearer' }).expect(401);
    await t.http.get('/api/measures').auth(other, { type: 'bearer' }).expect(401);
    await t.http
      .post('/api/auth/login')
      .send({ email: 'selbst@example.org', password: 'Ein-gutes-Passwort-1' })
      .expect(401);
    await t.login('selbst@example.org', 'Ganz-Neues-Passwort-8');
    const audit = await t.http
      .get('/api/audit?action=password_change')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(audit.body)).not.toMatch(/\$2[aby]\$/);
  });

  it('counts wrong current passwords like failed sign-ins', async () => {
    await createAccount('raten@example.org');
    const token = await t.login('raten@example.org', 'Ein-gutes-Passwort-1');
    for (let i = 0; i < 5; i++)
      await t.http
        .post('/api/auth/password')
        .auth(token, { type: 'bearer' })
        .send({ currentPassword: `Geraten-${i}-Passwort`, newPassword: 'Ganz-Neues-Passwort-9' })
        .expect(400);
    const blocked = await t.http
      .post('/api/auth/password')
      .auth(token, { type: 'bearer' })
      .send({ currentPassword: 'Ein-gutes-Passwort-1', newPassword: 'Ganz-Neues-Passwort-9' })
      .expect(429);
    expect(blocked.body.message).toMatch(/Zu viele fehlgeschlagene Versuche/);
  });

  it('limits failed sign-ins: 5 failures per minute per account and address, then 429 even for the right password', async () => {
    await createAccount('rate@example.org');
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/auth/login')
        .send({ email: 'rate@example.org', password: `falsch-${i}` })
        .expect(401);
    }
    const blocked = await t.http
      .post('/api/auth/login')
      .send({ email: 'rate@example.org', password: 'Ein-gutes-Passwort-1' })
      .expect(429);
    expect(blocked.body.message).toMatch(/Zu viele fehlgeschlagene Anmeldungen/);
    // Another account from the same address is not affected.
    await t.http
      .post('/api/auth/login')
      .send({ email: 'steuerung@demo.local', password: 'demo1234' })
      .expect(200);
  });

  it('refuses a 1 MB JSON body with 413 and changes nothing', async () => {
    const before = await databaseFingerprint(t.dataSource);
    const res = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send(JSON.stringify({ title: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.message).toBe('Die Anfrage ist zu groß.');
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('sets security headers with a CSP that allows no inline scripts', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('refuses a stale account version with 409', async () => {
    const account = await createAccount('version@example.org');
    await t.http
      .patch(`/api/users/${account.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: account.version, displayName: 'Eins' })
      .expect(200);
    const before = await databaseFingerprint(t.dataSource);
    await t.http
      .patch(`/api/users/${account.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: account.version, displayName: 'Zwei' })
      .expect(409);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
  });

  it('validates accounts: weak password, editor without department, duplicate e-mail', async () => {
    const weak = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'schwach@example.org', displayName: 'S', role: 'editor', password: 'abc' })
      .expect(400);
    expect(weak.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'departmentId',
      'displayName',
      'password',
    ]);
    await createAccount('doppelt@example.org');
    await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'doppelt@example.org',
        displayName: 'Doppelt',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-1',
      })
      .expect(409);
  });
});

describe('audit trail', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let ids: Ids;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.local');
    editor = await t.login('soziales@demo.local');
    ids = await frameworkIds(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  async function entriesFor(entity: string, entityId: number | string): Promise<Record<string, unknown>[]> {
    const res = await t.http
      .get(`/api/audit?entity=${entity}&entityId=${entityId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    return (res.body.items as Record<string, unknown>[]).reverse();
  }

  it('records create, update, lifecycle, status report and review with who, what and before/after', async () => {
    const me = (await t.http.get('/api/auth/me').auth(admin, { type: 'bearer' })).body;
    const editorMe = (await t.http.get('/api/auth/me').auth(editor, { type: 'bearer' })).body;
    const created = await t.http
      .post('/api/measures')
      .auth(admin, { type: 'bearer' })
      .send(newMeasure(ids, { title: 'Alt' }))
      .expect(201);
    const id = created.body.id as number;
    await t.http
      .patch(`/api/measures/${id}`)
      .auth(admin, { type: 'bearer' })
      .send({ version: 1, title: 'Neuer Titel', goalIds: [ids.goals['2.3']] })
      .expect(200);
    const report = await t.http
      .post(`/api/measures/${id}/status-reports`)
      .auth(editor, { type: 'bearer' })
      .send(newReport())
      .expect(201);
    await t.http
      .post(`/api/status-reports/${report.body.id}/review`)
      .auth(admin, { type: 'bearer' })
      .send({ decision: 'return', comment: 'Bitte ergänzen.' })
      .expect(200);
    await t.http
      .post(`/api/measures/${id}/lifecycle`)
      .auth(admin, { type: 'bearer' })
      .send({ version: 2, lifecycle: 'discontinued', reason: 'Ziel erreicht' })
      .expect(200);

    const measureEntries = await entriesFor('Measure', id);
    expect(measureEntries.map((e) => e.action)).toEqual(['create', 'update', 'lifecycle']);
    expect(measureEntries[0]).toMatchObject({ userId: me.id, userEmail: 'admin@demo.local' });
    expect((measureEntries[0].changes as Record<string, { to: unknown }>).title.to).toBe('Alt');
    expect(measureEntries[1].changes).toEqual({
      title: { from: 'Alt', to: 'Neuer Titel' },
      goalIds: { from: [ids.goals['2.1'], ids.goals['2.2']], to: [ids.goals['2.3']] },
    });
    expect(measureEntries[2]).toMatchObject({
      note: 'Ziel erreicht',
      changes: {
        lifecycle: { from: 'active', to: 'discontinued' },
        lifecycleReason: { from: '', to: 'Ziel erreicht' },
      },
    });

    const reportEntries = await entriesFor('StatusReport', report.body.id);
    expect(reportEntries.map((e) => [e.action, e.userId])).toEqual([
      ['create', editorMe.id],
      ['review', me.id],
    ]);
    expect(reportEntries[1].changes).toMatchObject({
      reviewState: { from: 'submitted', to: 'returned' },
      reviewComment: { from: '', to: 'Bitte ergänzen.' },
    });
  });

  it('records account changes without the password hash, and sign-in success', async () => {
    const created = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'audit@example.org',
        displayName: 'Audit',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-1',
      })
      .expect(201);
    await t.http
      .post(`/api/users/${created.body.id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'Anderes-Passwort-22' })
      .expect(200);
    await t.login('audit@example.org', 'Anderes-Passwort-22');
    const entries = await entriesFor('User', created.body.id);
    expect(entries.map((e) => e.action)).toEqual(['create', 'password_reset']);
    expect(JSON.stringify(entries)).not.toMatch(/\$2[aby]\$/);
    expect((entries[1].changes as Record<string, unknown>).passwordHash).toEqual({
      from: '[geändert]',
      to: '[geändert]',
    });
    const sessions = await entriesFor('Session', created.body.id);
    expect(sessions.map((e) => e.action)).toContain('login');
  });

  it('a failed write leaves no entry claiming success', async () => {
    const total = async (): Promise<number> =>
      (await t.http.get('/api/audit?entity=Measure').auth(admin, { type: 'bearer' }).expect(200)).body
        .total as number;
    const before = await total();
    const body = newMeasure(ids);
    await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(201);
    await t.http.post('/api/measures').auth(admin, { type: 'bearer' }).send(body).expect(409);
    await t.http.post('/api/measures').auth(editor, { type: 'bearer' }).send(newMeasure(ids)).expect(403);
    expect(await total()).toBe(before + 1);
  });

  it('offers no way to change or delete entries', async () => {
    await t.http.delete('/api/audit/1').auth(admin, { type: 'bearer' }).expect(404);
    await t.http.patch('/api/audit/1').auth(admin, { type: 'bearer' }).send({}).expect(404);
  });

  it('filters by user and period, and refuses a bad date', async () => {
    const me = (await t.http.get('/api/auth/me').auth(editor, { type: 'bearer' })).body;
    const res = await t.http.get(`/api/audit?userId=${me.id}`).auth(admin, { type: 'bearer' }).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const entry of res.body.items) expect(entry.userId).toBe(me.id);
    const today = new Date().toISOString().slice(0, 10);
    const inPeriod = await t.http
      .get(`/api/audit?from=${today}&to=${today}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(inPeriod.body.total).toBeGreaterThan(0);
    const past = await t.http
      .get('/api/audit?from=2020-01-01&to=2020-12-31')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(past.body.total).toBe(0);
    await t.http.get('/api/audit?from=gestern').auth(admin, { type: 'bearer' }).expect(400);
  });
});

describe('web session', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with an httpOnly, SameSite=Strict cookie, and refuses a form post without the CSRF token', async () => {
    const res = await postSignIn(t.http, 'admin@demo.local', 'demo1234');
    expect(res.status).toBe(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(
      /^rkm_session=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict/,
    );
    const session = /rkm_session=([^;]+)/.exec(cookie)![1];
    const before = await databaseFingerprint(t.dataSource);
    const refused = await t.http
      .post('/konten')
      .set('Cookie', `rkm_session=${session}`)
      .type('form')
      .send({ email: 'csrf@example.org', displayName: 'X', role: 'viewer', password: 'Ein-gutes-Passwort-1' })
      .expect(403);
    expect(refused.text).toMatch(/Das Formular ist abgelaufen oder ungültig/);
    await t.http
      .post('/konten')
      .set('Cookie', `rkm_session=${session}`)
      .type('form')
      .send({
        _csrf: 'gefälscht',
        email: 'csrf@example.org',
        displayName: 'X',
        role: 'viewer',
        password: 'Ein-gutes-Passwort-1',
      })
      .expect(403);
    expect(await databaseFingerprint(t.dataSource)).toBe(before);
    // The bearer API does not accept the cookie, and the pages do not accept a bearer token.
    await t.http.get('/api/measures').set('Cookie', `rkm_session=${session}`).expect(401);
    await t.http.get('/massnahmen').auth(session, { type: 'bearer' }).expect(303);
  });

  it('changes the own password on the page: errors in German, then a new session cookie', async () => {
    const signIn = await postSignIn(t.http, 'steuerung@demo.local', 'demo1234');
    expect(signIn.status).toBe(303);
    const session = /rkm_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1];
    const page = await t.http.get('/konto/passwort').set('Cookie', `rkm_session=${session}`).expect(200);
    expect(page.text).toMatch(/<h1[^>]*>Passwort ändern<\/h1>/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const post = (body: Record<string, string>) =>
      t.http
        .post('/konto/passwort')
        .set('Cookie', `rkm_session=${session}`)
        .type('form')
        .send({ _csrf: csrf, ...body });
    const mismatch = await post({
      currentPassword: 'demo1234',
      newPassword: 'Lenkungskreis-2026!',
      repeatPassword: 'Lenkungskreis-2027!',
    }).expect(400);
    expect(mismatch.text).toMatch(/Neues Passwort wiederholen: stimmt nicht mit dem neuen Passwort überein/);
    const wrong = await post({
      currentPassword: 'falsch',
      newPassword: 'Lenkungskreis-2026!',
      repeatPassword: 'Lenkungskreis-2026!',
    }).expect(400);
    expect(wrong.text).toMatch(/Bisheriges Passwort: Das bisherige Passwort stimmt nicht\./);
    const done = await post({
      currentPassword: 'demo1234',
      newPassword: 'Lenkungskreis-2026!',
      repeatPassword: 'Lenkungskreis-2026!',
    }).expect(303);
    expect(done.headers.location).toBe('/konto/passwort?geaendert=1');
    const fresh = /rkm_session=([^;]+)/.exec(String(done.headers['set-cookie']))![1];
    await t.http.get('/').set('Cookie', `rkm_session=${session}`).expect(303);
    const after = await t.http
      .get('/konto/passwort?geaendert=1')
      .set('Cookie', `rkm_session=${fresh}`)
      .expect(200);
    expect(after.text).toMatch(/Ihr Passwort wurde geändert/);
    expect((await postSignIn(t.http, 'steuerung@demo.local', 'Lenkungskreis-2026!')).status).toBe(303);
  });
});
