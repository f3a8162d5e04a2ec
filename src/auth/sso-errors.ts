/** The codes of single sign-on's refusals (`SSO.…`) and of the switched-off password sign-in. */
export enum SsoError {
  NOT_CONFIGURED = 'SSO.NOT_CONFIGURED',
  LOCAL_LOGIN_DISABLED = 'SSO.LOCAL_LOGIN_DISABLED',
  UNKNOWN_ACCOUNT = 'SSO.UNKNOWN_ACCOUNT',
  ACCOUNT_INACTIVE = 'SSO.ACCOUNT_INACTIVE',
  /** The provider says the e-mail address was not confirmed (`email_verified: false`). */
  EMAIL_UNVERIFIED = 'SSO.EMAIL_UNVERIFIED',
  FLOW_INVALID = 'SSO.FLOW_INVALID',
  PROVIDER_FAILED = 'SSO.PROVIDER_FAILED',
}
