/**
 * Two instances of the application on one database (two Nest applications in this process, as two servers
 * behind a load balancer): failed sign-ins and the open data's requests per address count on both together.
 */
import { PRODUCTION_SETTINGS } from './factories/accounts.factory.js';
import { createTestApp, type TestApp, testDatabasePath } from './helpers/test-app.js';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('limits shared by every instance on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const database = testDatabasePath('shared-limits');
    const settings = { ...PRODUCTION_SETTINGS, DEMO: 'true', PUBLIC_REQUESTS_PER_MINUTE: '3' };
    a = await createTestApp({ ...settings, DATABASE_PATH: database, KEEP_DATABASE: '1' });
    b = await createTestApp({ ...settings, DATABASE_PATH: database });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const signIn = (t: TestApp, email: string, password: string) =>
    t.http.post('/api/auth/login').send({ email, password });

  it('five failed sign-ins on one instance and one on the other give 429, even with the right password', async () => {
    for (let i = 0; i < 5; i++) await signIn(a, 'bildung@demo.local', `falsch-${i}`).expect(401);
    const blocked = await signIn(b, 'bildung@demo.local', 'demo1234').expect(429);
    expect(blocked.body.message).toMatch(/Zu viele fehlgeschlagene Anmeldungen/);
    expect(Number(blocked.headers['retry-after'] ?? blocked.body.retryAfter)).toBeGreaterThan(0);
    // Another account from the same address signs in on either instance.
    await signIn(a, 'steuerung@demo.local', 'demo1234').expect(200);
    await signIn(b, 'steuerung@demo.local', 'demo1234').expect(200);
  });

  it('failures on both instances add up, and a successful sign-in on one clears them for both', async () => {
    for (let i = 0; i < 2; i++) await signIn(a, 'soziales@demo.local', `falsch-a-${i}`).expect(401);
    for (let i = 0; i < 2; i++) await signIn(b, 'soziales@demo.local', `falsch-b-${i}`).expect(401);
    await signIn(a, 'soziales@demo.local', 'demo1234').expect(200);
    for (let i = 0; i < 4; i++) await signIn(b, 'soziales@demo.local', `falsch-c-${i}`).expect(401);
    await signIn(a, 'soziales@demo.local', 'falsch-d').expect(401);
    await signIn(b, 'soziales@demo.local', 'demo1234').expect(429);
  });

  it('parallel wrong sign-ins on both instances: at most the limit are checked, the rest get 429', async () => {
    const max = a.config.LOGIN_MAX_FAILURES_PER_MINUTE;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(i % 2 ? a : b, 'admin@demo.local', `falsch-${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(max);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - max);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.body.message).toMatch(/Zu viele fehlgeschlagene Anmeldungen/);
    expect(Number(refused.headers['retry-after'] ?? refused.body.retryAfter)).toBeGreaterThan(0);
    await signIn(a, 'admin@demo.local', 'demo1234').expect(429);
    await signIn(b, 'admin@demo.local', 'demo1234').expect(429);
  });

  it('an address refused by one instance for the open data is refused by the other', async () => {
    const from = (t: TestApp, address: string) =>
      t.http.get('/api/public/cycles').set('X-Forwarded-For', address);
    for (let i = 0; i < 3; i++) await from(a, '203.0.113.7').expect(200);
    await from(a, '203.0.113.7').expect(429);
    // Each instance passes its count on to the others at least once a second while requests come.
    await wait(1_200);
    await from(a, '203.0.113.7').expect(429);
    const refused = await from(b, '203.0.113.7').expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(refused.body.message).toMatch(/Zu viele Anfragen von dieser Adresse/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await from(b, '203.0.113.8').expect(200);
  });

  it('requests of one address spread over both instances count together', async () => {
    const from = (t: TestApp) => t.http.get('/api/public/cycles').set('X-Forwarded-For', '198.51.100.4');
    await from(a).expect(200);
    await from(a).expect(200);
    await wait(1_200);
    // a passes its two on; this third one stays with a until its next pass (the slack of about a second).
    await from(a).expect(200);
    await from(a).expect(429);
    // b knows of a's two: one more of its own, then the limit of 3 is reached.
    await from(b).expect(200);
    const refused = await from(b).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
