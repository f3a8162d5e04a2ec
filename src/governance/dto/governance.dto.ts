import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PlanQueryDto } from '../../framework/plan-query.dto.js';
import { DateField, IdListField } from '../../common/http/dto-fields.js';
import { CreateMeasureDto, UpdateMeasureDto } from '../../measures/dto/measure.dto.js';
import {
  DECISION_KINDS,
  DECISION_STATES,
  type DecisionKind,
  type DecisionState,
  type ParticipationType,
} from '../governance.constants.js';

const FORMAT_DESCRIPTION =
  'Beteiligungsformat: eines der Formate des Gremiums (participationFormats, z. B. Workshop, Webinar); nur bei Gremien mit Formaten';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const MAX_ID = 2_147_483_647;

export class CreateMeetingDto {
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_ID) bodyId: number;
  @ApiProperty({ example: '2025-03-12' }) @DateField() date: string;
  @ApiProperty() @IsString() @Transform(trim) @MinLength(3) @MaxLength(200) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) place?: string;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(50)
  attendingDepartmentIds?: number[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) agenda?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) minutesSummary?: string;
  @ApiPropertyOptional({ example: 'Workshop', description: FORMAT_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(20)
  participationType?: ParticipationType;
  @ApiPropertyOptional({ type: [Number], description: 'Handlungsfelder des Formats' })
  @IsOptional()
  @IdListField(30)
  topicActionFieldIds?: number[];
  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  participantCount?: number;
}

export class UpdateMeetingDto {
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_ID) version: number;
  @ApiPropertyOptional() @IsOptional() @DateField() date?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(200)
  title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) place?: string;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(50)
  attendingDepartmentIds?: number[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) agenda?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) minutesSummary?: string;
  @ApiPropertyOptional({ example: 'Workshop', description: FORMAT_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(20)
  participationType?: ParticipationType;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(30)
  topicActionFieldIds?: number[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) participantCount?: number;
}

export class MeetingQueryDto extends PlanQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ID) bodyId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1900) @Max(2200) year?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class CreateDecisionDto {
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_ID) meetingId: number;
  @ApiProperty({ enum: DECISION_KINDS }) @IsIn(DECISION_KINDS) kind: DecisionKind;
  @ApiProperty() @IsString() @Transform(trim) @MinLength(5) @MaxLength(10000) text: string;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(100)
  measureIds?: number[];
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_ID) responsibleDepartmentId: number;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @DateField()
  dueDate?: string | null;
}

export class ChangeDecisionStateDto {
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_ID) version: number;
  @ApiProperty({ enum: DECISION_STATES }) @IsIn(DECISION_STATES) state: DecisionState;
  @ApiPropertyOptional() @IsOptional() @IsString() @Transform(trim) @MaxLength(2000) comment?: string;
}

export class DecisionQueryDto extends PlanQueryDto {
  @ApiPropertyOptional({ enum: DECISION_STATES }) @IsOptional() @IsIn(DECISION_STATES) state?: DecisionState;
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  responsibleDepartmentId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ID) meetingId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ID) measureId?: number;
  @ApiPropertyOptional({ description: 'true: nur überfällige' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false])
  overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

/** The fields a decision may change on a measure, with exactly the rules of a measure update. */
export class MeasureFieldChangesDto extends PickType(UpdateMeasureDto, [
  'title',
  'description',
  'level',
  'plannedStart',
  'plannedEnd',
  'budget',
  'leadDepartmentId',
] as const) {}

export const APPLY_ACTIONS = ['discontinue', 'extend', 'change', 'merge', 'create'] as const;
export type ApplyAction = (typeof APPLY_ACTIONS)[number];

/** Carrying out a decision on a measure: the decision becomes the recorded reason of the change. */
export class ApplyDecisionDto {
  @ApiProperty({ enum: APPLY_ACTIONS }) @IsIn(APPLY_ACTIONS) action: ApplyAction;
  @ApiPropertyOptional({ description: 'Pflicht außer bei create' })
  @ValidateIf((o: ApplyDecisionDto) => o.action !== 'create')
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  measureId?: number;
  @ApiPropertyOptional({ description: 'Version der Maßnahme; Pflicht außer bei create' })
  @ValidateIf((o: ApplyDecisionDto) => o.action !== 'create')
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  version?: number;
  @ApiPropertyOptional({ description: 'neues Ende, Pflicht bei extend' })
  @ValidateIf((o: ApplyDecisionDto) => o.action === 'extend')
  @DateField()
  plannedEnd?: string;
  @ApiPropertyOptional({ description: 'Pflicht bei merge' })
  @ValidateIf((o: ApplyDecisionDto) => o.action === 'merge')
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  mergedIntoId?: number;
  @ApiPropertyOptional({ type: MeasureFieldChangesDto, description: 'Pflicht bei change' })
  @ValidateIf((o: ApplyDecisionDto) => o.action === 'change')
  @ValidateNested()
  @Type(() => MeasureFieldChangesDto)
  changes?: MeasureFieldChangesDto;
  @ApiPropertyOptional({ type: CreateMeasureDto, description: 'Pflicht bei create' })
  @ValidateIf((o: ApplyDecisionDto) => o.action === 'create')
  @ValidateNested()
  @Type(() => CreateMeasureDto)
  measure?: CreateMeasureDto;
}

export class CadenceQueryDto extends PlanQueryDto {
  @ApiPropertyOptional({ description: 'Jahr, Standard: laufendes Jahr' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;
}
