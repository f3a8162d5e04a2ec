/**
 * The one catch-all filter: HTTP exceptions pass through as they are, a unique-constraint violation becomes
 * 409, malformed JSON 400, anything else a logged 500 with the request id and no internals in the body.
 */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { MulterError } from 'multer';
import { QueryFailedError } from 'typeorm';
import { storageFaultAnswer } from '../../database/storage-faults.js';
import { RequestContext } from '../context/request-context.js';
import { ErrorCode, normaliseErrorBody } from './error-codes.js';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string } | undefined;
  const code = driverError?.code ?? '';
  return (
    code === '23505' || code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const requestId = RequestContext.current()?.requestId ?? '';
    const fault = storageFaultAnswer(exception);
    if (fault) {
      this.logger.warn(`${request.method} ${request.originalUrl}: ${fault.body.code} (request ${requestId})`);
      if (response.headersSent) return;
      response.setHeader('Retry-After', String(fault.retryAfterSeconds));
      response.status(fault.status).json(fault.body);
      return;
    }
    const [status, body] = this.describe(exception, requestId, request);
    if (response.headersSent) return;
    response.status(status).json(normaliseErrorBody(status, body));
  }

  private describe(exception: unknown, requestId: string, request: Request): [number, object] {
    // Body-parser and URL errors arrive wrapped in an HttpException; answer them in German, without internals.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    const parserError = cause as BodyParserError | undefined;
    if (parserError?.type === 'entity.too.large') {
      return [413, { statusCode: 413, error: 'Payload Too Large', message: 'Die Anfrage ist zu groß.' }];
    }
    if (parserError?.type === 'entity.parse.failed' || cause instanceof SyntaxError) {
      return [
        400,
        {
          statusCode: 400,
          error: 'Bad Request',
          code: ErrorCode.BODY_NOT_JSON,
          message: 'Der Inhalt ist kein gültiges JSON.',
        },
      ];
    }
    if (cause instanceof URIError) {
      return [400, { statusCode: 400, error: 'Bad Request', message: 'Die Adresse ist ungültig kodiert.' }];
    }
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      if (exception.getStatus() === 413) {
        // A feature's own 413 (an upload that unpacks too large) keeps its code and precise message.
        if (typeof payload === 'object' && 'code' in payload) return [413, payload];
        return [
          413,
          {
            statusCode: 413,
            error: 'Payload Too Large',
            message: 'Die Datei oder Anfrage ist größer als erlaubt.',
          },
        ];
      }
      if (cause instanceof MulterError) {
        return [
          400,
          {
            statusCode: 400,
            error: 'Bad Request',
            message: 'Bitte genau eine Datei im Feld „file“ hochladen.',
          },
        ];
      }
      if (exception.getStatus() === 404 && /^Cannot [A-Z]+ /.test(exception.message)) {
        return [404, { statusCode: 404, error: 'Not Found', message: 'Diese Adresse gibt es nicht.' }];
      }
      const body =
        typeof payload === 'string' ? { statusCode: exception.getStatus(), message: payload } : payload;
      return [exception.getStatus(), body];
    }
    if (isUniqueViolation(exception)) {
      return [
        HttpStatus.CONFLICT,
        {
          statusCode: 409,
          error: 'Conflict',
          code: ErrorCode.DUPLICATE,
          message: 'Ein Eintrag mit diesem Schlüssel existiert bereits.',
        },
      ];
    }
    const status = parserError?.status ?? parserError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return [status, { statusCode: status, message: 'Die Anfrage konnte nicht verarbeitet werden.' }];
    }
    this.logger.error(
      `${request.method} ${request.originalUrl} failed (request ${requestId})`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Ein interner Fehler ist aufgetreten. Bitte melden Sie die Anfrage-ID.',
        requestId,
      },
    ];
  }
}
