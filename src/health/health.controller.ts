/**
 * Liveness and readiness for the load balancer and the orchestrator. Readiness is a @nestjs/terminus health
 * check of three indicators (the database answers a ping; the main tables can be read; every migration of this
 * version is applied), translated into the application's error body: 503 with a German message when any of them
 * is down. Liveness never touches the database, so a database outage does not get the instance restarted.
 * While migrations run at start the port is not yet open (main.ts listens after them): no instance takes
 * traffic before its database is on its version; a database put back to an older state later answers 503 here.
 */
import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { HealthResponse, LivenessResponse } from './health.response.js';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/access.decorator.js';
import { DomainError } from '../common/http/domain-errors.js';
import { DatabaseError } from '../database/database-errors.js';

/** How long the ping may take before the database counts as unreachable. */
const PING_TIMEOUT_MS = 3000;

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
  ) {}

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
  @ApiOperation({ summary: 'Bereitschaft: Datenbank erreichbar, lesbar und auf dem Stand dieser Version' })
  @ApiOkResponse({ type: HealthResponse })
  async check(): Promise<Health> {
    try {
      await this.health.check([
        () => this.typeorm.pingCheck('database', { connection: this.dataSource, timeout: PING_TIMEOUT_MS }),
        () => this.mainTables(),
        () => this.migrations(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        throw notReady(error.getResponse() as HealthCheckResult);
      throw error;
    }
    return {
      status: 'ok',
      database: { type: this.dataSource.options.type, state: 'up', pendingMigrations: false },
      time: new Date().toISOString(),
    };
  }

  private async mainTables(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('tables');
    let table = '';
    try {
      for (const [name, column] of MAIN_TABLES) {
        table = name;
        await this.dataSource.query(
          this.dataSource.options.type === 'better-sqlite3'
            ? `SELECT MAX(LENGTH("${column}")) AS n FROM "${name}"`
            : `SELECT 1 FROM "${name}" LIMIT 1`,
        );
      }
      return indicator.up();
    } catch (error) {
      const driverCode = (error as { driverError?: { code?: unknown } }).driverError?.code;
      const code = typeof driverCode === 'string' ? driverCode : '';
      const damaged = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001';
      return damaged ? indicator.down({ state: 'damaged', table }) : indicator.down({ state: 'down' });
    }
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('migrations');
    try {
      return (await this.dataSource.showMigrations())
        ? indicator.down({ state: 'migrating', pendingMigrations: true })
        : indicator.up({ pendingMigrations: false });
    } catch {
      return indicator.down({ state: 'down' });
    }
  }
}

/** Terminus's failed result as the application's 503: damaged before unreachable before not yet migrated. */
function notReady(result: HealthCheckResult): DomainError {
  const failed = result.error ?? {};
  const state = (key: string): unknown => failed[key]?.state;
  if (state('tables') === 'damaged') {
    const table = String(failed.tables?.table ?? '');
    return new DomainError(
      'unavailable',
      DatabaseError.DAMAGED,
      `Die Datenbank ist beschädigt (Tabelle ${table}); bitte aus einer Sicherung wiederherstellen.`,
      { status: 'error', database: { state: 'damaged', table } },
    );
  }
  if (failed.database || state('tables') === 'down' || state('migrations') === 'down') {
    return new DomainError('unavailable', DatabaseError.UNAVAILABLE, 'Die Datenbank ist nicht erreichbar.', {
      status: 'error',
      database: { state: 'down' },
    });
  }
  return new DomainError(
    'unavailable',
    DatabaseError.UNAVAILABLE,
    'Die Datenbank ist noch nicht auf dem Stand dieser Version: Migrationen stehen aus.',
    { status: 'error', database: { state: 'migrating', pendingMigrations: true } },
  );
}
