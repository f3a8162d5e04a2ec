/**
 * The example data format (data/examples/*.json, documented in data/README.md): measures with their status
 * report history, referencing the framework by codes. Loaded only in demo mode and flagged as Beispieldaten.
 */
import { readFile } from 'node:fs/promises';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { flattenValidationErrors } from '../common/http/validation.js';
import {
  DECISION_KINDS,
  DECISION_STATES,
  type DecisionKind,
  type DecisionState,
  PARTICIPATION_TYPES,
  type ParticipationType,
} from '../governance/governance.constants.js';
import {
  MEASURE_STATUSES,
  REVIEW_STATES,
  type MeasureLevel,
  type MeasureStatus,
  type ReviewState,
} from '../measures/measure.constants.js';
import { FrameworkFileError } from '../framework/framework-file.js';
import { CYCLE_STATES, type CycleState } from '../reporting/reporting-cycle.entity.js';

class ExampleReport {
  @IsString() reportedAt: string;
  @IsIn(MEASURE_STATUSES) status: MeasureStatus;
  @IsInt() @Min(0) @Max(100) progress: number;
  @IsString() summary: string;
  @IsOptional() @IsString() obstacles?: string;
  @IsOptional() @IsString() nextSteps?: string;
  @IsIn(REVIEW_STATES) reviewState: ReviewState;
  @IsOptional() @IsString() reviewComment?: string;
}

class ExampleMeasure {
  @IsString() code: string;
  @IsString() title: string;
  @IsOptional() @IsString() description?: string;
  @IsString() actionFieldCode: string;
  @IsArray() @IsString({ each: true }) goalCodes: string[];
  @IsString() leadDepartmentCode: string;
  @IsOptional() @IsArray() @IsString({ each: true }) participatingDepartmentCodes?: string[];
  /** One of the plan's levels (checked when the measure is created). */
  @IsString() level: MeasureLevel;
  @IsOptional() @IsArray() @IsString({ each: true }) targetGroups?: string[];
  @IsOptional() plannedStart?: string | null;
  @IsOptional() plannedEnd?: string | null;
  @IsOptional() budget?: number | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ExampleReport) statusReports: ExampleReport[];
}

class ExampleMeeting {
  @IsString() key: string;
  @IsString() bodyCode: string;
  @IsString() date: string;
  @IsString() title: string;
  @IsOptional() @IsString() place?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) attendingDepartmentCodes?: string[];
  @IsOptional() @IsString() agenda?: string;
  @IsOptional() @IsString() minutesSummary?: string;
  @IsOptional() @IsIn(PARTICIPATION_TYPES) participationType?: ParticipationType;
  @IsOptional() @IsArray() @IsString({ each: true }) topicActionFieldCodes?: string[];
  @IsOptional() @IsInt() @Min(0) participantCount?: number;
}

class ExampleApply {
  @IsIn(['discontinue', 'extend']) action: 'discontinue' | 'extend';
  @IsString() measureCode: string;
  @IsOptional() @IsString() plannedEnd?: string;
}

class ExampleDecision {
  @IsString() meetingKey: string;
  @IsIn(DECISION_KINDS) kind: DecisionKind;
  @IsString() text: string;
  @IsOptional() @IsArray() @IsString({ each: true }) measureCodes?: string[];
  @IsString() responsibleDepartmentCode: string;
  @IsOptional() @IsString() dueDate?: string;
  @IsIn(DECISION_STATES) state: DecisionState;
  @IsOptional() @ValidateNested() @Type(() => ExampleApply) apply?: ExampleApply;
}

class ExampleIndicatorValue {
  @IsString() code: string;
  @IsInt() year: number;
  @IsString() group: string;
  @IsNumber() value: number;
}

class ExampleCycleState {
  @IsString() code: string;
  @IsIn(CYCLE_STATES) state: CycleState;
}

export class ExampleDataFile {
  @IsIn([1]) formatVersion: number;
  @IsString() frameworkCode: string;
  @IsOptional() @IsString() description?: string;
  /** The day the data was written: its dates move forward by the whole years since (example-data-dates.ts). */
  @IsOptional() @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) writtenAt?: string;
  /** States the demo's cycles are moved to after loading (closing takes the snapshot as usual). */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExampleCycleState)
  reportingCycles?: ExampleCycleState[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExampleMeeting)
  meetings?: ExampleMeeting[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExampleDecision)
  decisions?: ExampleDecision[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ExampleIndicatorValue)
  indicatorValues?: ExampleIndicatorValue[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => ExampleMeasure) measures: ExampleMeasure[];
}

export async function readExampleDataFile(file: string): Promise<ExampleDataFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FrameworkFileError(file, [
      `nicht lesbar oder kein gültiges JSON (${error instanceof Error ? error.message : ''})`,
    ]);
  }
  const parsed = plainToInstance(ExampleDataFile, raw);
  const errors = validateSync(parsed, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw new FrameworkFileError(
      file,
      flattenValidationErrors(errors).map((e) => `${e.field}: ${e.messages.join(', ')}`),
    );
  }
  return parsed;
}
