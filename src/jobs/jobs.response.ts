/** The documented JSON of a job (GET /api/jobs, GET /api/jobs/:id, and a 202 of work queued as a job). */
import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import { JOB_KINDS, JOB_STATES, type JobKind, type JobState } from './job.entity.js';
import type { JobView } from './jobs.service.js';

export class JobResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ enum: [...JOB_KINDS], description: 'report: Umsetzungsbericht; plan-import: Maßnahmenplan' })
  kind: JobKind;

  @ApiProperty({ description: 'Die Art des Auftrags auf Deutsch' })
  kindLabel: string;

  @ApiProperty({
    enum: [...JOB_STATES],
    description: 'queued: wartet; running: eine Instanz arbeitet daran; done: fertig; failed: fehlgeschlagen',
  })
  state: JobState;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Die Angaben des Auftrags (Bericht: cycleId, format; Maßnahmenplan: fileName, size)',
  })
  payload: Record<string, unknown>;

  @ApiProperty({ description: 'Was gerade geschieht, z. B. „Maßnahmen lesen“' })
  step: string;

  @ApiProperty({ type: 'integer', description: 'Erledigt (z. B. Maßnahmen gelesen)' })
  progressDone: number;

  @ApiProperty({ type: 'integer', description: 'Insgesamt (0: noch unbekannt)' })
  progressTotal: number;

  @ApiProperty({ type: 'integer', description: 'Wie oft eine Instanz den Auftrag aufgenommen hat' })
  attempts: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Das Ergebnis (Bericht: reportId, fileName; Maßnahmenplan: created, updated, unchanged)',
  })
  result: Record<string, unknown> | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Warum der Auftrag fehlschlug' })
  error: string | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    nullable: true,
    description: 'Die einzelnen Fehler dahinter (Maßnahmenplan: row, column, message je Zelle)',
  })
  errorDetails: unknown[] | null;

  @ApiProperty({ type: 'integer' })
  createdById: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  startedAt: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  finishedAt: string | null;
}

export type JobResponsesMirror = AllMirror<[Mirrors<JobResponse, JobView>]>;

/**
 * 202 with the job, as JSON: for a route whose 200 is a file (its @ApiProduces would otherwise be taken for
 * the 202 too), the content is named here.
 */
export function ApiJobAcceptedResponse(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(JobResponse),
    ApiAcceptedResponse({
      description: 'Als Auftrag eingereiht (Prefer: respond-async); Location: /api/jobs/:id',
      content: { 'application/json': { schema: { $ref: getSchemaPath(JobResponse) } } },
    }),
  );
}
