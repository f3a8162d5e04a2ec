import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/access.decorator.js';

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
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Zustand des Dienstes und der Datenbank' })
  async check(): Promise<Health> {
    try {
      await this.dataSource.query('SELECT 1');
      const pendingMigrations = await this.dataSource.showMigrations();
      return {
        status: 'ok',
        database: { type: this.dataSource.options.type, state: 'up', pendingMigrations },
        time: new Date().toISOString(),
      };
    } catch {
      throw new HttpException(
        {
          statusCode: 503,
          status: 'error',
          database: { state: 'down' },
          message: 'Die Datenbank ist nicht erreichbar.',
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }
}
