/** The documented JSON of measures, status reports and measure changes (see measure.view.ts). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import { MEASURE_CHANGE_KINDS, type MeasureChange, type MeasureChangeKind } from './measure-change.entity.js';
import {
  MEASURE_LIFECYCLES,
  MEASURE_STATUSES,
  type MeasureLevel,
  type MeasureLifecycle,
  type MeasureStatus,
  REVIEW_STATES,
  type ReviewState,
} from './measure.constants.js';
import { STATUS_KEYS, type StatusKey } from './measure-rules.js';
import { MeasureHistoryResponse } from '../framework/revisions/framework-revision.response.js';
import type {
  MeasureAreaView,
  MeasureDetailView,
  MeasureHistoryView,
  MeasureView,
  StatusReportView,
} from './measure.view.js';

const DATA_LABEL = 'Nur bei Beispieldaten: "Beispieldaten"';

/** An area of the plan (e.g. a Bezirksregion) that a measure names. */
export class MeasureAreaResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'mitte' })
  code: string;

  @ApiProperty({ example: 'Mitte' })
  name: string;
}

export class MeasureResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: '3.1-04' })
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: 'integer' })
  actionFieldId: number;

  @ApiProperty({ type: 'integer', isArray: true })
  goalIds: number[];

  @ApiProperty({ type: 'integer' })
  leadDepartmentId: number;

  @ApiProperty({ type: 'integer', isArray: true })
  participatingDepartmentIds: number[];

  @ApiProperty({
    type: String,
    example: 'land',
    description: 'Code einer Ebene des Plans (Bremen: land, bremen, bremerhaven)',
  })
  level: MeasureLevel;

  @ApiProperty({
    type: 'integer',
    isArray: true,
    description: 'IDs der Gebiete des Plans, in denen sie wirkt',
  })
  areaIds: number[];

  @ApiProperty({ type: () => MeasureAreaResponse, isArray: true })
  areas: MeasureAreaResponse[];

  @ApiProperty({ type: String, isArray: true })
  targetGroups: string[];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedStart: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedEnd: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Euro' })
  budget: number | null;

  @ApiProperty({ enum: [...MEASURE_LIFECYCLES] })
  lifecycle: MeasureLifecycle;

  @ApiProperty()
  lifecycleReason: string;

  @ApiProperty({ type: 'integer', nullable: true })
  mergedIntoId: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  lifecycleDecisionId: number | null;

  @ApiProperty({
    enum: [...MEASURE_STATUSES],
    nullable: true,
    description: 'aus der letzten angenommenen Meldung',
  })
  status: MeasureStatus | null;

  @ApiProperty({
    enum: [...STATUS_KEYS],
    description:
      'Wie das Dashboard sie zählt: discontinued bei eingestellter Maßnahme, sonst status, sonst none',
  })
  statusKey: StatusKey;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100 })
  progress: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  statusDate: string | null;

  @ApiProperty()
  isExample: boolean;

  @ApiPropertyOptional({ description: DATA_LABEL })
  dataLabel?: string;

  @ApiProperty({ type: 'integer', description: 'für optimistisches Sperren: beim Ändern mitschicken' })
  version: number;
}

export class StatusReportResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty({ enum: [...MEASURE_STATUSES] })
  status: MeasureStatus;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  progress: number;

  @ApiProperty({ description: 'Sachstand' })
  summary: string;

  @ApiProperty()
  obstacles: string;

  @ApiProperty()
  nextSteps: string;

  @ApiProperty({ format: 'date' })
  reportedAt: string;

  @ApiProperty({ type: 'integer', nullable: true })
  authorId: number | null;

  @ApiProperty({ enum: [...REVIEW_STATES] })
  reviewState: ReviewState;

  @ApiProperty()
  reviewComment: string;

  @ApiProperty({ type: 'integer', nullable: true })
  reviewedById: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reviewedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  correctsReportId: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty()
  isExample: boolean;

  @ApiPropertyOptional({ description: DATA_LABEL })
  dataLabel?: string;
}

export class MeasureChangeResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty({ enum: [...MEASURE_CHANGE_KINDS] })
  kind: MeasureChangeKind;

  @ApiProperty({ type: 'integer', nullable: true, description: 'der Beschluss, der sie bewirkt hat' })
  decisionId: number | null;

  @ApiProperty()
  reason: string;

  @ApiProperty({ description: 'Was sich geändert hat, in Worten' })
  summary: string;

  @ApiProperty({ type: 'integer', nullable: true })
  userId: number | null;

  @ApiProperty()
  isExample: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** Compile-time proof that the classes above document exactly what the services return. */
/** One measure with its history across revisions (GET /api/measures/:id). */
export class MeasureDetailResponse extends MeasureResponse {
  @ApiProperty({
    type: MeasureHistoryResponse,
    isArray: true,
    description:
      'Woher die Maßnahme kommt: Code, Handlungsfeld und Federführung vor und nach jeder Fortschreibung',
  })
  history: MeasureHistoryResponse[];
}

export type MeasureResponsesMirror = AllMirror<
  [
    Mirrors<MeasureAreaResponse, MeasureAreaView>,
    Mirrors<MeasureResponse, MeasureView>,
    Mirrors<MeasureDetailResponse, MeasureDetailView>,
    Mirrors<MeasureHistoryResponse, MeasureHistoryView>,
    Mirrors<StatusReportResponse, StatusReportView>,
    Mirrors<MeasureChangeResponse, Json<MeasureChange>>,
  ]
>;
