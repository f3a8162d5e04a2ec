import { ConfigurationError, validateConfig } from './app-config.js';

describe('validateConfig', () => {
  it('uses the documented defaults', () => {
    const config = validateConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_PATH: 'data/rahmenkonzept.sqlite',
      NODE_ENV: 'development',
    });
    expect(config.DEMO).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads booleans and numbers from strings, and ignores empty values', () => {
    expect(validateConfig({ DEMO: 'false', PORT: '8080' })).toMatchObject({ DEMO: false, PORT: 8080 });
    expect(validateConfig({ DEMO: '' }).DEMO).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'Ungültige Einstellung PORT=abc: muss eine ganze Zahl sein'],
    [{ DEMO: 'vielleicht' }, 'Ungültige Einstellung DEMO=vielleicht: muss wahr oder falsch sein'],
    [
      { DATABASE_URL: 'mysql://u:geheim@h/db' },
      'Ungültige Einstellung DATABASE_URL=***: muss eine postgres://-Adresse sein',
    ],
    [{ AUTH_SECRET: 'kurz' }, 'Ungültige Einstellung AUTH_SECRET=***: muss mindestens 32 Zeichen lang sein'],
  ])('stops with one line naming the setting: %j', (env, message) => {
    expect(() => validateConfig(env)).toThrow(ConfigurationError);
    expect(() => validateConfig(env)).toThrow(message);
  });

  const sso = { OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'monitor' };

  it('needs APP_BASE_URL for single sign-on: the provider must know the return address', () => {
    expect(() => validateConfig(sso)).toThrow(
      'Ungültige Einstellung APP_BASE_URL: fehlt, OIDC_ISSUER ist gesetzt',
    );
    expect(validateConfig({ ...sso, APP_BASE_URL: 'https://example.org/monitor' }).APP_BASE_URL).toBe(
      'https://example.org/monitor',
    );
  });

  it('refuses a provider without HTTPS in production', () => {
    const env = { ...sso, APP_BASE_URL: 'https://example.org', OIDC_ALLOW_HTTP: 'true' };
    expect(() => validateConfig({ ...env, NODE_ENV: 'production' })).toThrow(
      'Ungültige Einstellung OIDC_ALLOW_HTTP=true: in der Produktion (NODE_ENV=production) nicht erlaubt',
    );
    expect(validateConfig({ ...env, NODE_ENV: 'development' }).OIDC_ALLOW_HTTP).toBe(true);
  });
  it('writes JSON logs in production and readable lines elsewhere, unless LOG_FORMAT says otherwise', () => {
    expect(validateConfig({ NODE_ENV: 'production' }).LOG_FORMAT).toBe('json');
    expect(validateConfig({ NODE_ENV: 'development' }).LOG_FORMAT).toBe('pretty');
    expect(validateConfig({ NODE_ENV: 'test' }).LOG_FORMAT).toBe('pretty');
    expect(validateConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(validateConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => validateConfig({ LOG_FORMAT: 'xml' })).toThrow(/^Ungültige Einstellung LOG_FORMAT=xml: /);
  });

  it('reads the operations settings: metrics port and token, shutdown timeout', () => {
    expect(validateConfig({})).toMatchObject({ SHUTDOWN_TIMEOUT_MS: 10_000, TRUST_PROXY: 'loopback' });
    expect(validateConfig({ TRUST_PROXY: 'loopback, uniquelocal' }).TRUST_PROXY).toBe(
      'loopback, uniquelocal',
    );
    expect(() => validateConfig({ TRUST_PROXY: 'alle!' })).toThrow(
      /^Ungültige Einstellung TRUST_PROXY=alle!/,
    );
    expect(validateConfig({}).METRICS_PORT).toBeUndefined();
    expect(
      validateConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 'x'.repeat(24), SHUTDOWN_TIMEOUT_MS: '2500' }),
    ).toMatchObject({ METRICS_PORT: 9464, METRICS_TOKEN: 'x'.repeat(24), SHUTDOWN_TIMEOUT_MS: 2500 });
    expect(() => validateConfig({ METRICS_TOKEN: 'kurz' })).toThrow(
      'Ungültige Einstellung METRICS_TOKEN=***: muss mindestens 16 Zeichen lang sein',
    );
    expect(() => validateConfig({ SHUTDOWN_TIMEOUT_MS: 'bald' })).toThrow(
      /^Ungültige Einstellung SHUTDOWN_TIMEOUT_MS=bald/,
    );
  });
});
