/**
 * The codes every error body carries: `{ statusCode, code, message, details? }`. A feature's own refusals
 * carry its feature codes (`MEASURE.NOT_FOUND`, `IMPORT.INVALID_ROWS`, …, thrown as DomainError); every other
 * error gets the general code of its status here, so that no error body is without one.
 */
import { AccessError } from '../../auth/access-errors.js';
import { SsoError } from '../../auth/sso-errors.js';
import { UserError } from '../../auth/user-errors.js';
import { DatabaseError } from '../../database/database-errors.js';
import { ImportError } from '../../excel/import-errors.js';
import { PlanError } from '../../excel/plan-errors.js';
import { ReportError } from '../../excel/report-errors.js';
import { DepartmentError } from '../../framework/department-errors.js';
import { FrameworkError } from '../../framework/framework-errors.js';
import { BodyError } from '../../governance/body-errors.js';
import { DecisionError } from '../../governance/decision-errors.js';
import { MeetingError } from '../../governance/meeting-errors.js';
import { IndicatorError } from '../../indicators/indicator-errors.js';
import { JobError } from '../../jobs/job-errors.js';
import { MeasureError } from '../../measures/measure-errors.js';
import { StatusReportError } from '../../measures/status-report-errors.js';
import { NotificationError } from '../../notifications/notification-errors.js';
import { CycleError } from '../../reporting/cycle-errors.js';

/**
 * Every feature's code enum (each in its feature's folder, `<feature>-errors.ts`, values `FEATURE.NAME`).
 * A new enum is added here and to FeatureErrorCode; error-codes.spec.ts fails for one that is missing.
 */
export type FeatureErrorCode =
  | AccessError
  | UserError
  | FrameworkError
  | DepartmentError
  | MeasureError
  | StatusReportError
  | CycleError
  | BodyError
  | MeetingError
  | DecisionError
  | IndicatorError
  | ImportError
  | PlanError
  | ReportError
  | NotificationError
  | JobError
  | SsoError;

export const FEATURE_ERROR_ENUMS = {
  AccessError,
  UserError,
  FrameworkError,
  DepartmentError,
  MeasureError,
  StatusReportError,
  CycleError,
  BodyError,
  MeetingError,
  DecisionError,
  IndicatorError,
  ImportError,
  PlanError,
  ReportError,
  NotificationError,
  JobError,
  SsoError,
} as const satisfies Record<string, Record<string, FeatureErrorCode>>;

/** What a DomainError may carry: a feature's code, or the storage's own 503 codes. */
export type DomainErrorCode = FeatureErrorCode | DatabaseError;

/** The general codes, for errors that bring no code of their own. */
export enum ErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  BODY_NOT_JSON = 'BODY_NOT_JSON',
  BODY_TOO_DEEP = 'BODY_TOO_DEEP',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  DUPLICATE = 'DUPLICATE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE = 'UNPROCESSABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

/** The general code of an HTTP status, for errors that do not bring their own. */
export function generalCode(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.BAD_REQUEST;
    case 401:
      return ErrorCode.UNAUTHENTICATED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 405:
      return ErrorCode.METHOD_NOT_ALLOWED;
    case 409:
      return ErrorCode.CONFLICT;
    case 413:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case 422:
      return ErrorCode.UNPROCESSABLE;
    case 429:
      return ErrorCode.RATE_LIMITED;
    case 503:
      return ErrorCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
  }
}

/** The shape of every error body, as sent: the code always, field errors under `details` (and `errors`). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  [extra: string]: unknown;
}

/** Gives a body its code (and a validation error its `details`), leaving what it already says. */
export function normaliseErrorBody(status: number, body: object): ErrorBody {
  const given = body as Partial<ErrorBody> & { errors?: unknown; message?: unknown };
  const message = Array.isArray(given.message) ? given.message.join('; ') : String(given.message ?? '');
  const fieldErrors = Array.isArray(given.errors) ? given.errors : undefined;
  const code =
    typeof given.code === 'string' && given.code
      ? given.code
      : status === 400 && fieldErrors
        ? ErrorCode.VALIDATION_FAILED
        : generalCode(status);
  return {
    ...given,
    statusCode: status,
    code,
    message,
    ...(fieldErrors && given.details === undefined ? { details: fieldErrors } : {}),
  };
}
