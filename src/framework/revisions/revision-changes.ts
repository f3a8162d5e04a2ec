/**
 * A revision (Fortschreibung) as the API and the framework file express it: an effective date, a reason, the
 * new version label and a list of changes as structured data. Every change names its kind; the fields it
 * needs are checked by kind in framework-revisions.service.ts (with German messages naming the change).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DateField } from '../../common/http/dto-fields.js';
import { DEPARTMENT_KINDS, type DepartmentKind } from '../department.entity.js';
import {
  AreaEntry,
  BodyMemberEntry,
  Cadence,
  IndicatorEntry,
  LevelEntry,
  MeasureCodeEntry,
  ReportingRhythmEntry,
  VocabularyEntry,
} from '../framework-file.js';
import { IdField } from '../../common/http/dto-fields.js';

export const CHANGE_KINDS = [
  'update_framework',
  'add_goal',
  'update_goal',
  'add_field',
  'update_field',
  'retire_field',
  'split_field',
  'merge_fields',
  'add_department',
  'update_department',
  'retire_department',
  'split_department',
  'merge_departments',
  'add_body',
  'update_body',
  'set_indicator',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  update_framework: 'Rahmenkonzept geändert',
  add_goal: 'Ziel neu',
  update_goal: 'Ziel umbenannt/neu beschrieben',
  add_field: 'Handlungsfeld neu',
  update_field: 'Handlungsfeld umbenannt/neu beschrieben',
  retire_field: 'Handlungsfeld aufgehoben',
  split_field: 'Handlungsfeld geteilt',
  merge_fields: 'Handlungsfelder zusammengelegt',
  add_department: 'Ressort neu',
  update_department: 'Ressort umbenannt/neu beschrieben',
  retire_department: 'Ressort aufgehoben',
  split_department: 'Ressort geteilt',
  merge_departments: 'Ressorts zusammengelegt',
  add_body: 'Gremium neu',
  update_body: 'Gremium geändert',
  set_indicator: 'Indikator festgelegt',
};

const CODE = /^[A-Za-z0-9][A-Za-z0-9.\-_]*$/;
const CODE_RULE = {
  context: { german: 'darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten' },
};
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A new entry of a split or the target of a merge: a field (title) or a department (name). */
export class RevisionPartDto {
  @ApiProperty({ example: '3.14' })
  @IsString()
  @Matches(CODE, CODE_RULE)
  @MaxLength(20)
  code: string;

  @ApiPropertyOptional({ description: 'Titel (Handlungsfeld)' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ description: 'Name (Ressort)' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ enum: [...DEPARTMENT_KINDS] })
  @IsOptional()
  @IsIn(DEPARTMENT_KINDS)
  departmentKind?: DepartmentKind;
}

/** Where one measure goes in a split (`to`: one of the new codes), optionally with a new measure code. */
export class MeasureAssignmentDto {
  @ApiProperty({ example: '3.3-01' })
  @IsString()
  @MaxLength(30)
  measureCode: string;

  @ApiPropertyOptional({ description: 'Code des neuen Handlungsfelds oder Ressorts (bei Teilung nötig)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  to?: string;

  @ApiPropertyOptional({ description: 'Neuer Code der Maßnahme; ohne Angabe behält sie ihren Code' })
  @IsOptional()
  @IsString()
  @Matches(CODE, CODE_RULE)
  @MaxLength(30)
  newCode?: string;
}

/** Where one account goes when its department is split. */
export class AccountAssignmentDto {
  @ApiProperty()
  @IsEmail({}, { context: { german: 'muss eine E-Mail-Adresse sein' } })
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'Code des neuen Ressorts' })
  @IsString()
  @MaxLength(20)
  to: string;
}

/** One change of a revision; which fields it needs depends on `kind`. */
export class RevisionChangeDto {
  @ApiProperty({ enum: [...CHANGE_KINDS] })
  @IsIn(CHANGE_KINDS)
  kind: ChangeKind;

  @ApiPropertyOptional({ description: 'Code des betroffenen Ziels, Handlungsfelds, Ressorts oder Gremiums' })
  @IsOptional()
  @IsString()
  @Matches(CODE, CODE_RULE)
  @MaxLength(60)
  code?: string;

  @ApiPropertyOptional({ type: String, isArray: true, description: 'Die zusammengelegten Codes' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  codes?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ enum: [...DEPARTMENT_KINDS] })
  @IsOptional()
  @IsIn(DEPARTMENT_KINDS)
  departmentKind?: DepartmentKind;

