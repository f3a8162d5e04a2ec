/**
 * Domain errors with stable codes and German messages. Services throw these; each maps to one HTTP status.
 */
import { HttpException, HttpStatus } from '@nestjs/common';

export type DomainErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'invalid' | 'unprocessable';

const STATUS: Record<DomainErrorKind, number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  invalid: HttpStatus.BAD_REQUEST,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

const ERROR_NAMES: Record<DomainErrorKind, string> = {
  not_found: 'Not Found',
  conflict: 'Conflict',
  forbidden: 'Forbidden',
  invalid: 'Bad Request',
  unprocessable: 'Unprocessable Entity',
};

export class DomainError extends HttpException {
  constructor(
    kind: DomainErrorKind,
    readonly code: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super({ statusCode: STATUS[kind], error: ERROR_NAMES[kind], code, message, ...extra }, STATUS[kind]);
  }
}

export const notFound = (code: string, message: string): DomainError =>
  new DomainError('not_found', code, message);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>): DomainError =>
  new DomainError('conflict', code, message, extra);
export const forbidden = (code: string, message: string): DomainError =>
  new DomainError('forbidden', code, message);
export const invalid = (code: string, message: string, extra?: Record<string, unknown>): DomainError =>
  new DomainError('invalid', code, message, extra);
