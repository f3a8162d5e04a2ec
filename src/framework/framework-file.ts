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

/** The plan's words for its parts; each left out is the Bremen word (DEFAULT_VOCABULARY). */
export class VocabularyEntry {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) goal?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) goals?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) field?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) fields?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) measure?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) measures?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) organisation?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) organisations?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) body?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) bodies?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) report?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(60) reports?: string;
}

/** How the plan's measure codes look: a regular expression (matched whole) and an example shown in errors. */
export class MeasureCodeEntry {
  @IsString() @MinLength(1) @MaxLength(200) pattern: string;
  @IsString() @MinLength(1) @MaxLength(30) example: string;
}

/** How often the plan reports: every so many months (12 yearly, 24 every two years), with a label. */
export class ReportingRhythmEntry {
  @IsInt() @Min(1) @Max(120) months: number;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) label?: string;
}

class FrameworkInfo {
  @Matches(CODE) @MaxLength(60) code: string;
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsString() @MinLength(1) @MaxLength(200) region: string;
  @Matches(/^\d{4}(-\d{2}(-\d{2})?)?$/) adopted: string;
  @IsString() @MinLength(1) @MaxLength(40) version: string;
  @IsOptional() @IsInt() @Min(1) @Max(3650) staleAfterDays?: number;
  /** Whether the measures' budgets are part of the public data (default false; the admin may change it). */
  @IsOptional() @IsBoolean() publicBudget?: boolean;
  @IsOptional() @ValidateNested() @Type(() => VocabularyEntry) vocabulary?: VocabularyEntry;
  @IsOptional() @ValidateNested() @Type(() => MeasureCodeEntry) measureCode?: MeasureCodeEntry;
  @IsOptional() @ValidateNested() @Type(() => ReportingRhythmEntry) reportingRhythm?: ReportingRhythmEntry;
}

/** A level a measure works on (Land, Stadtgemeinde, Bezirk …). */
export class LevelEntry {
  @Matches(CODE) @MaxLength(30) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
}

/** An area a measure may name (e.g. a Bezirksregion), optionally within a level. */
export class AreaEntry {
  @Matches(CODE) @MaxLength(30) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsString() @MaxLength(30) level?: string;
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

/** A member of a body: an organisation (departmentCode) with its representative's function, or a person by function alone. */
export class BodyMemberEntry {
  @IsOptional() @IsString() departmentCode?: string;
  @IsString() @MinLength(1) @MaxLength(200) function: string;
}

class GovernanceBodyEntry {
  @Matches(CODE) @MaxLength(60) code: string;
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsString() @MaxLength(4000) description?: string;
  /** Cadence: meetings per year, or an interval in weeks between meetings (exactly one of the two). */
  @IsOptional() @ValidateNested() @Type(() => Cadence) meetingsPerYear?: Cadence;
  @IsOptional() @ValidateNested() @Type(() => Cadence) intervalWeeks?: Cadence;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BodyMemberEntry)
  members?: BodyMemberEntry[];
  /** The participation formats its meetings may be (Workshop, Webinar, Fachtag …); none: plain meetings. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(60, { each: true })
  participationFormats?: string[];
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
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => LevelEntry) levels?: LevelEntry[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => AreaEntry) areas?: AreaEntry[];
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

/** Bremen's levels: every plan's levels unless its file names its own. */
export const DEFAULT_LEVELS: readonly LevelEntry[] = Object.freeze([
  { code: 'land', name: 'Land Bremen' },
  { code: 'bremen', name: 'Stadtgemeinde Bremen' },
  { code: 'bremerhaven', name: 'Stadtgemeinde Bremerhaven' },
]);

/** Bremen's measure codes ("3.1-04"): every plan's unless its file says its own. */
export const DEFAULT_MEASURE_CODE: Readonly<MeasureCodeEntry> = Object.freeze({
  pattern: '\\d+(\\.\\d+)*-[0-9A-Za-z]{1,10}',
  example: '3.1-04',
});

export const DEFAULT_REPORTING_RHYTHM: Readonly<Required<ReportingRhythmEntry>> = Object.freeze({
  months: 24,
  label: 'alle zwei Jahre',
});

/** The plan's code rule as a regular expression matched against the whole code. */
export function measureCodeRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** The label of a reporting rhythm: the one the file gives, else "alle N Monate". */
export function rhythmLabel(rhythm: ReportingRhythmEntry | undefined): string {
  if (!rhythm) return DEFAULT_REPORTING_RHYTHM.label;
  return rhythm.label ?? `alle ${rhythm.months} Monate`;
}

export function measureCodeProblems(entry: MeasureCodeEntry | undefined): string[] {
  if (!entry) return [];
  let pattern: RegExp;
  try {
    pattern = measureCodeRegExp(entry.pattern);
  } catch {
    return ['framework.measureCode.pattern: kein gültiger regulärer Ausdruck'];
  }
  return pattern.test(entry.example)
    ? []
    : [`framework.measureCode.example: "${entry.example}" passt nicht zum Muster`];
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
    ...duplicates(parsed.levels, 'levels'),
    ...duplicates(parsed.areas, 'areas'),
  );
  problems.push(...measureCodeProblems(parsed.framework.measureCode));
  if (parsed.levels && parsed.levels.length === 0) problems.push('levels: mindestens eine Ebene ist nötig');
  const levelCodes = new Set((parsed.levels ?? DEFAULT_LEVELS).map((l) => l.code));
  (parsed.areas ?? []).forEach((area, i) => {
    if (area.level !== undefined && !levelCodes.has(area.level))
      problems.push(`areas[${i}].level: unbekannte Ebene "${area.level}"`);
  });
  if (parsed.goals.length === 0) problems.push('goals: mindestens ein Ziel ist nötig');
  if (parsed.actionFields.length === 0) problems.push('actionFields: mindestens ein Handlungsfeld ist nötig');
  if (parsed.departments.length === 0) problems.push('departments: mindestens ein Ressort ist nötig');
  const departmentCodes = new Set(parsed.departments.map((d) => d.code));
  const fieldCodes = new Set(parsed.actionFields.map((f) => f.code));
  (parsed.governanceBodies ?? []).forEach((body, i) => {
    if (!body.meetingsPerYear === !body.intervalWeeks) {
      problems.push(
        `governanceBodies[${i}]: genau eines von meetingsPerYear (Sitzungen im Jahr) oder intervalWeeks (Abstand in Wochen) angeben`,
      );
    }
    for (const key of ['meetingsPerYear', 'intervalWeeks'] as const) {
      const cadence = body[key];
      if (!cadence) continue;
      const { min, max } = cadence;
      if (max !== null && max !== undefined && max < min) {
        problems.push(`governanceBodies[${i}].${key}: max (${max}) ist kleiner als min (${min})`);
      }
      if (key === 'intervalWeeks' && min < 1) {
        problems.push(`governanceBodies[${i}].intervalWeeks.min: muss mindestens 1 Woche sein`);
      }
    }
    (body.members ?? []).forEach((member, j) => {
      if (member.departmentCode !== undefined && !departmentCodes.has(member.departmentCode)) {
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
