/**
 * The documented JSON of reporting cycles: the cycle, completeness and reminders per department, and the
 * frozen snapshot of a closed cycle.
 */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import {
  MEASURE_LIFECYCLES,
  MEASURE_STATUSES,
  type MeasureLevel,
  type MeasureLifecycle,
  type MeasureStatus,
} from '../measures/measure.constants.js';
import type {
  DepartmentCompleteness,
  DepartmentReminder,
  ReminderItem,
  ReminderReason,
} from './completeness.service.js';
import type { CycleSnapshotItem, SnapshotMasterData } from './cycle-snapshot-item.entity.js';
import { CYCLE_STATES, type CycleState } from './reporting-cycle.entity.js';
import type { CycleView } from './reporting-cycles.service.js';

export class CycleResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: '2024-2025' })
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date' })
  periodStart: string;

  @ApiProperty({ format: 'date' })
  periodEnd: string;

  @ApiProperty({ format: 'date', description: 'Meldeschluss' })
  inputDeadline: string;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'geplante Veröffentlichung' })
  publicationTarget: string | null;

  @ApiProperty({ enum: [...CYCLE_STATES] })
  state: CycleState;

  @ApiProperty({ example: 'Erfassung' })
  stateLabel: string;

  @ApiProperty({
    enum: [...CYCLE_STATES],
    isArray: true,
    description: 'Zustände, in die er jetzt wechseln kann',
  })
  allowedTransitions: CycleState[];

  @ApiProperty()
  reopenReason: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: string | null;

  @ApiProperty({ description: 'Begründung, mit der die Veröffentlichung zuletzt zurückgenommen wurde' })
  unpublishReason: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  unpublishedAt: string | null;

  @ApiProperty({
    description:
      'Hindernisse und nächste Schritte der angenommenen Meldungen sind mit dem Zyklus veröffentlicht',
  })
  publicReportTexts: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'eingefrorener Stand (ab dem Abschluss)' })
  snapshotId: number | null;

  @ApiProperty({ type: 'integer' })
  version: number;
}

/** The counts of a cycle's completeness, for one department or all. */
export class CompletenessCountsResponse {
  @ApiProperty({ type: 'integer', description: 'fällige Meldungen (aktive Maßnahmen)' })
  due: number;

  @ApiProperty({ type: 'integer' })
  reported: number;

  @ApiProperty({ type: 'integer' })
  accepted: number;

  @ApiProperty({ type: 'integer' })
  awaitingReview: number;

  @ApiProperty({ type: 'integer' })
  returned: number;

  @ApiProperty({ type: 'integer' })
  missing: number;

  @ApiProperty({ description: 'Anteil der gemeldeten an den fälligen, 0–100' })
  completeness: number;
}

export class DepartmentCompletenessResponse extends CompletenessCountsResponse {
  @ApiProperty({ type: 'integer' })
  departmentId: number;

  @ApiProperty()
  departmentCode: string;

  @ApiProperty()
  departmentName: string;
}

export class ReminderItemResponse {
  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: ['missing', 'returned'] })
  reason: ReminderReason;

  @ApiProperty({ example: 'Meldung fehlt' })
  reasonLabel: string;

  @ApiProperty({ description: 'Kommentar der Rückgabe' })
  reviewComment: string;
}

export class DepartmentReminderResponse {
  @ApiProperty({ type: 'integer' })
  departmentId: number;

  @ApiProperty()
  departmentCode: string;

  @ApiProperty()
  departmentName: string;

  @ApiProperty({ type: 'integer' })
  cycleId: number;

  @ApiProperty()
  cycleCode: string;

  @ApiProperty({ format: 'date' })
  deadline: string;

  @ApiProperty({ type: 'integer' })
  daysLeft: number;

  @ApiProperty()
  overdue: boolean;

  @ApiProperty({ type: [ReminderItemResponse] })
  items: ReminderItemResponse[];
}

/** Master data as it was at the close. */
export class SnapshotMasterDataResponse {
  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  actionFieldCode: string;

  @ApiProperty()
  actionFieldTitle: string;

  @ApiProperty({ type: 'integer', isArray: true })
  goalIds: number[];

  @ApiProperty({ type: String, isArray: true })
  goalCodes: string[];

  @ApiProperty()
  leadDepartmentCode: string;

  @ApiProperty()
  leadDepartmentName: string;

  @ApiProperty({ type: 'integer', isArray: true })
  participatingDepartmentIds: number[];

  @ApiProperty({ type: String, isArray: true })
  participatingDepartmentCodes: string[];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedStart: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  plannedEnd: string | null;

  @ApiProperty({ type: Number, nullable: true })
  budget: number | null;

  @ApiProperty()
  lifecycleReason: string;
}

/** One measure's frozen state: its latest accepted report in the period, or none ("keine Meldung"). */
export class SnapshotItemResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  snapshotId: number;

  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  sortKey: string;

  @ApiProperty({ type: 'integer' })
  actionFieldId: number;

  @ApiProperty({ type: 'integer' })
  leadDepartmentId: number;

  @ApiProperty({
    type: String,
    description: 'Code einer Ebene des Plans (Bremen: land, bremen, bremerhaven)',
  })
  level: MeasureLevel;

  @ApiProperty({ enum: [...MEASURE_LIFECYCLES] })
  lifecycle: MeasureLifecycle;

  @ApiProperty()
  isExample: boolean;

  @ApiProperty({ type: String, isArray: true })
  targetGroups: string[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: keine Meldung im Zeitraum' })
  reportId: number | null;

  @ApiProperty({ enum: [...MEASURE_STATUSES], nullable: true })
  status: MeasureStatus | null;

  @ApiProperty({ type: 'integer', nullable: true })
  progress: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  reportedAt: string | null;

  @ApiProperty()
  summary: string;

  @ApiProperty()
  obstacles: string;

  @ApiProperty()
  nextSteps: string;

  @ApiProperty({ type: SnapshotMasterDataResponse })
  master: SnapshotMasterDataResponse;
}

export class SnapshotResponse {
  @ApiProperty({ type: 'integer' })
  snapshotId: number;

  @ApiProperty({ format: 'date-time' })
  takenAt: string;

  @ApiProperty({ type: [SnapshotItemResponse] })
  items: SnapshotItemResponse[];
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type ReportingResponsesMirror = AllMirror<
  [
    Mirrors<CycleResponse, CycleView>,
    Mirrors<DepartmentCompletenessResponse, DepartmentCompleteness>,
    Mirrors<ReminderItemResponse, ReminderItem>,
    Mirrors<DepartmentReminderResponse, DepartmentReminder>,
    Mirrors<SnapshotMasterDataResponse, SnapshotMasterData>,
    Mirrors<SnapshotItemResponse, Omit<CycleSnapshotItem, 'snapshot'>>,
  ]
>;
