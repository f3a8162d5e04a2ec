/**
 * The web session: the same signed token as the API's, kept in an httpOnly, SameSite=Strict cookie. Form
 * posts carry a CSRF token bound to the session (an HMAC of the token), checked by the AccessGuard.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'rkm_session';

export function sessionToken(request: Request): string | undefined {
  const cookies = (request as unknown as { cookies?: Record<string, unknown> }).cookies;
  const value: unknown = cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function setSessionCookie(
  response: Response,
  token: string,
  maxAgeSeconds: number,
  secure: boolean,
): void {
  response.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function csrfToken(secret: string, session: string): string {
  return createHmac('sha256', secret).update(`csrf:${session}`).digest('base64url');
}

export function csrfMatches(secret: string, session: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const expected = Buffer.from(csrfToken(secret, session));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
