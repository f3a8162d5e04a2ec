/**
 * Faults of the storage rather than of the request: the disk is full, another process holds the write lock,
 * the file is read-only, the server is gone. Each becomes 503 with Retry-After and a German message; the
 * request changed nothing (its transaction was rolled back), so the client may simply try again later.
 * Used by the API's and the pages' exception filters alike.
 */
import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/http/domain-errors.js';
import { DatabaseError } from './database-errors.js';

export type StorageFault = 'full' | 'busy' | 'readonly' | 'unavailable';

export interface StorageFaultAnswer {
  status: 503;
  retryAfterSeconds: number;
  body: { statusCode: 503; error: 'Service Unavailable'; code: DatabaseError; message: string };
}

const ANSWERS: Record<StorageFault, { code: DatabaseError; retryAfterSeconds: number; message: string }> = {
  full: {
    code: DatabaseError.STORAGE_FULL,
    retryAfterSeconds: 300,
    message:
      'Der Speicher der Datenbank ist voll. Die Änderung wurde nicht gespeichert; bitte später erneut versuchen und den Betrieb informieren.',
  },
  busy: {
    code: DatabaseError.BUSY,
    retryAfterSeconds: 5,
    message:
      'Die Datenbank ist gerade durch einen anderen Vorgang belegt. Die Änderung wurde nicht gespeichert; bitte in einigen Sekunden erneut versuchen.',
  },
  readonly: {
    code: DatabaseError.READONLY,
    retryAfterSeconds: 300,
    message:
      'Die Datenbank ist schreibgeschützt. Die Änderung wurde nicht gespeichert; bitte den Betrieb informieren.',
  },
  unavailable: {
    code: DatabaseError.UNAVAILABLE,
    retryAfterSeconds: 30,
    message:
      'Die Datenbank ist gerade nicht erreichbar. Die Änderung wurde nicht gespeichert; bitte später erneut versuchen.',
  },
};

function classify(code: string): StorageFault | null {
  if (code === 'SQLITE_FULL' || code === '53100') return 'full';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || code === '55P03') return 'busy';
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return 'readonly';
  if (/^SQLITE_(IOERR|CANTOPEN)/.test(code) || /^(08|57P0[1-3]|53[23]00)/.test(code)) return 'unavailable';
  // The PostgreSQL driver's own connection errors.
  if (['ECONNREFUSED', 'ECONNRESET'].includes(code)) return 'unavailable';
  return null;
}

/**
 * The storage fault behind an error (looking through TypeORM's wrapper and `cause`), or null. An HTTP
 * exception has already said what it means and is never one.
 */
export function storageFault(error: unknown): StorageFault | null {
  if (error instanceof HttpException) return null;
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current instanceof QueryFailedError ? (current.driverError as unknown) : current;
    const code = (candidate as { code?: unknown } | null)?.code;
    const fault = typeof code === 'string' ? classify(code) : null;
    if (fault) return fault;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function storageFaultAnswer(error: unknown): StorageFaultAnswer | null {
  const fault = storageFault(error);
  if (!fault) return null;
  const { code, message, retryAfterSeconds } = ANSWERS[fault];
  const answer = new DomainError('unavailable', code, message);
  return { status: 503, retryAfterSeconds, body: answer.getResponse() as StorageFaultAnswer['body'] };
}
