/**
 * Single sign-on against a real OpenID provider started here (npm `oidc-provider`): the full redirect flow
 * (authorization code with PKCE, state and nonce) driven over HTTP with cookies; unknown and deactivated
 * accounts refused in German; a wrong state or nonce refused; logout ending the provider's session too; and
 * password sign-in switched off for everyone but the break-glass account.
 */
import request from 'supertest';
import { AuthService } from '../src/auth/auth.service.js';
import { csrfToken, SESSION_COOKIE } from '../src/common/auth/session.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { ProviderBrowser, startProvider, type TestProvider } from './helpers/oidc-provider.js';

const BASE = 'https://monitor.example.test';
const CALLBACK = `${BASE}/anmelden/dienstkonto/rueckruf`;

/** The cookies a response sets, as name → value. */
function setCookies(response: request.Response): Record<string, string> {
  const lines = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return Object.fromEntries(
    lines
      .map((line) => line.split(';')[0])
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

describe('single sign-on with the identity provider', () => {
  let idp: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startProvider(BASE, { unverified: ['steuerung@demo.local'] });
    t = await createTestApp({
      APP_BASE_URL: BASE,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ALLOW_HTTP: 'true',
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  /**
   * The whole sign-in as a browser does it: our start page, the provider's forms, back to our callback.
   * `tamper` may change the authorization URL on its way to the provider (an attacker's state or nonce).
   */
  async function signIn(
    login: string,
    options: { tamper?: (url: URL) => void; browser?: ProviderBrowser } = {},
  ): Promise<{ callback: request.Response; browser: ProviderBrowser }> {
    const browser = options.browser ?? new ProviderBrowser();
    const start = await t.http.get('/anmelden/dienstkonto?weiter=/massnahmen').expect(303);
    const flowCookie = setCookies(start).rkm_sso_flow;
    expect(flowCookie).toBeTruthy();
    const authorization = new URL(start.headers.location);
    expect(authorization.origin).toBe(idp.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    options.tamper?.(authorization);
    const back = new URL(await browser.authorize(authorization.href, login, CALLBACK));
    const callback = await t.http
      .get(`${back.pathname}${back.search}`)
      .set('Cookie', `rkm_sso_flow=${flowCookie}`);
    return { callback, browser };
  }

  it('offers "Mit Dienstkonto anmelden" on the sign-in page', async () => {
    const page = await t.http.get('/anmelden').expect(200);
    expect(page.text).toContain('Mit Dienstkonto anmelden');
    expect(page.text).toContain('href="/anmelden/dienstkonto"');
  });

  it('signs an existing account in through the provider, and logout ends both sessions', async () => {
    const { callback, browser } = await signIn('soziales@demo.local');
    expect(callback.status).toBe(200);
    expect(callback.text).toContain('url=/massnahmen');
    const cookies = setCookies(callback);
    const session = cookies[SESSION_COOKIE];
    expect(session).toBeTruthy();
    const home = await t.http.get('/').set('Cookie', `${SESSION_COOKIE}=${session}`).expect(200);
    expect(home.text).toContain('Ressort Soziales');

    const audit = (
      await t.http
        .get('/api/audit?action=login')
        .auth(await t.login('admin@demo.local'), { type: 'bearer' })
        .expect(200)
    ).body as { items: { userEmail: string; note: string }[] };
    expect(audit.items.find((e) => e.userEmail === 'soziales@demo.local')?.note).toMatch(/Dienstkonto/);

    // Logout: the local session ends, and a page of ours sends the browser on to the provider's logout (a
    // redirect would end the form post on another site, which the content security policy forbids).
    const logout = await t.http
      .post('/abmelden')
      .set('Cookie', `${SESSION_COOKIE}=${session}; rkm_sso=${cookies.rkm_sso}`)
      .type('form')
      .send({ _csrf: csrfToken(t.app.get(AuthService).csrfSecret, session) })
      .expect(200);
    const onward = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(logout.text)?.[1];
    expect(onward).toBeTruthy();
    const endSession = new URL(onward!.replace(/&amp;/g, '&'));
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/anmelden?abgemeldet=1`);
    await t.http.get('/').set('Cookie', `${SESSION_COOKIE}=${session}`).expect(303);
    expect(await browser.logout(endSession.href)).toBe(`${BASE}/anmelden?abgemeldet=1`);

    // The provider's session is over too: the next sign-in asks for the login again.
    const again = await t.http.get('/anmelden/dienstkonto').expect(303);
    const first = await browser.request(again.headers.location);
    expect(first.status).toBe(303);
    const interaction = await browser.request(new URL(first.headers.get('location')!, idp.issuer).href);
    expect(await interaction.text()).toContain('name="prompt" value="login"');
  });

  it('refuses an account the application does not know, in German, and creates none', async () => {
    const before = await t.http
      .get('/api/users?pageSize=200')
      .auth(await t.login('admin@demo.local'), { type: 'bearer' });
    const { callback } = await signIn('unbekannt@example.org');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('Für das Dienstkonto unbekannt@example.org gibt es kein Konto');
    expect(setCookies(callback)[SESSION_COOKIE]).toBeFalsy();
    const after = await t.http
      .get('/api/users?pageSize=200')
      .auth(await t.login('admin@demo.local'), { type: 'bearer' });
    expect((after.body as { total: number }).total).toBe((before.body as { total: number }).total);
  });

  it('refuses a deactivated account', async () => {
    const admin = await t.login('admin@demo.local');
    const created = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({
        email: 'ehemalig@example.org',
        displayName: 'Ehemalig',
        role: 'viewer',
        password: 'Ressort-Passwort-1',
      })
      .expect(201);
    await t.http
      .patch(`/api/users/${created.body.id}`)
      .auth(admin, { type: 'bearer' })
      .send({ active: false, version: created.body.version })
      .expect(200);
    const { callback } = await signIn('ehemalig@example.org');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('Ihr Konto ist deaktiviert');
  });

  it('refuses an e-mail address the provider has not confirmed (email_verified false), and audits it', async () => {
    const { callback } = await signIn('steuerung@demo.local');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain(
      'Der Anmeldedienst hat die E-Mail-Adresse steuerung@demo.local nicht bestätigt',
    );
    expect(setCookies(callback)[SESSION_COOKIE]).toBeFalsy();
    const audit = (
      await t.http
        .get('/api/audit?action=login_failed')
        .auth(await t.login('admin@demo.local'), { type: 'bearer' })
        .expect(200)
    ).body as { items: { userEmail: string; note: string }[] };
    expect(audit.items.find((e) => e.userEmail === 'steuerung@demo.local')?.note).toBe(
      'Dienstkonto: E-Mail-Adresse nicht bestätigt',
    );
  });

  it('refuses an answer whose state does not match the sign-in that was started', async () => {
    const { callback } = await signIn('soziales@demo.local', {
      tamper: (url) => url.searchParams.set('state', 'vom-angreifer-gesetzt'),
    });
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('passt nicht zu dieser Anmeldung');
    expect(setCookies(callback)[SESSION_COOKIE]).toBeFalsy();
  });

  it('refuses an ID token whose nonce does not match', async () => {
    const { callback } = await signIn('soziales@demo.local', {
      tamper: (url) => url.searchParams.set('nonce', 'vom-angreifer-gesetzt'),
    });
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('passt nicht zu dieser Anmeldung');
    expect(setCookies(callback)[SESSION_COOKIE]).toBeFalsy();
  });

  it('refuses a callback that was not started in this browser', async () => {
    const res = await t.http.get('/anmelden/dienstkonto/rueckruf?code=abc&state=xyz').expect(403);
    expect(res.text).toContain('nicht hier begonnen');
  });
});

describe('password sign-in switched off', () => {
  let idp: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startProvider(BASE);
    t = await createTestApp({
      APP_BASE_URL: BASE,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ALLOW_HTTP: 'true',
      LOCAL_LOGIN: 'off',
      LOCAL_LOGIN_BREAK_GLASS: 'admin@demo.local',
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('refuses passwords to everyone but the break-glass account, on the API and the page', async () => {
    const refused = await t.http
      .post('/api/auth/login')
      .send({ email: 'soziales@demo.local', password: 'demo1234' })
      .expect(403);
    expect(refused.body).toMatchObject({ code: 'SSO.LOCAL_LOGIN_DISABLED' });
    expect(refused.body.message).toContain('mit Ihrem Dienstkonto');
    await t.http
      .post('/api/auth/login')
      .send({ email: 'admin@demo.local', password: 'demo1234' })
      .expect(200);

    const page = await t.http.get('/anmelden').expect(200);
    expect(page.text).toContain('Mit Dienstkonto anmelden');
    expect(page.text).toContain('nur für das Notfallkonto');
  });
});

describe('single sign-on behind a path prefix (APP_BASE_URL https://…/monitor)', () => {
  const PREFIXED = `${BASE}/monitor`;
  let idp: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startProvider(PREFIXED);
    t = await createTestApp({
      APP_BASE_URL: PREFIXED,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ALLOW_HTTP: 'true',
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('sends and redeems the same return address, built from APP_BASE_URL', async () => {
    // The reverse proxy strips /monitor: the application sees its own paths.
    const start = await t.http.get('/anmelden/dienstkonto?weiter=/massnahmen').expect(303);
    const flowCookie = setCookies(start).rkm_sso_flow;
    const authorization = new URL(start.headers.location);
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${PREFIXED}/anmelden/dienstkonto/rueckruf`);
    const back = new URL(
      await new ProviderBrowser().authorize(
        authorization.href,
        'soziales@demo.local',
        `${PREFIXED}/anmelden/dienstkonto/rueckruf`,
      ),
    );
    expect(back.pathname).toBe('/monitor/anmelden/dienstkonto/rueckruf');
    const callback = await t.http
      .get(`${back.pathname.slice('/monitor'.length)}${back.search}`)
      .set('Cookie', `rkm_sso_flow=${flowCookie}`);
    expect(callback.status).toBe(200);
    expect(setCookies(callback)[SESSION_COOKIE]).toBeTruthy();
  });
});
