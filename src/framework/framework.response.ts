/** The documented JSON of the framework and its master data: goals, action fields, departments. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../common/http/openapi-responses.js';
import type { ActionField } from './action-field.entity.js';
import { type Department, DEPARTMENT_KINDS, type DepartmentKind } from './department.entity.js';
import type { Framework } from './framework.entity.js';
import type { ActionFieldWithCounts } from './framework.service.js';
import type { Goal } from './goal.entity.js';
import type { Area } from './area.entity.js';
import type { PlanSummary, PlanVocabulary } from './plans.service.js';

export class FrameworkResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  region: string;

  @ApiProperty({ description: 'Beschlussdatum: JJJJ, JJJJ-MM oder JJJJ-MM-TT' })
  adopted: string;

  @ApiProperty()
  version: string;

  @ApiProperty({
    type: 'integer',
    description: 'Nach so vielen Tagen ohne Meldung gilt eine Maßnahme als veraltet',
  })
  staleAfterDays: number;

  @ApiProperty({ type: String, isArray: true })
  targetGroups: string[];

  @ApiProperty()
  sourceFile: string;

  @ApiProperty()
  demoMode: boolean;

  @ApiProperty({ description: 'Budget der Maßnahmen in den öffentlichen Seiten und Daten' })
  publicBudget: boolean;

  @ApiProperty({ type: 'integer', description: 'Version der Einstellungen (optimistische Sperre)' })
  settingsVersion: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Version der zuletzt übernommenen Rahmenkonzept-Datei (version oben: nach Fortschreibungen)',
  })
  fileVersion: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description:
      'Die Wörter des Plans aus seiner Datei (fehlende: die Bremer Wörter); vollständig in GET /api/frameworks',
  })
  vocabulary: Partial<Record<string, string>> | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
    nullable: true,
    description:
      'Ebenen, auf denen Maßnahmen wirken; null: Land Bremen, Stadtgemeinden Bremen und Bremerhaven',
  })
  levels: { code: string; name: string }[] | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Regel der Maßnahmen-Kürzel (regulärer Ausdruck für das ganze Kürzel); null: wie 3.1-04',
  })
  measureCodePattern: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Beispiel eines gültigen Kürzels' })
  measureCodeExample: string | null;

  @ApiProperty({ type: 'integer', description: 'Berichtsrhythmus in Monaten (24: alle zwei Jahre)' })
  reportingRhythmMonths: number;

  @ApiProperty({ description: 'Berichtsrhythmus in Worten' })
  reportingRhythmLabel: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class PlanVocabularyResponse {
  @ApiProperty({ example: 'Ziel' })
  goal: string;

  @ApiProperty({ example: 'Ziele' })
  goals: string;

  @ApiProperty({ example: 'Handlungsfeld' })
  field: string;

  @ApiProperty({ example: 'Handlungsfelder' })
  fields: string;

  @ApiProperty({ example: 'Maßnahme' })
  measure: string;

  @ApiProperty({ example: 'Maßnahmen' })
  measures: string;

  @ApiProperty({ example: 'Ressort' })
  organisation: string;

  @ApiProperty({ example: 'Ressorts' })
  organisations: string;

  @ApiProperty({ example: 'Gremium' })
  body: string;

  @ApiProperty({ example: 'Gremien' })
  bodies: string;

  @ApiProperty({ example: 'Umsetzungsbericht' })
  report: string;

  @ApiProperty({ example: 'Umsetzungsberichte' })
  reports: string;
}

export class PlanResponse {
  @ApiProperty({ type: 'integer', description: 'Die frameworkId der Einträge dieses Plans' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  region: string;

  @ApiProperty({
    type: PlanVocabularyResponse,
    description: 'Die Begriffe des Plans (Ziel, Handlungsfeld, …)',
  })
  vocabulary: PlanVocabularyResponse;
}

export class GoalResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: '2.1' })
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;
}

export class AreaResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: 'mitte' })
  code: string;

  @ApiProperty({ example: 'Mitte' })
  name: string;

  @ApiProperty({ type: String, nullable: true, description: 'Code der Ebene des Plans, in der es liegt' })
  levelCode: string | null;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;
}

export class ActionFieldResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ example: '3.1' })
  code: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Von einer Fortschreibung aufgehoben (zusammengelegt, geteilt) am; sonst null',
  })
  retiredOn: string | null;

  @ApiProperty({ type: 'integer', description: 'Maßnahmen in diesem Handlungsfeld' })
  measureCount: number;

  @ApiProperty({ type: 'integer', description: 'davon aktive' })
  activeMeasureCount: number;
}

export class DepartmentResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: [...DEPARTMENT_KINDS] })
  kind: DepartmentKind;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Von einer Fortschreibung aufgehoben (zusammengelegt, geteilt) am; sonst null',
  })
  retiredOn: string | null;
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type FrameworkResponsesMirror = AllMirror<
  [
    Mirrors<FrameworkResponse, Json<Omit<Framework, 'fileContent'>>>,
    Mirrors<PlanVocabularyResponse, PlanVocabulary>,
    Mirrors<PlanResponse, PlanSummary>,
    Mirrors<GoalResponse, Goal>,
    Mirrors<AreaResponse, Area>,
    Mirrors<ActionFieldResponse, ActionFieldWithCounts>,
    Mirrors<Omit<ActionFieldResponse, 'measureCount' | 'activeMeasureCount'>, ActionField>,
    Mirrors<DepartmentResponse, Department>,
  ]
>;
