/** The documented JSON of indicators with their values and progress towards the target. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import type { IndicatorValue } from './indicator-value.entity.js';
import { INDICATOR_DIRECTIONS, type IndicatorDirection } from './indicator.entity.js';
import type { IndicatorView } from './indicators.service.js';

export class IndicatorValueResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  indicatorId: number;

  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty({ example: 'gesamt' })
  group: string;

  @ApiProperty()
  value: number;

  @ApiProperty()
  note: string;

  @ApiProperty()
  isExample: boolean;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class IndicatorLatestResponse {
  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty()
  value: number;

  @ApiProperty()
  group: string;
}

export class IndicatorResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: 'B2a' })
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  definition: string;

  @ApiProperty({ example: '%' })
  unit: string;

  @ApiProperty()
  source: string;

  @ApiProperty({ type: 'integer', nullable: true })
  actionFieldId: number | null;

  @ApiProperty({ enum: [...INDICATOR_DIRECTIONS] })
  direction: IndicatorDirection;

  @ApiProperty({ type: 'integer', nullable: true })
  baselineYear: number | null;

  @ApiProperty({ type: Number, nullable: true })
  baselineValue: number | null;

  @ApiProperty()
  baselineNote: string;

  @ApiProperty({ type: 'integer', nullable: true })
  targetYear: number | null;

  @ApiProperty({ type: Number, nullable: true })
  targetValue: number | null;

  @ApiProperty({ type: String, isArray: true, description: 'Gruppen, für die Werte erfasst werden können' })
  groups: string[];

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ type: String, nullable: true })
  actionFieldCode: string | null;

  @ApiProperty({ type: [IndicatorValueResponse] })
  values: IndicatorValueResponse[];

  @ApiProperty({ type: IndicatorLatestResponse, nullable: true })
  latest: IndicatorLatestResponse | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Fortschritt vom Ausgangs- zum Zielwert in Prozent; null, wenn nicht berechenbar',
  })
  progress: number | null;

  @ApiProperty()
  containsExampleData: boolean;
}

/** Compile-time proof that the classes above document exactly what the service returns. */
export type IndicatorResponsesMirror = AllMirror<
  [
    Mirrors<IndicatorValueResponse, Json<Omit<IndicatorValue, 'indicator'>>>,
    Mirrors<
      IndicatorResponse,
      Json<Omit<IndicatorView, 'values'> & { values: Omit<IndicatorValue, 'indicator'>[] }>
    >,
  ]
>;
