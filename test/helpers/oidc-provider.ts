/**
 * A real OpenID provider for the suites (npm `oidc-provider`) on a free port, with its development sign-in
 * forms, and a small browser-like client that drives them over HTTP: redirects followed by hand, cookies kept.
 */
import { type AddressInfo, createServer, type Server } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/**
 * The login is the account's e-mail claim, confirmed (`email_verified: true`) unless it is listed in
 * `unverified`.
 */
export async function startProvider(
  appBaseUrl: string,
  options: { unverified?: string[] } = {},
): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'rahmenkonzept-monitor';
  const clientSecret = 'ein-geheimnis-nur-fuer-den-test';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appBaseUrl}/anmelden/dienstkonto/rueckruf`],
        post_logout_redirect_uris: [`${appBaseUrl}/anmelden?abgemeldet=1`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The e-mail claim comes from the userinfo endpoint, not the ID token (the provider's default).
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, email_verified: !options.unverified?.includes(id) }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['schluessel-fuer-die-test-cookies'] },
  });
  const server = provider.listen(port, '127.0.0.1') as unknown as Server;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A cookie jar and fetch without automatic redirects, for the provider's pages. */
export class ProviderBrowser {
  private readonly cookies = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /**
   * From an authorization URL to the redirect back to the application: signs in as `login` on the
   * provider's form and consents, following redirects. Returns the URL the provider sends the browser to.
   */
  async authorize(authorizationUrl: string, login: string, stopAt: string): Promise<string> {
    let url = authorizationUrl;
    for (let step = 0; step < 20; step++) {
      if (url.startsWith(stopAt)) return url;
      const response = await this.request(url);
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location')!, url).href;
        continue;
      }
      const html = await response.text();
      if (response.status !== 200)
        throw new Error(`Anbieter antwortet ${response.status}: ${html.slice(0, 300)}`);
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1], url).href;
      const prompt = /name="prompt" value="(\w+)"/.exec(html)![1];
      const posted = await this.request(action, {
        method: 'POST',
        form: prompt === 'login' ? { prompt, login, password: 'egal' } : { prompt },
      });
      url = new URL(posted.headers.get('location')!, action).href;
    }
    throw new Error('zu viele Weiterleitungen beim Anbieter');
  }

  /** Follows the provider's logout page (confirming it) to where it sends the browser afterwards. */
  async logout(endSessionUrl: string): Promise<string> {
    let url = endSessionUrl;
    for (let step = 0; step < 10; step++) {
      const response = await this.request(url);
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location')!, url).href;
        if (!url.startsWith(new URL(endSessionUrl).origin)) return url;
        continue;
      }
      const html = await response.text();
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1], url).href;
      const hidden = Object.fromEntries(
        [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      const posted = await this.request(action, { method: 'POST', form: { ...hidden, logout: 'yes' } });
      url = new URL(posted.headers.get('location')!, action).href;
      if (!url.startsWith(new URL(endSessionUrl).origin)) return url;
    }
    throw new Error('zu viele Weiterleitungen beim Abmelden');
  }
}
