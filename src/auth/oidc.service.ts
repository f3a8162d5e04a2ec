/**
 * Single sign-on with the administration's identity provider over OpenID Connect (openid-client): the
 * authorization code flow with PKCE, state and nonce. The flow's secrets travel in a short-lived cookie signed
 * with the application's key; the provider's answer is checked by the library (state, nonce, ID token
 * signature, issuer, audience). After the sign-in the application issues its own session, as after a password.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service.js';
import { appBaseUrl } from '../common/base-url.js';
import { AppConfig } from '../common/config/app-config.js';
import { DomainError } from '../common/http/domain-errors.js';
import { AuthService } from './auth.service.js';
import { resolveAuthSecret } from './secrets.js';
import { SsoError } from './sso-errors.js';

/** Where the provider sends the browser back. */
export const OIDC_CALLBACK_PATH = '/anmelden/dienstkonto/rueckruf';
const FLOW_SECONDS = 10 * 60;

export interface OidcFlow {
  /** PKCE code verifier, expected state and nonce, where to go afterwards, expiry (seconds since 1970). */
  verifier: string;
  state: string;
  nonce: string;
  next: string;
  expires: number;
}

const refused = (code: SsoError, message: string): DomainError => new DomainError('forbidden', code, message);

@Injectable()
export class OidcService {
  private readonly logger = new Logger('Dienstkonto');
  private configuration: Promise<oidc.Configuration> | null = null;
  private readonly key: string;

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {
    this.key = `oidc:${resolveAuthSecret(config)}`;
  }

  get enabled(): boolean {
    return !!this.config.OIDC_ISSUER && !!this.config.OIDC_CLIENT_ID;
  }

  get baseUrl(): string {
    return appBaseUrl(this.config);
  }

  /**
   * The return address, from APP_BASE_URL (path prefix included): the same at the start and at the callback,
   * whatever path a reverse proxy lets the application see.
   */
  get callbackUrl(): string {
    return `${this.baseUrl}${OIDC_CALLBACK_PATH}`;
  }

  /** The provider's metadata, discovered once (a failed discovery is tried again on the next sign-in). */
  private async discover(): Promise<oidc.Configuration> {
    if (!this.enabled)
      throw new DomainError(
        'not_found',
        SsoError.NOT_CONFIGURED,
        'Die Anmeldung mit Dienstkonto ist nicht eingerichtet.',
      );
    this.configuration ??= oidc
      .discovery(
        new URL(this.config.OIDC_ISSUER!),
        this.config.OIDC_CLIENT_ID!,
        this.config.OIDC_CLIENT_SECRET,
        this.config.OIDC_CLIENT_SECRET ? oidc.ClientSecretBasic(this.config.OIDC_CLIENT_SECRET) : oidc.None(),
        this.config.OIDC_ALLOW_HTTP ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = null;
        this.logger.error(
          `Anbieter nicht erreichbar: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw refused(
          SsoError.PROVIDER_FAILED,
          'Der Anmeldedienst ist gerade nicht erreichbar. Bitte später erneut versuchen.',
        );
      });
    return this.configuration;
  }

  /** Starts a sign-in: the provider's authorization URL and the flow to keep in the browser's cookie. */
  async start(next: string): Promise<{ url: string; flow: OidcFlow }> {
    const configuration = await this.discover();
    const flow: OidcFlow = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      next,
      expires: Math.floor(Date.now() / 1000) + FLOW_SECONDS,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /**
   * Finishes a sign-in: exchanges the code (checking state, nonce and PKCE), reads the matching claim (from the
   * ID token, else from the userinfo endpoint) and signs the matching account in. `callbackQuery` is the query
   * string the provider sent back (`?code=…&state=…`); the return address itself is `callbackUrl`.
   */
  async finish(
    callbackQuery: string,
    flow: OidcFlow | null,
  ): Promise<{ session: Awaited<ReturnType<AuthService['loginWithSso']>>; idToken?: string; next: string }> {
    const configuration = await this.discover();
    if (!flow || flow.expires < Date.now() / 1000)
      throw refused(
        SsoError.FLOW_INVALID,
        'Die Anmeldung mit Dienstkonto ist abgelaufen oder wurde nicht hier begonnen. Bitte erneut anmelden.',
      );
    const current = new URL(this.callbackUrl);
    current.search = callbackQuery;
    const providerError = current.searchParams.get('error');
    if (providerError)
      throw refused(
        SsoError.PROVIDER_FAILED,
        `Der Anmeldedienst hat die Anmeldung nicht bestätigt (${providerError.slice(0, 80)}).`,
      );
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      this.logger.warn(`Anmeldung abgewiesen: ${error instanceof Error ? error.message : String(error)}`);
      throw refused(
        SsoError.FLOW_INVALID,
        'Die Antwort des Anmeldedienstes passt nicht zu dieser Anmeldung (state oder nonce falsch). Bitte erneut anmelden.',
      );
    }
    const claims = tokens.claims();
    const claim = this.config.OIDC_MATCH_CLAIM;
    // The e-mail claim and its email_verified are read from the same source.
    let source: Record<string, unknown> | undefined = claims;
    if (claims?.[claim] === undefined && claims)
      source = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    const value = source?.[claim];
    const identifier = typeof value === 'string' ? value : '';
    if (claim === 'email' && [false, 'false'].includes(source?.email_verified as boolean | string))
      await this.refuseUnverified(identifier);
    const session = await this.auth.loginWithSso(identifier);
    return { session, idToken: tokens.id_token, next: flow.next };
  }

  /**
   * An e-mail address the provider has not confirmed could be anyone's (at many providers a user enters it
   * freely); it does not sign the account with that address in.
   */
  private async refuseUnverified(identifier: string): Promise<never> {
    const email = identifier.trim().toLowerCase().slice(0, 254);
    await this.audit.recordEvent({
      action: 'login_failed',
      entity: 'Session',
      entityId: '',
      userId: null,
      userEmail: email,
      note: 'Dienstkonto: E-Mail-Adresse nicht bestätigt',
    });
    throw refused(
      SsoError.EMAIL_UNVERIFIED,
      `Der Anmeldedienst hat die E-Mail-Adresse ${email || '(ohne Kennung)'} nicht bestätigt. Bitte bestätigen Sie sie dort oder wenden Sie sich an die Koordinierungsstelle.`,
    );
  }

  /** The provider's logout address (with the way back to our sign-in page), when it offers one. */
  async endSessionUrl(idToken: string | undefined): Promise<string | null> {
    if (!this.enabled) return null;
    let configuration: oidc.Configuration;
    try {
      configuration = await this.discover();
    } catch {
      return null;
    }
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(configuration, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      post_logout_redirect_uri: `${this.baseUrl}/anmelden?abgemeldet=1`,
    }).href;
  }

  /** The flow as a signed cookie value. */
  seal(flow: OidcFlow): string {
    const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The flow from a cookie value, or null when it is missing, altered or not ours. */
  unseal(value: unknown): OidcFlow | null {
    if (typeof value !== 'string') return null;
    const [body, signature] = value.split('.');
    if (!body || !signature) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OidcFlow;
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
