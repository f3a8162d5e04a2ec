/**
 * The change history of a measure (MeasureChange): appending an entry with its reason and decision, and the
 * one-line summary of what an update changed.
 */
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/context/request-context.js';
import type { UpdateMeasureDto } from './dto/measure.dto.js';
import { MeasureChange, type MeasureChangeKind } from './measure-change.entity.js';
import type { Measure } from './measure.entity.js';

/** Appends a MeasureChange: what happened to the measure, why, and by which decision. */
export async function recordChange(
  manager: EntityManager,
  measureId: number,
  kind: MeasureChangeKind,
  actor: Actor,
  details: { decisionId?: number | null; reason?: string; summary?: string; isExample?: boolean } = {},
): Promise<void> {
  await manager.save(
    MeasureChange,
    manager.create(MeasureChange, {
      measureId,
      kind,
      decisionId: details.decisionId ?? null,
      reason: (details.reason ?? '').slice(0, 4000),
      summary: details.summary ?? '',
      userId: actor.id || null,
      isExample: details.isExample ?? false,
    }),
  );
}

/** The fields a change names (an undefined one is left as it is). */
export function givenFields(changes: object): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}

/** "Ende: 2025-12-31 → 2027-12-31; Titel geändert" for the change history. */
export function describeChanges(measure: Measure, changes: Omit<UpdateMeasureDto, 'version'>): string {
  const labels: Record<string, string> = {
    code: 'Code',
    title: 'Titel',
    description: 'Beschreibung',
    level: 'Ebene',
    budget: 'Budget',
    plannedStart: 'Beginn',
    plannedEnd: 'Ende',
    actionFieldId: 'Handlungsfeld',
    leadDepartmentId: 'Federführung',
    goalIds: 'Ziele',
    areaIds: 'Gebiete',
    participatingDepartmentIds: 'Beteiligte Ressorts',
    targetGroups: 'Zielgruppen',
  };
  const show = (v: unknown): string =>
    typeof v === 'string' || typeof v === 'number'
      ? String(v)
      : v === null || v === undefined
        ? '–'
        : JSON.stringify(v);
  return givenFields(changes)
    .map((field) => {
      const before = (measure as unknown as Record<string, unknown>)[field];
      const after = (changes as Record<string, unknown>)[field];
      return field === 'description' || before === undefined
        ? `${labels[field] ?? field} geändert`
        : `${labels[field] ?? field}: ${show(before)} → ${show(after)}`;
    })
    .join('; ');
}
