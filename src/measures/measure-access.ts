/**
 * Department scope, checked for the very record written: an editor writes only for measures that their
 * department leads, and only the non-structural fields; the admin writes everything; a viewer nothing.
 */
import type { Actor } from '../common/context/request-context.js';
import { forbidden } from '../common/http/domain-errors.js';
import { EDITOR_FIELDS } from './dto/measure.dto.js';
import type { Measure } from './measure.entity.js';

export function assertCanWriteMeasure(
  actor: Actor,
  measure: Pick<Measure, 'leadDepartmentId' | 'code'>,
): void {
  if (actor.role === 'admin') return;
  if (
    actor.role === 'editor' &&
    actor.departmentId !== null &&
    actor.departmentId === measure.leadDepartmentId
  ) {
    return;
  }
  throw forbidden(
    'MEASURE.OUT_OF_SCOPE',
    `Sie dürfen nur Maßnahmen bearbeiten, die Ihr Ressort federführend verantwortet (${measure.code} gehört nicht dazu).`,
  );
}

/** Structural fields (code, title, action field, goals, lead department, level) are the admin's. */
export function assertCanChangeFields(actor: Actor, fields: string[]): void {
  if (actor.role === 'admin') return;
  const allowed = new Set<string>(EDITOR_FIELDS);
  const structural = fields.filter((field) => !allowed.has(field));
  if (structural.length > 0) {
    throw forbidden(
      'MEASURE.STRUCTURAL_FIELD',
      `Diese Felder darf nur die Koordinierungsstelle ändern: ${structural.join(', ')}.`,
    );
  }
}
