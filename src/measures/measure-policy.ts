/**
 * Who may do what with a measure and its status reports, checked for the very record: an editor writes only
 * for measures that their department leads, and only the non-structural fields; the admin writes everything;
 * a viewer nothing. Reports go only to active measures; an admin's report counts at once, an editor's waits
 * for review. API, pages, imports and command line all ask these functions.
 */
import { ALLOW, deny, enforce, type PolicyDecision } from '../common/auth/policy.js';
import type { Actor } from '../common/context/request-context.js';
import { EDITOR_FIELDS } from './dto/measure.dto.js';
import { LIFECYCLE_LABELS, type ReviewState } from './measure.constants.js';
import type { Measure } from './measure.entity.js';
import { DepartmentError } from '../framework/department-errors.js';
import { MeasureError } from './measure-errors.js';
import { StatusReportError } from './status-report-errors.js';
import { coordinator, said } from '../framework/request-words.js';

type MeasureRef = Pick<Measure, 'leadDepartmentId' | 'code'>;

export function canWriteMeasure(actor: Actor, measure: MeasureRef): PolicyDecision {
  if (actor.role === 'admin') return ALLOW;
  if (
    actor.role === 'editor' &&
    actor.departmentId !== null &&
    actor.departmentId === measure.leadDepartmentId
  )
    return ALLOW;
  return deny(
    MeasureError.OUT_OF_SCOPE,
    said(
      `Sie dürfen nur Maßnahmen bearbeiten, die Ihr Ressort federführend verantwortet (${measure.code} gehört nicht dazu).`,
      (w) =>
        `Sie dürfen nur ${w.measures} bearbeiten, für die Sie als ${w.organisation} federführend sind (${measure.code} gehört nicht dazu).`,
    ),
  );
}

export function assertCanWriteMeasure(actor: Actor, measure: MeasureRef): void {
  enforce(canWriteMeasure(actor, measure));
}

/** Structural fields (code, title, action field, goals, lead department, level) are the admin's. */
export function canChangeFields(actor: Actor, fields: string[]): PolicyDecision {
  if (actor.role === 'admin') return ALLOW;
  const allowed = new Set<string>(EDITOR_FIELDS);
  const structural = fields.filter((field) => !allowed.has(field));
  if (structural.length === 0) return ALLOW;
  return deny(
    MeasureError.STRUCTURAL_FIELD,
    `Diese Felder darf nur ${coordinator()} ändern: ${structural.join(', ')}.`,
  );
}

export function assertCanChangeFields(actor: Actor, fields: string[]): void {
  enforce(canChangeFields(actor, fields));
}

/** Status reports go only to active measures (whoever writes them: a form, an import, example data). */
export function acceptsReports(measure: Pick<Measure, 'code' | 'lifecycle'>): PolicyDecision {
  if (measure.lifecycle === 'active') return ALLOW;
  return deny(
    MeasureError.NOT_ACTIVE,
    said(
      `Für die Maßnahme ${measure.code} können keine Meldungen mehr abgegeben werden (${LIFECYCLE_LABELS[measure.lifecycle]}).`,
      (w) =>
        `Für ${w.measure} ${measure.code} können keine Meldungen mehr abgegeben werden (${LIFECYCLE_LABELS[measure.lifecycle]}).`,
    ),
    'conflict',
  );
}

/** A status report on this measure by this person. */
export function canReportOn(actor: Actor, measure: MeasureRef & Pick<Measure, 'lifecycle'>): PolicyDecision {
  const write = canWriteMeasure(actor, measure);
  return write.allowed ? acceptsReports(measure) : write;
}

/** Reporting for a whole department (its Erfassungsvorlage, down and up): the admin, or that department's editor. */
export function canReportForDepartment(
  actor: Actor,
  department: { id: number; name: string },
): PolicyDecision {
  if (actor.role === 'admin') return ALLOW;
  if (actor.role === 'editor' && actor.departmentId === department.id) return ALLOW;
  return deny(
    DepartmentError.OUT_OF_SCOPE,
    said(
      `Die Erfassungsvorlage gehört zum Ressort „${department.name}“. Sie können nur die Vorlage Ihres eigenen Ressorts herunterladen und hochladen.`,
      (w) =>
        `Die Erfassungsvorlage gehört zu „${department.name}“ (${w.organisation}). Sie können nur die Vorlage herunterladen und hochladen, für die Sie als ${w.organisation} eingetragen sind.`,
    ),
  );
}

/** The coordinating unit's own reports count at once; a department's wait for review. */
export function initialReviewState(actor: Actor): Extract<ReviewState, 'accepted' | 'submitted'> {
  return actor.role === 'admin' ? 'accepted' : 'submitted';
}

export function canReview(actor: Actor): PolicyDecision {
  return actor.role === 'admin'
    ? ALLOW
    : deny(StatusReportError.REVIEW_ADMIN_ONLY, `Nur ${coordinator()} kann Meldungen prüfen.`);
}
