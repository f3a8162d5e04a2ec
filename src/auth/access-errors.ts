/** The codes of the access guard's refusals (`ACCESS.…`): a role, a form's CSRF token, a route without a rule, a plan without
 * a membership, accounts without installation administration, a record of another plan than the address's. */
export enum AccessError {
  ROLE = 'ACCESS.ROLE',
  CSRF = 'ACCESS.CSRF',
  UNDECLARED = 'ACCESS.UNDECLARED',
  NO_MEMBERSHIP = 'ACCESS.NO_MEMBERSHIP',
  INSTALLATION_ADMIN = 'ACCESS.INSTALLATION_ADMIN',
  OTHER_PLAN = 'ACCESS.OTHER_PLAN',
}
