/**
 * The framework file format (documented in data/README.md): goals, action fields, departments, target groups,
 * governance bodies with cadence, reporting cycles and indicator definitions. Parsed and validated here; every
 * problem is reported with the file, the path inside it and a German message.
 */
import { readFile } from 'node:fs/promises';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  ValidateNested,
  validateSync,
} from 'class-validator';
import { DateField } from '../common/http/dto-fields.js';
import { flattenValidationErrors } from '../common/http/validation.js';
import { DEPARTMENT_KINDS, type DepartmentKind } from './department.entity.js';
import { INDICATOR_DIRECTIONS, type IndicatorDirection } from '../indicators/indicator.entity.js';

const CODE = /^[A-Za-z0-9][A-Za-z0-9.\-_]*$/;

class FrameworkInfo {
  @Matches(CODE) @MaxLength(60) code: string;
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsString() @MinLength(1) @MaxLength(200) region: string;
  @Matches(/^\d{4}(-\d{2}(-\d{2})?)?$/) adopted: string;
  @IsString() @MinLength(1) @MaxLength(40) version: string;
  @IsOptional() @IsInt() @Min(1) @Max(3650) staleAfterDays?: number;
  /** Whether the measures' budgets are part of the public data (default false; the admin may change it). */
  @IsOptional() @IsBoolean() publicBudget?: boolean;
}

class CodedTitle {
  @Matches(CODE) @MaxLength(20) code: string;
  @IsString() @MinLength(1) @MaxLength(300) title: string;
  @IsOptional() @IsString() @MaxLength(4000) description?: string;
}

class DepartmentEntry {
  @Matches(CODE) @MaxLength(20) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @IsOptional() @IsIn(DEPARTMENT_KINDS) kind?: DepartmentKind;
}

export class Cadence {
  @IsInt() @Min(0) @Max(366) min: number;
  @IsOptional() @IsInt() @Min(0) @Max(366) max: number | null;
}

export class BodyMemberEntry {
  @IsString() departmentCode: string;
  @IsString() @MinLength(1) @MaxLength(200) function: string;
}

class GovernanceBodyEntry {
  @Matches(CODE) @MaxLength(60) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ValidateNested() @Type(() => Cadence) meetingsPerYear: Cadence;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BodyMemberEntry)
  members?: BodyMemberEntry[];
}

class ReportingCycleEntry {
  @Matches(CODE) @MaxLength(40) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @DateField() periodStart: string;
  @DateField() periodEnd: string;
  @DateField() inputDeadline: string;
  @IsOptional() @DateField() publicationTarget?: string;
}

class YearValue {
  @IsInt() @Min(1900) @Max(2200) year: number;
  @IsNumber() value: number;
  @IsOptional() @IsString() @MaxLength(300) note?: string;
}

export class IndicatorEntry {
  @Matches(CODE) @MaxLength(30) code: string;
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsOptional() @IsString() @MaxLength(4000) definition?: string;
  @IsOptional() @IsString() @MaxLength(30) unit?: string;
  @IsOptional() @IsString() @MaxLength(300) source?: string;
  @IsOptional() @IsString() actionFieldCode?: string | null;
  @IsOptional() @IsIn(INDICATOR_DIRECTIONS) direction?: IndicatorDirection;
  @IsOptional() @ValidateNested() @Type(() => YearValue) baseline?: YearValue;
  @IsOptional() @ValidateNested() @Type(() => YearValue) target?: YearValue;
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  groups?: string[];
}

export class FrameworkFile {
  @IsIn([1]) formatVersion: number;
  @ValidateNested() @Type(() => FrameworkInfo) framework: FrameworkInfo;
  @IsArray() @ValidateNested({ each: true }) @Type(() => CodedTitle) goals: CodedTitle[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => CodedTitle) actionFields: CodedTitle[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => DepartmentEntry) departments: DepartmentEntry[];
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  targetGroups?: string[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GovernanceBodyEntry)
  governanceBodies?: GovernanceBodyEntry[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ReportingCycleEntry)
  reportingCycles?: ReportingCycleEntry[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => IndicatorEntry)
  indicators?: IndicatorEntry[];
}

