/**
 * The documented JSON of the dashboard (see dashboard.types.ts). The route sends a pre-serialised string for
 * speed; these classes describe what that string holds.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import { DecisionResponse, CadenceRowResponse } from '../governance/governance.response.js';
import { type MeasureLevel } from '../measures/measure.constants.js';
import { STATUS_KEYS, type StatusKey } from '../measures/measure-rules.js';
import {
  CompletenessCountsResponse,
  DepartmentCompletenessResponse,
} from '../reporting/reporting.response.js';
import type { StaleMeasure } from '../reporting/completeness.service.js';
import type { DashboardQueryDto } from './dashboard-query.dto.js';
import type {
  ChangeItem,
  ChangeKind,
  Dashboard,
  GroupBreakdown,
  StatusBreakdown,
} from './dashboard.types.js';

/** One number per status key (counts, or shares in percent with one decimal). */
export class StatusKeyNumbersResponse {
  @ApiProperty()
  planned: number;

  @ApiProperty()
  in_progress: number;

  @ApiProperty()
  ongoing: number;

  @ApiProperty()
  completed: number;

  @ApiProperty()
  delayed: number;

  @ApiProperty()
  discontinued: number;

  @ApiProperty({ description: 'ohne Meldung' })
  none: number;
}

export class StatusBreakdownResponse {
  @ApiProperty({ type: 'integer', description: 'gezählte Maßnahmen' })
  total: number;

  @ApiProperty({ type: StatusKeyNumbersResponse, description: 'Maßnahmen je Status' })
  counts: StatusKeyNumbersResponse;

  @ApiProperty({
    type: StatusKeyNumbersResponse,
    description: 'Anteile je Status in Prozent (eine Nachkommastelle)',
  })
  shares: StatusKeyNumbersResponse;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'mittlerer Fortschritt in Prozent; null ohne Angaben',
  })
  averageProgress: number | null;
}

/** The breakdown of one goal, action field or department. */
export class GroupBreakdownResponse extends StatusBreakdownResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty({ description: 'Titel des Ziels oder Handlungsfelds, Name des Ressorts' })
  title: string;
}

export class DashboardSourceResponse {
  @ApiProperty({
    enum: ['live', 'snapshot'],
    description: 'laufender Stand oder eingefrorener Stand eines Zyklus',
  })
  kind: 'live' | 'snapshot';

  @ApiProperty({ type: 'integer', nullable: true })
  cycleId: number | null;

  @ApiProperty({ type: String, nullable: true })
  cycleCode: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  snapshotId: number | null;

  @ApiProperty({ example: 'Aktueller Stand' })
  label: string;
}

/** The filters the dashboard was computed for, as given in the query. */
export class DashboardFiltersResponse {
  @ApiPropertyOptional({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), wie angefragt' })
  frameworkId?: number;

  @ApiPropertyOptional({ type: 'integer', isArray: true })
  goalId?: number[];

  @ApiPropertyOptional({ type: 'integer', isArray: true })
  actionFieldId?: number[];

  @ApiPropertyOptional({ type: 'integer', isArray: true })
  departmentId?: number[];

  @ApiPropertyOptional({ type: String, isArray: true })
  level?: MeasureLevel[];

  @ApiPropertyOptional()
  targetGroup?: string;

  @ApiPropertyOptional({ type: 'integer' })
  cycleId?: number;
}

export class CurrentCycleResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  state: string;

  @ApiProperty()
  stateLabel: string;

  @ApiProperty({ format: 'date' })
  inputDeadline: string;

  @ApiProperty({ type: 'integer' })
  daysLeft: number;

  @ApiProperty({ type: [DepartmentCompletenessResponse] })
  departments: DepartmentCompletenessResponse[];

  @ApiProperty({ type: CompletenessCountsResponse })
  totals: CompletenessCountsResponse;
}

export class PreviousCycleResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  stateLabel: string;

  @ApiProperty({
    type: StatusBreakdownResponse,
    description: 'eingefrorener Stand bei Abschluss, mit denselben Filtern',
  })
  totals: StatusBreakdownResponse;

  @ApiProperty({
    type: CompletenessCountsResponse,
    description: 'Vollständigkeit der Meldungen in diesem Zyklus',
  })
  completeness: CompletenessCountsResponse;
}

export class StaleMeasureResponse {
  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: 'integer' })
  leadDepartmentId: number;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  lastReportedAt: string | null;

  @ApiProperty({ type: 'integer' })
  daysSince: number;
}

export class StaleMeasuresResponse {
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  staleAfterDays: number;

  @ApiProperty({ type: [StaleMeasureResponse] })
  items: StaleMeasureResponse[];
}

export class DeadlineResponse {
  @ApiProperty({ type: 'integer' })
  cycleId: number;

  @ApiProperty()
  cycleCode: string;

  @ApiProperty({ enum: ['input', 'publication'] })
  kind: 'input' | 'publication';

  @ApiProperty()
  label: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ type: 'integer' })
  daysLeft: number;
}

