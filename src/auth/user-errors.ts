/** The codes of an account's refusals (`USER.…`). */
export enum UserError {
  NOT_FOUND = 'USER.NOT_FOUND',
  EMAIL_EXISTS = 'USER.EMAIL_EXISTS',
  STALE_VERSION = 'USER.STALE_VERSION',
  SELF_LOCKOUT = 'USER.SELF_LOCKOUT',
}
