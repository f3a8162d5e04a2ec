import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { DateField, IdField, IdListField, IdListQuery, toList } from '../../common/http/dto-fields.js';
import { PlanQueryDto } from '../../framework/plan-query.dto.js';
import { MEASURE_STATUSES, type MeasureLevel, type MeasureStatus } from '../measure.constants.js';
import { PERIOD_REPORT_STATES } from '../measure-rules.js';

/** The list's filter of a cycle's due measures by reporting state ("all": every due measure). */
export const DUE_FILTERS = ['all', ...PERIOD_REPORT_STATES] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/**
 * What any measure code may hold; whether it follows its plan's rule (Bremen: "3.1-04") is checked with the
 * plan, in measure-write-checks.ts.
 */
const CODE_CHARACTERS = /^[\p{L}\p{N}][\p{L}\p{N}.\-_/]*$/u;
const CODE_MESSAGE = {
  context: {
    german: 'darf nur Buchstaben, Ziffern, Punkt, Bindestrich, Unterstrich und Schrägstrich enthalten',
  },
};
const LEVEL_DESCRIPTION = 'Code einer Ebene des Plans (Bremen: land, bremen, bremerhaven)';
const AREA_DESCRIPTION = 'IDs der Gebiete des Plans (z. B. Bezirksregionen), in denen die Maßnahme wirkt';

/** Fields an editor of the lead department may change; everything else is structural and the admin's. */
export const EDITOR_FIELDS = [
  'description',
  'participatingDepartmentIds',
  'targetGroups',
  'plannedStart',
  'plannedEnd',
  'budget',
] as const;

export class CreateMeasureDto {
  @ApiProperty({ example: '3.1-07', description: 'Kürzel nach dem Muster des Plans' })
  @IsString()
  @MaxLength(30)
  @Matches(CODE_CHARACTERS, CODE_MESSAGE)
  code: string;

  @ApiProperty()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty()
  @IdField()
  actionFieldId: number;

  @ApiProperty({ type: [Number] })
  @ArrayMinSize(1)
  @IdListField(20)
  goalIds: number[];

  @ApiProperty()
  @IdField()
  leadDepartmentId: number;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(30)
  participatingDepartmentIds?: number[];

  @ApiProperty({ type: String, example: 'land', description: LEVEL_DESCRIPTION })
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  level: MeasureLevel;

