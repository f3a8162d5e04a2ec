import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthResponse, LivenessResponse } from './health.response.js';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/access.decorator.js';
import { DomainError } from '../common/http/domain-errors.js';
import { DatabaseError } from '../database/database-errors.js';

/**
 * What readiness reads on SQLite: every row of the tables that people work with, one text column each, so
 * that a damaged page in them is found (SQLITE_CORRUPT) rather than met by the next user. A few milliseconds
 * at Bremen's size; at a federal size (1,000,000 reports) about a tenth of a second.
 */
const MAIN_TABLES: [table: string, column: string][] = [
  ['frameworks', 'name'],
  ['goals', 'title'],
  ['action_fields', 'title'],
  ['departments', 'name'],
  ['users', 'email'],
  ['measures', 'title'],
  ['status_reports', 'summary'],
  ['reporting_cycles', 'code'],
];

export interface Health {
  status: 'ok';
  database: { type: string; state: 'up'; pendingMigrations: boolean };
  time: string;
}

@ApiTags('Betrieb')
@Controller('api/health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Liveness without touching the database: also the benchmark's floor for a trivial route. */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Lebenszeichen des Dienstes (ohne Datenbank)' })
  @ApiOkResponse({ type: LivenessResponse })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Zustand des Dienstes und der Datenbank' })
  @ApiOkResponse({ type: HealthResponse })
  async check(): Promise<Health> {
    let table = '';
    try {
      await this.dataSource.query('SELECT 1');
      for (const [name, column] of MAIN_TABLES) {
        table = name;
        await this.dataSource.query(
          this.dataSource.options.type === 'better-sqlite3'
            ? `SELECT MAX(LENGTH("${column}")) AS n FROM "${name}"`
            : `SELECT 1 FROM "${name}" LIMIT 1`,
        );
      }
      table = '';
      const pendingMigrations = await this.dataSource.showMigrations();
      return {
        status: 'ok',
        database: { type: this.dataSource.options.type, state: 'up', pendingMigrations },
        time: new Date().toISOString(),
      };
    } catch (error) {
      const driverCode = (error as { driverError?: { code?: unknown } }).driverError?.code;
      const code = typeof driverCode === 'string' ? driverCode : '';
      const damaged = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001';
      throw new DomainError(
        'unavailable',
        damaged ? DatabaseError.DAMAGED : DatabaseError.UNAVAILABLE,
        damaged
          ? `Die Datenbank ist beschädigt (Tabelle ${table}); bitte aus einer Sicherung wiederherstellen.`
          : 'Die Datenbank ist nicht erreichbar.',
        {
          status: 'error',
          database: { state: damaged ? 'damaged' : 'down', ...(table ? { table } : {}) },
        },
      );
    }
  }
}