export class FrameworkFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (und ${problems.length - 10} weitere)` : ''}`,
    );
  }
}

/** "goals.3.title" → "goals[3].title" */
function jsonPath(field: string): string {
  return field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

function duplicates(entries: { code: string }[] | undefined, path: string): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  (entries ?? []).forEach((entry, index) => {
    if (seen.has(entry.code)) problems.push(`${path}[${index}].code: Code "${entry.code}" kommt doppelt vor`);
    seen.add(entry.code);
  });
  return problems;
}

/** Validates parsed JSON as a framework file; throws FrameworkFileError listing every problem. */
export function parseFrameworkFile(raw: unknown, file: string): FrameworkFile {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FrameworkFileError(file, ['(Wurzel): muss ein JSON-Objekt sein']);
  }
  const parsed = plainToInstance(FrameworkFile, raw);
  const errors = validateSync(parsed, { whitelist: true, forbidNonWhitelisted: true });
  const problems = flattenValidationErrors(errors).map(
    (e) => `${jsonPath(e.field)}: ${e.messages.join(', ')}`,
  );
  if (problems.length > 0) throw new FrameworkFileError(file, problems);

  problems.push(
    ...duplicates(parsed.goals, 'goals'),
    ...duplicates(parsed.actionFields, 'actionFields'),
    ...duplicates(parsed.departments, 'departments'),
    ...duplicates(parsed.governanceBodies, 'governanceBodies'),
    ...duplicates(parsed.reportingCycles, 'reportingCycles'),
    ...duplicates(parsed.indicators, 'indicators'),
  );
  if (parsed.goals.length === 0) problems.push('goals: mindestens ein Ziel ist nötig');
  if (parsed.actionFields.length === 0) problems.push('actionFields: mindestens ein Handlungsfeld ist nötig');
  if (parsed.departments.length === 0) problems.push('departments: mindestens ein Ressort ist nötig');
  const departmentCodes = new Set(parsed.departments.map((d) => d.code));
  const fieldCodes = new Set(parsed.actionFields.map((f) => f.code));
  (parsed.governanceBodies ?? []).forEach((body, i) => {
    const { min, max } = body.meetingsPerYear;
    if (max !== null && max !== undefined && max < min) {
      problems.push(`governanceBodies[${i}].meetingsPerYear: max (${max}) ist kleiner als min (${min})`);
    }
    (body.members ?? []).forEach((member, j) => {
      if (!departmentCodes.has(member.departmentCode)) {
        problems.push(
          `governanceBodies[${i}].members[${j}].departmentCode: unbekanntes Ressort "${member.departmentCode}"`,
        );
      }
    });
  });
  (parsed.reportingCycles ?? []).forEach((cycle, i) => {
    if (cycle.periodEnd < cycle.periodStart) {
      problems.push(`reportingCycles[${i}].periodEnd: liegt vor periodStart`);
    }
    if (cycle.inputDeadline < cycle.periodStart) {
      problems.push(`reportingCycles[${i}].inputDeadline: liegt vor periodStart`);
    }
  });
  (parsed.indicators ?? []).forEach((indicator, i) => {
    if (indicator.actionFieldCode && !fieldCodes.has(indicator.actionFieldCode)) {
      problems.push(
        `indicators[${i}].actionFieldCode: unbekanntes Handlungsfeld "${indicator.actionFieldCode}"`,
      );
    }
  });
  if (problems.length > 0) throw new FrameworkFileError(file, problems);
  return parsed;
}

export async function readFrameworkFile(file: string): Promise<FrameworkFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new FrameworkFileError(file, ['Datei kann nicht gelesen werden']);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FrameworkFileError(file, [
      `kein gültiges JSON (${error instanceof Error ? error.message : ''})`,
    ]);
  }
  return parseFrameworkFile(raw, file);
}
