/**
 * Who may start the Excel module's long work, in one place: the routes' @Roles, the pages and the jobs (which
 * check again when they run, since an account's role may change while its job waits).
 */
import type { Role } from '../auth/user.entity.js';

/** Building an Umsetzungsbericht (workbook, PDF, DOCX). */
export const REPORT_BUILDER_ROLES: readonly Role[] = ['admin'];

/** Writing a Maßnahmenplan file. */
export const PLAN_IMPORT_ROLES: readonly Role[] = ['admin'];
