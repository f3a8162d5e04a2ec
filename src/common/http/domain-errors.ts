/**
 * Domain errors with stable codes and German messages. Services throw these; each maps to one HTTP status.
 * The code is a member of a feature's enum (see error-codes.ts): a free string does not compile.
 */
import { HttpException, type HttpExceptionOptions, HttpStatus } from '@nestjs/common';
import type { DomainErrorCode, FeatureErrorCode } from './error-codes.js';

export type DomainErrorKind =
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid'
  | 'unprocessable'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unavailable';

const STATUS: Record<DomainErrorKind, number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  invalid: HttpStatus.BAD_REQUEST,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  method_not_allowed: HttpStatus.METHOD_NOT_ALLOWED,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const ERROR_NAMES: Record<DomainErrorKind, string> = {
  not_found: 'Not Found',
  conflict: 'Conflict',
  forbidden: 'Forbidden',
  invalid: 'Bad Request',
  unprocessable: 'Unprocessable Entity',
  method_not_allowed: 'Method Not Allowed',
  payload_too_large: 'Payload Too Large',
  unavailable: 'Service Unavailable',
};

export class DomainError extends HttpException {
  constructor(
    kind: DomainErrorKind,
    readonly code: DomainErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
    options?: HttpExceptionOptions,
  ) {
    super(
      { statusCode: STATUS[kind], error: ERROR_NAMES[kind], code, message, ...extra },
      STATUS[kind],
      options,
    );
  }
}

export const notFound = (code: FeatureErrorCode, message: string): DomainError =>
  new DomainError('not_found', code, message);
export const conflict = (
  code: FeatureErrorCode,
  message: string,
  extra?: Record<string, unknown>,
): DomainError => new DomainError('conflict', code, message, extra);
export const forbidden = (code: FeatureErrorCode, message: string): DomainError =>
  new DomainError('forbidden', code, message);
export const invalid = (
  code: FeatureErrorCode,
  message: string,
  extra?: Record<string, unknown>,
): DomainError => new DomainError('invalid', code, message, extra);
