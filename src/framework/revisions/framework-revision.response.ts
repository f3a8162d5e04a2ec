/** The documented JSON of revisions (Fortschreibungen), their previews, and a measure's history entries. */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Json, Mirrors } from '../../common/http/openapi-responses.js';
import type { FrameworkRevision, RevisionEffects } from './framework-revision.entity.js';
import { REVISION_SOURCES, type RevisionSource } from './framework-revision.entity.js';
import type { RevisionOutcome } from './framework-revisions.service.js';
import type { MeasureHistory } from './measure-history.entity.js';
import { RevisionChangeDto } from './revision-changes.js';

export class RevisionMeasureEffectResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ description: 'Code nach der Fortschreibung' })
  code: string;

  @ApiProperty({ example: '3.3-01 (Handlungsfeld 3.3, ASJI)' })
  from: string;

  @ApiProperty({ example: '3.3-01 (Handlungsfeld 3.15, ASJI)' })
  to: string;
}

export class RevisionAccountEffectResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  email: string;

  @ApiProperty({ description: 'Ressort-Code vorher' })
  from: string;

  @ApiProperty({ description: 'Ressort-Code nachher' })
  to: string;
}

export class RevisionBodyEffectResponse {
  @ApiProperty()
  code: string;

  @ApiProperty()
  change: string;
}

export class RevisionEffectsResponse {
  @ApiProperty({ type: String, isArray: true, description: 'Jede Änderung in Worten' })
  lines: string[];

  @ApiProperty({ type: RevisionMeasureEffectResponse, isArray: true, description: 'Verschobene Maßnahmen' })
  measures: RevisionMeasureEffectResponse[];

  @ApiProperty({ type: RevisionAccountEffectResponse, isArray: true, description: 'Umgehängte Konten' })
  accounts: RevisionAccountEffectResponse[];

  @ApiProperty({ type: RevisionBodyEffectResponse, isArray: true, description: 'Geänderte Gremien' })
  bodies: RevisionBodyEffectResponse[];
}

export class RevisionChangeLabelResponse {
  @ApiProperty()
  kind: string;

  @ApiProperty()
  label: string;
}

export class RevisionOutcomeResponse {
  @ApiProperty({ description: 'true: Vorschau, nichts wurde gespeichert' })
  dryRun: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null in der Vorschau' })
  revisionId: number | null;

  @ApiProperty({ format: 'date' })
  effectiveDate: string;

  @ApiProperty()
  reason: string;

  @ApiProperty()
  versionBefore: string;

  @ApiProperty()
  versionAfter: string;

  @ApiProperty({ type: RevisionChangeLabelResponse, isArray: true })
  changes: RevisionChangeLabelResponse[];

  @ApiProperty({ type: RevisionEffectsResponse })
  effects: RevisionEffectsResponse;
}

export class FrameworkRevisionResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'Das Rahmenkonzept (der Plan), zu dem der Eintrag gehört' })
  frameworkId: number;

  @ApiProperty({ format: 'date' })
  effectiveDate: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ type: 'integer', nullable: true })
  authorId: number | null;

  @ApiProperty()
  authorName: string;

  @ApiProperty()
  versionBefore: string;

  @ApiProperty()
  versionAfter: string;

  @ApiProperty({ enum: [...REVISION_SOURCES] })
  source: RevisionSource;

  @ApiProperty({ type: RevisionChangeDto, isArray: true })
  changes: RevisionChangeDto[];

  @ApiProperty({ type: RevisionEffectsResponse })
  effects: RevisionEffectsResponse;

  @ApiProperty({ format: 'date-time' })
  appliedAt: string;
}

export class MeasureHistoryResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  measureId: number;

  @ApiProperty({ type: 'integer', description: 'Die Fortschreibung, die die Maßnahme verschoben hat' })
  revisionId: number;

  @ApiProperty({ format: 'date' })
  effectiveDate: string;

  @ApiProperty()
  codeBefore: string;

  @ApiProperty()
  codeAfter: string;

  @ApiProperty()
  actionFieldCodeBefore: string;

  @ApiProperty()
  actionFieldCodeAfter: string;

  @ApiProperty()
  leadDepartmentCodeBefore: string;

  @ApiProperty()
  leadDepartmentCodeAfter: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type FrameworkRevisionResponsesMirror = AllMirror<
  [
    Mirrors<RevisionEffectsResponse, RevisionEffects>,
    Mirrors<RevisionOutcomeResponse, RevisionOutcome>,
    Mirrors<FrameworkRevisionResponse, Json<FrameworkRevision>>,
    Mirrors<MeasureHistoryResponse, Json<MeasureHistory>>,
  ]
>;
