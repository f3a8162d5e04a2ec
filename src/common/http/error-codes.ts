/**
 * The codes every error body carries: `{ statusCode, code, message, details? }`. A feature's own refusals
 * carry its feature codes (`MEASURE.NOT_FOUND`, `IMPORT.INVALID_ROWS`, …, thrown as DomainError); every other
 * error gets the general code of its status here, so that no error body is without one.
 */
export enum ErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
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
