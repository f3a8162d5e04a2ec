/**
 * The error responses in the OpenAPI document: one schema for every error body (`ErrorBody`, see
 * error-codes.ts) and, on every operation, the refusals it can give, so that the documentation names them
 * where a client reads an operation.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorCode } from './error-codes.js';

const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    code: {
      type: 'string',
      description:
        'Stabiler Fehlercode: ein allgemeiner (' +
        Object.values(ErrorCode).join(', ') +
        ') oder einer des Bereichs (z. B. MEASURE.NOT_FOUND, IMPORT.INVALID_ROWS).',
      example: ErrorCode.VALIDATION_FAILED,
    },
    message: {
      type: 'string',
      description: 'Deutsche Meldung für Menschen',
      example: 'Die Eingabe ist ungültig.',
    },
    details: {
      description: 'Bei VALIDATION_FAILED: die Fehler je Feld',
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
      },
    },
    requestId: { type: 'string', description: 'Bei INTERNAL: die Anfrage-ID für Rückfragen' },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Ungültige Eingabe (VALIDATION_FAILED mit details, oder ein Code des Bereichs)',
  '401': 'Nicht angemeldet (UNAUTHENTICATED)',
  '403': 'Angemeldet, aber nicht berechtigt (ACCESS.ROLE oder ein Code des Bereichs)',
  '404': 'Nicht gefunden (NOT_FOUND oder z. B. MEASURE.NOT_FOUND)',
  '409': 'Konflikt: veraltete Version, doppelter Schlüssel oder falscher Zustand',
  '413': 'Zu groß (PAYLOAD_TOO_LARGE oder ein Code des Uploads)',
  '429': 'Zu viele Versuche (RATE_LIMITED, mit Retry-After)',
  '500': 'Interner Fehler (INTERNAL, mit requestId)',
  '503': 'Speicher voll oder Datenbank belegt (STORAGE_FULL, DATABASE_BUSY …, mit Retry-After)',
};

export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorBody = ERROR_BODY_SCHEMA;
  const reference = {
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const signedIn = (operation.security?.length ?? document.security?.length ?? 0) > 0;
      const writes = method !== 'get';
      const statuses = ['400', '500', '503'];
      if (signedIn) statuses.push('401', '403');
      if (path.includes('{')) statuses.push('404');
      if (writes) statuses.push('409', '413');
      if (path === '/api/auth/login' || path === '/api/auth/password' || path.startsWith('/api/public/'))
        statuses.push('429');
      for (const status of statuses.sort()) {
        operation.responses[status] ??= { description: DESCRIPTIONS[status], ...reference };
      }
    }
  }
  return document;
}