export class OverdueDecisionsResponse {
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: [DecisionResponse] })
  items: DecisionResponse[];
}

export class DashboardGovernanceResponse {
  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty({ type: [CadenceRowResponse] })
  cadence: CadenceRowResponse[];

  @ApiProperty({ type: OverdueDecisionsResponse })
  overdueDecisions: OverdueDecisionsResponse;
}

const CHANGE_KINDS: ChangeKind[] = ['up', 'down', 'new', 'discontinued'];

export class ChangeItemResponse {
  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty()
  code: string;

  @ApiProperty({ enum: [...STATUS_KEYS], nullable: true })
  from: StatusKey | null;

  @ApiProperty({ enum: [...STATUS_KEYS] })
  to: StatusKey;

  @ApiProperty({ type: 'integer', nullable: true })
  fromProgress: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  toProgress: number | null;

  @ApiProperty({ enum: CHANGE_KINDS })
  change: ChangeKind;
}

export class DashboardChangesResponse {
  @ApiProperty({ type: 'integer', nullable: true, description: 'der vorige abgeschlossene Zyklus' })
  sinceCycleId: number | null;

  @ApiProperty({ type: String, nullable: true })
  sinceCycleCode: string | null;

  @ApiProperty({ type: 'integer' })
  up: number;

  @ApiProperty({ type: 'integer' })
  down: number;

  @ApiProperty({ type: 'integer' })
  new: number;

  @ApiProperty({ type: 'integer' })
  discontinued: number;

  @ApiProperty({ type: [ChangeItemResponse] })
  items: ChangeItemResponse[];
}

export class DashboardResponse {
  @ApiProperty({ type: DashboardSourceResponse })
  source: DashboardSourceResponse;

  @ApiProperty({ type: DashboardFiltersResponse })
  filters: DashboardFiltersResponse;

  @ApiProperty({ format: 'date-time' })
  generatedAt: string;

  @ApiProperty()
  containsExampleData: boolean;

  @ApiProperty({ type: StatusBreakdownResponse })
  totals: StatusBreakdownResponse;

  @ApiProperty({ type: [GroupBreakdownResponse] })
  byGoal: GroupBreakdownResponse[];

  @ApiProperty({ type: [GroupBreakdownResponse] })
  byActionField: GroupBreakdownResponse[];

  @ApiProperty({ type: [GroupBreakdownResponse] })
  byDepartment: GroupBreakdownResponse[];

  @ApiProperty({
    type: [GroupBreakdownResponse],
    description:
      'Nach den Gebieten des Plans (z. B. Bezirksregionen), wie die Maßnahmen sie nennen; leer, wenn der Plan keine hat. Eine Maßnahme mit zwei Gebieten zählt in beiden.',
  })
  byArea: GroupBreakdownResponse[];

  @ApiProperty({
    type: CurrentCycleResponse,
    nullable: true,
    description: 'Vollständigkeit des laufenden Zyklus',
  })
  currentCycle: CurrentCycleResponse | null;

  @ApiProperty({
    type: PreviousCycleResponse,
    nullable: true,
    description: 'der vorige abgeschlossene Zyklus zum Vergleich (null: keiner)',
  })
  previousCycle: PreviousCycleResponse | null;

  @ApiProperty({ type: StaleMeasuresResponse })
  stale: StaleMeasuresResponse;

  @ApiProperty({ type: [DeadlineResponse] })
  deadlines: DeadlineResponse[];

  @ApiProperty({ type: DashboardGovernanceResponse })
  governance: DashboardGovernanceResponse;

  @ApiProperty({
    type: DashboardChangesResponse,
    description: 'Veränderungen seit dem vorigen abgeschlossenen Zyklus',
  })
  changes: DashboardChangesResponse;
}

/** Compile-time proof that the classes above document exactly what the dashboard holds. */
export type DashboardResponsesMirror = AllMirror<
  [
    Mirrors<StatusKeyNumbersResponse, Record<StatusKey, number>>,
    Mirrors<StatusBreakdownResponse, StatusBreakdown>,
    Mirrors<GroupBreakdownResponse, GroupBreakdown>,
    Mirrors<DashboardFiltersResponse, DashboardQueryDto>,
    Mirrors<StaleMeasureResponse, StaleMeasure>,
    Mirrors<Omit<ChangeItemResponse, 'change'>, ChangeItem>,
    Mirrors<DashboardSourceResponse, Dashboard['source']>,
    Mirrors<CurrentCycleResponse, NonNullable<Dashboard['currentCycle']>>,
    Mirrors<PreviousCycleResponse, NonNullable<Dashboard['previousCycle']>>,
    Mirrors<StaleMeasuresResponse, Dashboard['stale']>,
    Mirrors<DeadlineResponse, Dashboard['deadlines'][number]>,
    Mirrors<DashboardGovernanceResponse, Json<Dashboard['governance']>>,
    Mirrors<DashboardChangesResponse, Dashboard['changes']>,
    Mirrors<DashboardResponse, Json<Dashboard>>,
  ]
>;
