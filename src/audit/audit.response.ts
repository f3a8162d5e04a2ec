/** The documented JSON of an audit entry (Änderungsprotokoll). */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import type { AuditChanges, AuditEntry } from './audit-entry.entity.js';

export class AuditEntryResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: das System (Start, Kommandozeile)' })
  userId: number | null;

  @ApiProperty()
  userEmail: string;

  @ApiProperty({
    description: 'create, update, lifecycle, review, transition, login, login_failed, logout, …',
  })
  action: string;

  @ApiProperty({ example: 'Measure' })
  entity: string;

  @ApiProperty()
  entityId: string;

  @ApiProperty({
    type: 'object',
    description: 'Je geändertem Feld der Wert davor und danach',
    additionalProperties: { type: 'object', properties: { from: {}, to: {} } },
  })
  changes: AuditChanges;

  @ApiProperty()
  note: string;

  @ApiProperty()
  ipAddress: string;

  @ApiProperty()
  requestId: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Das Rahmenkonzept (der Plan), um das es geht; null: die Installation (Konten, Anmeldungen, Organisationen)',
  })
  frameworkId: number | null;
}

/** Compile-time proof that the class above documents exactly what the service returns. */
export type AuditResponsesMirror = AllMirror<[Mirrors<AuditEntryResponse, Json<AuditEntry>>]>;
