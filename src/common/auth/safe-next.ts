/**
 * Where a browser may be sent after signing in: only a path on this site (no `//host`, no backslash, no
 * whitespace) and not back to a sign-in page; anything else leads to the start page.
 */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/anmelden')
    ? next
    : '/';
}
