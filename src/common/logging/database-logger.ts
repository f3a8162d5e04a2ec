/**
 * TypeORM's messages through the application's logger: one line (JSON with LOG_FORMAT=json) with the request
 * id, instead of TypeORM's own coloured console output. A failed query is logged without its parameters,
 * which may hold password hashes or personal data; the statement itself is parameterised and safe to show.
 */
import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Datenbank');

  /** Not logged, as before (`logging: ['error']`): TypeORM calls this for every statement. */
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.warn(`query failed: ${message} (${oneLine(query)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${oneLine(query)}`);
  }

  /** Not logged: readiness lists the migrations on every probe. */
  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}

function oneLine(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)} …` : flat;
}