  @ApiPropertyOptional({ type: [Number], description: AREA_DESCRIPTION })
  @IsOptional()
  @IdListField(100)
  areaIds?: number[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  targetGroups?: string[];

  @ApiPropertyOptional({ example: '2024-01-01', nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @DateField()
  plannedStart?: string | null;

  @ApiPropertyOptional({ example: '2025-12-31', nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @DateField()
  plannedEnd?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Euro' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e12)
  budget?: number | null;
}

export class UpdateMeasureDto {
  @ApiProperty({ description: 'Version, die zuletzt gelesen wurde (optimistische Sperre)' })
  @IdField()
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(30)
  @Matches(CODE_CHARACTERS, CODE_MESSAGE)
  code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(3)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IdField()
  actionFieldId?: number;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @ArrayMinSize(1)
  @IdListField(20)
  goalIds?: number[];

  @ApiPropertyOptional()
  @IsOptional()
  @IdField()
  leadDepartmentId?: number;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IdListField(30)
  participatingDepartmentIds?: number[];

  @ApiPropertyOptional({ type: String, example: 'land', description: LEVEL_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  level?: MeasureLevel;

  @ApiPropertyOptional({ type: [Number], description: AREA_DESCRIPTION })
  @IsOptional()
  @IdListField(100)
  areaIds?: number[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  targetGroups?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @DateField()
  plannedStart?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @DateField()
  plannedEnd?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e12)
  budget?: number | null;
}

export const LIFECYCLE_CHANGES = ['discontinued', 'merged', 'active'] as const;

export class ChangeLifecycleDto {
  @ApiProperty()
  @IdField()
  version: number;

  @ApiProperty({
    enum: LIFECYCLE_CHANGES,
    description: 'discontinued = einstellen, merged = zusammenführen, active = reaktivieren',
  })
  @IsIn(LIFECYCLE_CHANGES)
  lifecycle: (typeof LIFECYCLE_CHANGES)[number];

  @ApiProperty({ description: 'Begründung' })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(5)
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ description: 'Bei merged: die Maßnahme, in der diese aufgeht' })
  @ValidateIf((o: ChangeLifecycleDto) => o.lifecycle === 'merged' || o.mergedIntoId !== undefined)
  @IdField()
  mergedIntoId?: number;
}

export class MeasureQueryDto extends PlanQueryDto {
  @ApiPropertyOptional({ description: 'Ziel-ID(s), kommagetrennt' })
  @IsOptional()
  @IdListQuery()
  goalId?: number[];

  @ApiPropertyOptional({ description: 'Handlungsfeld-ID(s), kommagetrennt' })
  @IsOptional()
  @IdListQuery()
  actionFieldId?: number[];

  @ApiPropertyOptional({ description: 'federführende Ressort-ID(s), kommagetrennt' })
  @IsOptional()
  @IdListQuery()
  leadDepartmentId?: number[];

  @ApiPropertyOptional({
    description: 'Ebene(n) des Plans, kommagetrennt (Bremen: land, bremen, bremerhaven)',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  level?: MeasureLevel[];

  @ApiPropertyOptional({ description: 'Gebiet-ID(s), kommagetrennt: Maßnahmen, die eines davon nennen' })
  @IsOptional()
  @IdListQuery()
  areaId?: number[];

  @ApiPropertyOptional({ description: 'Status, kommagetrennt; "none" für Maßnahmen ohne Meldung' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn([...MEASURE_STATUSES, 'none'], { each: true })
  status?: (MeasureStatus | 'none')[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  targetGroup?: string;

  @ApiPropertyOptional({
    enum: ['active', 'discontinued', 'merged', 'counted', 'all'],
    default: 'all',
    description: '"counted": aktive und eingestellte, wie das Dashboard sie zählt (ohne zusammengeführte)',
  })
  @IsOptional()
  @IsIn(['active', 'discontinued', 'merged', 'counted', 'all'])
  lifecycle?: 'active' | 'discontinued' | 'merged' | 'counted' | 'all';

  @ApiPropertyOptional({
    description:
      'Berichtszyklus-ID: nur die in diesem Zyklus fälligen Maßnahmen (aktiv, bis zum Ende des Zeitraums begonnen, ' +
      'nicht schon vorher umgesetzt), wie die Vollständigkeit des Zyklus sie zählt',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IdField()
  cycleId?: number;

  @ApiPropertyOptional({
    enum: DUE_FILTERS,
    default: 'all',
    description:
      'Nur mit cycleId: Meldestand der fälligen Maßnahmen im Zyklus, wie GET /api/reporting-cycles/{id}/completeness ' +
      'ihn zählt – "all" alle fälligen, "reported" mit Meldung im Zeitraum (gleich welcher Prüfstand), "accepted" ' +
      'mit angenommener, "awaitingReview" mit ungeprüfter Meldung, "returned" letzte Meldung zurückgegeben, ' +
      '"missing" ohne Meldung im Zeitraum',
  })
  @IsOptional()
  @IsIn(DUE_FILTERS)
  @ValidateBy({
    name: 'dueNeedsCycle',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as { cycleId?: unknown } | undefined)?.cycleId !== undefined,
      defaultMessage: () => 'gilt nur zusammen mit cycleId (dem Berichtszyklus)',
    },
  })
  due?: DueFilter;

  @ApiPropertyOptional({ description: 'Volltextsuche in Code, Titel und Beschreibung' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['code', 'title', 'status', 'progress', 'statusDate'], default: 'code' })
  @IsOptional()
  @IsIn(['code', 'title', 'status', 'progress', 'statusDate'])
  sort?: 'code' | 'title' | 'status' | 'progress' | 'statusDate';
}
