/**
 * The documented JSON of the open data (schema version in `metadata.schemaVersion`): the published cycles
 * and one cycle's measures with its metadata and licence.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import { StatusBreakdownResponse } from '../dashboard/dashboard.response.js';
import { type MeasureLevel } from '../measures/measure.constants.js';
import { STATUS_KEYS, type StatusKey } from '../measures/measure-rules.js';
import type {
  PublicCodeTitle,
  PublicCycle,
  PublicCycleData,
  PublicLicence,
  PublicMeasure,
  PublicMetadata,
  PublicPlan,
} from './public-reporting.service.js';

export class PublicCycleResponse {
  @ApiProperty({ example: 'bremen-rk-2021', description: 'Code des Rahmenkonzepts' })
  plan: string;

  @ApiProperty({ example: '2022-2023' })
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date' })
  periodStart: string;

  @ApiProperty({ format: 'date' })
  periodEnd: string;

  @ApiProperty({ format: 'date-time' })
  publishedAt: string;

  @ApiProperty({ type: 'integer', description: 'Maßnahmen im eingefrorenen Stand' })
  measureCount: number;
}

export class PublicCodeTitleResponse {
  @ApiProperty({ example: '3.1' })
  code: string;

  @ApiProperty()
  title: string;
}

export class PublicLicenceResponse {
  @ApiProperty({ example: 'dl-de/by-2-0' })
  id: string;

  @ApiProperty({ example: 'Datenlizenz Deutschland – Namensnennung – Version 2.0' })
  name: string;

  @ApiProperty({ example: 'https://www.govdata.de/dl-de/by-2-0' })
  url: string;
}

export class PublicPlanResponse {
  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Fassung des Rahmenkonzepts beim Abschluss des Zyklus' })
  version: string;
}

export class PublicCycleRefResponse {
  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date' })
  periodStart: string;

  @ApiProperty({ format: 'date' })
  periodEnd: string;
}

export class PublicMetadataResponse {
  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'Herausgeber', example: 'Freie Hansestadt Bremen' })
  publisher: string;

  @ApiProperty({ type: PublicPlanResponse })
  plan: PublicPlanResponse;

  @ApiProperty({ type: PublicCycleRefResponse, description: 'Berichtszyklus und -zeitraum' })
  cycle: PublicCycleRefResponse;

  @ApiProperty({ format: 'date-time' })
  publishedAt: string;

  @ApiProperty({ format: 'date-time', description: 'Zeitpunkt des eingefrorenen Stands (Abschluss)' })
  snapshotTakenAt: string;

  @ApiProperty({ type: PublicLicenceResponse })
  licence: PublicLicenceResponse;

  @ApiProperty({
    example: '1.1',
    description:
      'Version dieses Schemas. 1.1: die Maßnahme hat wahlweise obstacles, nextSteps (wenn mit dem Zyklus veröffentlicht) und budget (wenn das Rahmenkonzept es öffentlich macht)',
  })
  schemaVersion: string;

  @ApiProperty({ description: 'true, wenn Beispieldaten enthalten sind' })
  exampleData: boolean;
}

export class PublicMeasureResponse {
  @ApiProperty({ example: '3.1-04' })
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: PublicCodeTitleResponse, description: 'Handlungsfeld' })
  actionField: PublicCodeTitleResponse;

  @ApiProperty({ type: [PublicCodeTitleResponse], description: 'Ziele' })
  goals: PublicCodeTitleResponse[];

  @ApiProperty({ type: PublicCodeTitleResponse, description: 'federführendes Ressort' })
  leadDepartment: PublicCodeTitleResponse;

  @ApiProperty({ type: [PublicCodeTitleResponse], description: 'beteiligte Ressorts' })
  participatingDepartments: PublicCodeTitleResponse[];

  @ApiProperty({
    type: String,
    description: 'Code einer Ebene des Plans (Bremen: land, bremen, bremerhaven)',
  })
  level: MeasureLevel;

  @ApiProperty({ example: 'Land Bremen' })
  levelLabel: string;

  @ApiProperty({ enum: [...STATUS_KEYS], description: 'none: keine Meldung im Zeitraum' })
  status: StatusKey;

  @ApiProperty({ example: 'in Umsetzung' })
  statusLabel: string;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100 })
  progress: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedStart: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedEnd: string | null;

  @ApiProperty({ description: 'Sachstand der angenommenen Meldung; leer ohne Meldung' })
  summary: string;

  @ApiPropertyOptional({
    description:
      'Hindernisse der angenommenen Meldung (leer ohne Meldung); nur vorhanden, wenn der Zyklus mit Hindernissen und nächsten Schritten veröffentlicht wurde (seit Schema 1.1)',
  })
  obstacles?: string;

  @ApiPropertyOptional({
    description:
      'Nächste Schritte der angenommenen Meldung (leer ohne Meldung); nur vorhanden, wenn der Zyklus mit Hindernissen und nächsten Schritten veröffentlicht wurde (seit Schema 1.1)',
  })
  nextSteps?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Budget in Euro zum Abschluss des Zyklus; nur vorhanden, wenn das Rahmenkonzept das Budget öffentlich macht (seit Schema 1.1)',
  })
  budget?: number | null;

  @ApiProperty({ description: 'Beispieldaten' })
  isExample: boolean;
}

export class PublicCycleDataResponse {
  @ApiProperty({ type: PublicMetadataResponse })
  metadata: PublicMetadataResponse;

  @ApiProperty({ type: StatusBreakdownResponse, description: 'Maßnahmen je Status' })
  totals: StatusBreakdownResponse;

  @ApiProperty({ type: [PublicMeasureResponse] })
  measures: PublicMeasureResponse[];
}

export type PublicResponsesMirror = AllMirror<
  [
    Mirrors<PublicCycleResponse, PublicCycle>,
    Mirrors<PublicCodeTitleResponse, PublicCodeTitle>,
    Mirrors<PublicLicenceResponse, PublicLicence>,
    Mirrors<PublicPlanResponse, PublicPlan>,
    Mirrors<PublicCycleRefResponse, PublicMetadata['cycle']>,
    Mirrors<PublicMetadataResponse, PublicMetadata>,
    Mirrors<PublicMeasureResponse, PublicMeasure>,
    Mirrors<PublicCycleDataResponse, PublicCycleData>,
  ]
>;
