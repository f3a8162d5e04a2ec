/** The answer to a review of several status reports at once (POST /api/status-reports/review). */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import { StatusReportResponse } from './measure.response.js';
import type { StatusReportView } from './measure.view.js';

export interface BulkReviewResult {
  count: number;
  items: StatusReportView[];
}

export class BulkReviewResponse {
  @ApiProperty({ type: 'integer', description: 'Anzahl der geprüften Meldungen' })
  count: number;

  @ApiProperty({
    type: [StatusReportResponse],
    description: 'Die Meldungen nach der Prüfung, in der Reihenfolge der Anfrage',
  })
  items: StatusReportView[];
}

/** Compile-time proof that the class above documents exactly what the service returns. */
export type StatusReviewResponsesMirror = AllMirror<[Mirrors<BulkReviewResponse, BulkReviewResult>]>;
