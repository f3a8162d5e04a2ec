/**
 * Workbook uploads of the pages (Maßnahmenplan, indicator values, filled-in templates) are parsed before the guard runs, so that
 * their CSRF token travels in the form body like every other form's and never in the address.
 */
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppConfig } from '../common/config/app-config.js';
import { sessionToken } from '../common/auth/session.js';

export type UploadRequest = Request & { file?: Express.Multer.File; uploadError?: unknown };

/**
 * Parses the multipart form of the plan upload (file and fields) with the configured size limit. Only for a
 * request with a session cookie: without one the guard refuses it unread. A parse error (too large, a second
 * file) is kept on the request for the page to explain.
 */
@Injectable()
export class PlanUploadMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(config: AppConfig) {
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: config.UPLOAD_LIMIT_MB * 1024 * 1024, files: 1, fields: 10 },
    }).single('file');
  }

  use(request: UploadRequest, response: Response, next: NextFunction): void {
    if (!sessionToken(request) || !request.is('multipart/form-data')) return next();
    this.parse(request, response, (error?: unknown) => {
      if (error) request.uploadError = error;
      next();
    });
  }
}

/** The German reason of a refused upload parse (too large, not exactly one file). */
export function uploadProblem(error: unknown, limitMb: number): { status: number; message: string } {
  if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE')
    return { status: 413, message: `Die Datei ist zu groß (höchstens ${limitMb} MB).` };
  return { status: 400, message: 'Bitte genau eine Datei (Arbeitsmappe .xlsx) auswählen.' };
}
