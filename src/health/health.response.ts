/** The documented JSON of the health checks. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import type { Health } from './health.controller.js';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class DatabaseHealthResponse {
  @ApiProperty({ example: 'better-sqlite3' })
  type: string;

  @ApiProperty({ enum: ['up'] })
  state: 'up';

  @ApiProperty({ description: 'true: es gibt Migrationen, die noch nicht ausgeführt sind' })
  pendingMigrations: boolean;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ type: DatabaseHealthResponse })
  database: DatabaseHealthResponse;

  @ApiProperty({ format: 'date-time' })
  time: string;
}

/** Compile-time proof that the classes above document exactly what the controller returns. */
export type HealthResponsesMirror = AllMirror<[Mirrors<HealthResponse, Health>]>;
