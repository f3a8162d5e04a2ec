/**
 * Login CSRF: before anyone is signed in there is no session to bind a form token to, so the sign-in page sets
 * a random pre-session cookie and puts an HMAC of it into the form. A post is accepted only with both, and
 * only from this site's own pages when the browser names the page it came from (Origin, Referer). A foreign
 * page can neither read the cookie nor compute the token, so it cannot sign a victim into its own account.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { csrfMatches, csrfToken } from './session.js';

export const LOGIN_COOKIE = 'rkm_login';
const LOGIN_PATH = '/anmelden';
/** Long enough to read the page and type a password, short enough not to linger. */
const LOGIN_COOKIE_SECONDS = 2 * 60 * 60;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** The pre-session value from the request's cookie, when it has the form this code gives it. */
export function loginNonce(request: Request): string | undefined {
  const cookies = (request as unknown as { cookies?: Record<string, unknown> }).cookies;
  const value: unknown = cookies?.[LOGIN_COOKIE];
  return typeof value === 'string' && NONCE.test(value) ? value : undefined;
}

/** Sets a new pre-session cookie and returns its value. */
export function issueLoginNonce(response: Response, secure: boolean): string {
  const nonce = randomBytes(32).toString('base64url');
  response.cookie(LOGIN_COOKIE, nonce, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: LOGIN_PATH,
    maxAge: LOGIN_COOKIE_SECONDS * 1000,
  });
  return nonce;
}

export function clearLoginNonce(response: Response): void {
  response.clearCookie(LOGIN_COOKIE, { path: LOGIN_PATH });
}

/** The form token for a pre-session: the same HMAC as the session's CSRF token, in its own namespace. */
export function loginFormToken(secret: string, nonce: string): string {
  return csrfToken(secret, `login:${nonce}`);
}

export function loginFormTokenMatches(secret: string, nonce: string | undefined, given: unknown): boolean {
  return nonce !== undefined && csrfMatches(secret, `login:${nonce}`, given);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * True when the browser says the post comes from another site. Sec-Fetch-Site answers that directly where the
 * browser sends it (HTTPS and localhost); else the host of the Origin, or without one the Referer, must be this
 * server's. "Origin: null" decides nothing: browsers send it for their own form posts too when the page's
 * referrer policy is no-referrer, as ours is. A client that names no page is not refused here; it still needs
 * the token.
 */
export function fromForeignPage(request: Request): boolean {
  const site = request.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  // Through the URL parser, so that "example.org:443" and "https://example.org" compare equal.
  const own = request.host ? hostOf(`${request.protocol}://${request.host}`) : undefined;
  const origin = request.get('origin');
  if (origin !== undefined && origin !== 'null') return own === undefined || hostOf(origin) !== own;
  const referer = request.get('referer');
  if (referer !== undefined) return own === undefined || hostOf(referer) !== own;
  return false;
}
