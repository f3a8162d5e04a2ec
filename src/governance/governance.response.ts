/** The documented JSON of governance: bodies, cadence, meetings and decisions (Gremien, Sitzungen, Beschlüsse). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import { MeasureChangeResponse, MeasureResponse } from '../measures/measure.response.js';
import type { MeasureView } from '../measures/measure.view.js';
import type { DecisionStateChange } from './decision-state-change.entity.js';
import type { DecisionView } from './decision.view.js';
import type { BodyMember, GovernanceBody } from './governance-body.entity.js';
import {
  DECISION_KINDS,
  DECISION_STATES,
  type DecisionKind,
  type DecisionState,
  type ParticipationType,
} from './governance.constants.js';
import type { CadenceRow, CadenceStatus } from './governance.service.js';
import type { Meeting } from './meeting.entity.js';

export class BodyMemberResponse {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Kürzel der Organisation (des Ressorts); fehlt: eine Person in ihrer Funktion',
  })
  departmentCode?: string | null;

  @ApiProperty({ description: 'Funktion im Gremium' })
  function: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Mitglied seit (nach einer Fortschreibung); fehlt: von Anfang an',
  })
  from?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Mitglied bis (nach einer Fortschreibung); fehlt: weiterhin Mitglied',
  })
  to?: string | null;
}

export class GovernanceBodyResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: 'integer' })
  minMeetingsPerYear: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: keine Obergrenze' })
  maxMeetingsPerYear: number | null;

  @ApiProperty({ type: [BodyMemberResponse] })
  members: BodyMemberResponse[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Takt als Abstand in Wochen: kleinster Abstand zwischen zwei Sitzungen (null: Takt in Sitzungen im Jahr)',
  })
  intervalWeeksMin: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'größter Abstand in Wochen; darüber ist das Gremium überfällig',
  })
  intervalWeeksMax: number | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'Beteiligungsformate, die seine Sitzungen haben können (Workshop, Webinar …); leer: einfache Sitzungen',
  })
  participationFormats: string[] | null;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;
}

/** Meetings of one body in one year against its cadence. */
export class CadenceRowResponse {
  @ApiProperty({ type: 'integer' })
  bodyId: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty({ type: 'integer', description: 'abgehaltene Sitzungen' })
  held: number;

  @ApiProperty({ type: 'integer' })
  min: number;

  @ApiProperty({ type: 'integer', nullable: true })
  max: number | null;

  @ApiProperty({ enum: ['met', 'below', 'above', 'running'] })
  status: CadenceStatus;

  @ApiProperty()
  label: string;

  @ApiProperty({
    enum: ['perYear', 'intervalWeeks'],
    description: 'Takt in Sitzungen im Jahr (min/max) oder als Abstand in Wochen (intervalWeeksMin/Max)',
  })
  cadenceKind: 'perYear' | 'intervalWeeks';

  @ApiProperty({ type: 'integer', nullable: true })
  intervalWeeksMin: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  intervalWeeksMax: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Bei Takt in Wochen: längster Abstand im Jahr in ganzen Wochen (zwischen Sitzungen oder seit der letzten)',
  })
  longestGapWeeks: number | null;

  @ApiProperty({ description: 'Bei Takt in Wochen: ein Abstand war länger als intervalWeeksMax Wochen' })
  overdue: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'überfällig: 13 Wochen seit der letzten Sitzung, vorgesehen alle 10–12 Wochen',
  })
  overdueLabel: string | null;
}

export class MeetingResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ type: 'integer' })
  bodyId: number;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'Ort oder Format' })
  place: string;

  @ApiProperty({ type: 'integer', isArray: true })
  attendingDepartmentIds: number[];

  @ApiProperty()
  agenda: string;

  @ApiProperty()
  minutesSummary: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Workshop',
    description: 'Beteiligungsformat (eines der Formate des Gremiums); nur bei Gremien mit Formaten',
  })
  participationType: ParticipationType | null;

  @ApiProperty({ type: 'integer', isArray: true, description: 'Handlungsfelder des Beteiligungsformats' })
  topicActionFieldIds: number[];

  @ApiProperty({ type: 'integer', nullable: true })
  participantCount: number | null;

  @ApiProperty()
  isExample: boolean;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class DecisionStateChangeResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  decisionId: number;

  @ApiProperty({ enum: [...DECISION_STATES], nullable: true })
  fromState: DecisionState | null;

  @ApiProperty({ enum: [...DECISION_STATES] })
  toState: DecisionState;

  @ApiProperty()
  comment: string;

  @ApiProperty({ type: 'integer', nullable: true })
  userId: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class DecisionResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  meetingId: number;

  @ApiProperty({ format: 'date' })
  meetingDate: string;

  @ApiProperty()
  meetingTitle: string;

  @ApiProperty({ type: 'integer' })
  bodyId: number;

  @ApiProperty()
  bodyName: string;

  @ApiProperty({ enum: [...DECISION_KINDS] })
  kind: DecisionKind;

  @ApiProperty()
  kindLabel: string;

  @ApiProperty()
  text: string;

  @ApiProperty({ type: 'integer', isArray: true })
  measureIds: number[];

  @ApiProperty({ type: 'integer' })
  responsibleDepartmentId: number;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  dueDate: string | null;

  @ApiProperty({ enum: [...DECISION_STATES] })
  state: DecisionState;

  @ApiProperty()
  stateLabel: string;

  @ApiProperty({ description: 'Frist überschritten und noch offen' })
  overdue: boolean;

  @ApiProperty()
  isExample: boolean;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiPropertyOptional({ type: [DecisionStateChangeResponse], description: 'nur beim einzelnen Beschluss' })
  history?: DecisionStateChangeResponse[];

  @ApiPropertyOptional({ type: [MeasureChangeResponse], description: 'nur beim einzelnen Beschluss' })
  changes?: MeasureChangeResponse[];
}

export class MeetingWithDecisionsResponse extends MeetingResponse {
  @ApiProperty({ type: [DecisionResponse] })
  decisions: DecisionResponse[];

  @ApiProperty({
    type: [BodyMemberResponse],
    description: 'Wer am Tag der Sitzung Mitglied des Gremiums war',
  })
  members: BodyMemberResponse[];
}

export class AppliedDecisionResponse {
  @ApiProperty({ type: DecisionResponse })
  decision: DecisionResponse;

  @ApiProperty({ type: MeasureResponse })
  measure: MeasureResponse;
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type GovernanceResponsesMirror = AllMirror<
  [
    Mirrors<BodyMemberResponse, BodyMember>,
    Mirrors<GovernanceBodyResponse, GovernanceBody>,
    Mirrors<CadenceRowResponse, CadenceRow>,
    Mirrors<MeetingResponse, Json<Omit<Meeting, 'body'>>>,
    Mirrors<
      MeetingWithDecisionsResponse,
      Json<Omit<Meeting, 'body'> & { decisions: DecisionView[]; members: BodyMember[] }>
    >,
    Mirrors<DecisionStateChangeResponse, Json<DecisionStateChange>>,
    Mirrors<DecisionResponse, Json<DecisionView>>,
    Mirrors<AppliedDecisionResponse, Json<{ decision: DecisionView; measure: MeasureView }>>,
  ]
>;