  @ApiPropertyOptional({ type: RevisionPartDto, isArray: true, description: 'Teilung: die neuen Einträge' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RevisionPartDto)
  parts?: RevisionPartDto[];

  @ApiPropertyOptional({ type: RevisionPartDto, description: 'Zusammenlegung: das Ergebnis' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RevisionPartDto)
  into?: RevisionPartDto;

  @ApiPropertyOptional({ type: MeasureAssignmentDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => MeasureAssignmentDto)
  measures?: MeasureAssignmentDto[];

  @ApiPropertyOptional({ type: AccountAssignmentDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => AccountAssignmentDto)
  accounts?: AccountAssignmentDto[];

  @ApiPropertyOptional({ description: 'Gremium: Sitzungen je Jahr { min, max }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => Cadence)
  meetingsPerYear?: Cadence;

  @ApiPropertyOptional({ description: 'Gremium: Abstand der Sitzungen in Wochen { min, max }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => Cadence)
  intervalWeeks?: Cadence;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Gremium: die Beteiligungsformate seiner Sitzungen',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(60, { each: true })
  participationFormats?: string[];

  @ApiPropertyOptional({ description: 'Gremium: Mitglieder [{ departmentCode, function }]' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => BodyMemberEntry)
  members?: BodyMemberEntry[];

  @ApiPropertyOptional({ description: 'Indikator wie in der Rahmenkonzept-Datei' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IndicatorEntry)
  indicator?: IndicatorEntry;

  @ApiPropertyOptional({ description: 'Rahmenkonzept: name, region, adopted, staleAfterDays, targetGroups' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}(-\d{2}(-\d{2})?)?$/, { context: { german: 'muss JJJJ, JJJJ-MM oder JJJJ-MM-TT sein' } })
  adopted?: string;

  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  staleAfterDays?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Position in der Reihenfolge (neue und geänderte Einträge)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  sortOrder?: number;

  @ApiPropertyOptional({ type: String, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  targetGroups?: string[];

  @ApiPropertyOptional({
    description: 'Rahmenkonzept: die Wörter des Plans (wie framework.vocabulary der Datei)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => VocabularyEntry)
  vocabulary?: VocabularyEntry;

  @ApiPropertyOptional({ description: 'Rahmenkonzept: Regel der Maßnahmen-Codes { pattern, example }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeasureCodeEntry)
  measureCode?: MeasureCodeEntry;

  @ApiPropertyOptional({ description: 'Rahmenkonzept: Berichtsrhythmus { months, label }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportingRhythmEntry)
  reportingRhythm?: ReportingRhythmEntry;

  @ApiPropertyOptional({ description: 'Rahmenkonzept: die Ebenen [{ code, name }]' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => LevelEntry)
  levels?: LevelEntry[];

  @ApiPropertyOptional({
    description:
      'Rahmenkonzept: die Gebiete [{ code, name, level }]; neue kommen hinzu, keines wird entfernt',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AreaEntry)
  areas?: AreaEntry[];
}

/** The body of POST /api/framework/revisions/preview and …/apply. */
export class RevisionDto {
  @ApiProperty({ example: '2025-07-01', description: 'Ab wann die Fortschreibung gilt' })
  @DateField()
  effectiveDate: string;

  @ApiProperty({ example: 'Senatsbeschluss vom 24.06.2025' })
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(4000)
  reason: string;

  @ApiProperty({ example: 'Fortschreibung 2025', description: 'Versionsbezeichnung nach der Fortschreibung' })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(40)
  versionLabel: string;

  @ApiProperty({
    example: '2021.1',
    description:
      'Die Version des Rahmenkonzepts, auf der die Fortschreibung vorbereitet wurde (GET /api/framework, in der Vorschau „bisher“); ist es inzwischen fortgeschrieben, wird sie mit 409 abgelehnt',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  expectedVersion: string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Der Plan; nötig, wenn die Installation mehrere führt',
  })
  @IsOptional()
  @IdField()
  frameworkId?: number;

  @ApiProperty({ type: RevisionChangeDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RevisionChangeDto)
  changes: RevisionChangeDto[];
}

/** A change as kept in the revision record (plain JSON, no class instance). */
export type RevisionChange = Omit<RevisionChangeDto, never>;
