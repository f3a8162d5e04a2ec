/** The codes of the access guard's refusals (`ACCESS.…`): a role, a form's CSRF token, a route without a rule. */
export enum AccessError {
  ROLE = 'ACCESS.ROLE',
  CSRF = 'ACCESS.CSRF',
  UNDECLARED = 'ACCESS.UNDECLARED',
}
