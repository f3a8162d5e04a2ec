/**
 * The measure form (create and edit): which inputs a person sees, and how the posted strings become the
 * body of the API (CreateMeasureDto / UpdateMeasureDto) before the same DTO validates them. German dates
 * (TT.MM.JJJJ) and amounts (1.234,50) are converted first; nothing else is interpreted.
 */
import type { Actor } from '../common/context/request-context.js';
import { canChangeFields } from '../measures/measure-policy.js';
import type { MeasureView } from '../measures/measure.view.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { wordedIn } from '../framework/request-words.js';

export const MEASURE_FIELDS = [
  'code',
  'title',
  'description',
  'actionFieldId',
  'goalIds',
  'leadDepartmentId',
  'participatingDepartmentIds',
  'level',
  'areaIds',
  'targetGroups',
  'plannedStart',
  'plannedEnd',
  'budget',
] as const;
export type MeasureField = (typeof MEASURE_FIELDS)[number];

export const MEASURE_FIELD_LABELS: Record<string, string> = {
  code: 'Code',
  title: 'Titel',
  description: 'Beschreibung',
  actionFieldId: 'Handlungsfeld',
  goalIds: 'Ziele',
  leadDepartmentId: 'Federführendes Ressort',
  participatingDepartmentIds: 'Beteiligte Ressorts',
  level: 'Ebene',
  areaIds: 'Gebiete',
  targetGroups: 'Zielgruppen',
  plannedStart: 'Geplanter Beginn',
  plannedEnd: 'Geplantes Ende',
  budget: 'Budget',
  version: 'Version',
};

/** The labels in the words of the measure's plan (those of the form itself, see measure-form.njk). */
export function measureFieldLabels(w: PlanVocabulary): Record<string, string> {
  return {
    ...MEASURE_FIELD_LABELS,
    actionFieldId: w.field,
    goalIds: w.goals,
    leadDepartmentId: wordedIn(w, 'Federführendes Ressort', `Federführung (${w.organisation})`),
    participatingDepartmentIds: `Beteiligte ${w.organisations}`,
  };
}

const ID_FIELDS = new Set(['actionFieldId', 'leadDepartmentId']);
const ID_LIST_FIELDS = new Set(['goalIds', 'participatingDepartmentIds', 'areaIds']);
const LIST_FIELDS = new Set(['goalIds', 'participatingDepartmentIds', 'areaIds', 'targetGroups']);
const DATE_FIELDS = new Set(['plannedStart', 'plannedEnd']);

/** The inputs this person may change: everything for the admin, the non-structural fields for the lead editor. */
export function editableFields(actor: Actor): MeasureField[] {
  return MEASURE_FIELDS.filter((field) => canChangeFields(actor, [field]).allowed);
}

/** "5.3.2025" or "05.03.2025" → "2025-03-05"; anything else is left for the validation to name. */
export function isoDate(text: string): string {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  return match ? `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}` : text.trim();
}

/** "1.234,50" / "1234,5" / "25.000" / "25000.5" → a number; anything else stays text for the validation. */
export function amount(text: string): number | string {
  const t = text.trim().replace(/\s|€/g, '');
  let normal = t;
  if (t.includes(',')) normal = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(t)) normal = t.replace(/\./g, '');
  return /^\d+(\.\d+)?$/.test(normal) ? Number(normal) : text;
}

function asList(raw: unknown): string[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String).filter((v) => v !== '');
}

/**
 * The API body from the posted form: every measure field that was posted, as PATCH reads it (a structural
 * field sent by someone who may not change it thus reaches the policy and is refused there, not silently
 * dropped). In an edit, an emptied field clears the value (null, "" or []). Check-box groups carry an empty
 * hidden field of their name, so that a group with nothing ticked still arrives (as an empty list).
 */
export function measureBody(form: Record<string, unknown>, mode: 'create' | 'edit'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of MEASURE_FIELDS) {
    const raw = form[field];
    if (raw === undefined) continue;
    if (LIST_FIELDS.has(field)) {
      const list = asList(raw);
      body[field] = ID_LIST_FIELDS.has(field)
        ? list.map((v) => (/^\d{1,10}$/.test(v) ? Number(v) : v))
        : list;
      continue;
    }
    const text = typeof raw === 'string' ? raw : raw === undefined ? '' : raw;
    if (text === '') {
      if (mode === 'edit' && (DATE_FIELDS.has(field) || field === 'budget')) body[field] = null;
      else if (mode === 'edit' && field === 'description') body[field] = '';
      continue;
    }
    if (typeof text !== 'string') body[field] = text;
    else if (ID_FIELDS.has(field)) body[field] = /^\d{1,10}$/.test(text.trim()) ? Number(text) : text;
    else if (DATE_FIELDS.has(field)) body[field] = isoDate(text);
    else if (field === 'budget') body[field] = amount(text);
    else body[field] = text;
  }
  if (mode === 'edit') {
    const version = typeof form.version === 'string' ? form.version.trim() : '';
    body.version = /^\d{1,10}$/.test(version) ? Number(version) : version || undefined;
  }
  return body;
}

/** The DTO names the ISO format; the form accepts the German one too and says so (for `dateFields`). */
export function formFieldErrors(
  errors: { field: string; messages: string[] }[],
  dateFields: ReadonlySet<string> = DATE_FIELDS,
): { field: string; messages: string[] }[] {
  return errors.map((e) =>
    dateFields.has(e.field)
      ? {
          field: e.field,
          messages: e.messages.map((m) =>
            m === 'muss ein Datum im Format JJJJ-MM-TT sein'
              ? 'muss ein Datum im Format TT.MM.JJJJ (oder JJJJ-MM-TT) sein'
              : m,
          ),
        }
      : e,
  );
}

/** The stored measure as the form shows it: German dates and amounts, ids as lists. */
export function measureFormValues(measure: MeasureView): Record<string, unknown> {
  const german = (iso: string | null): string =>
    iso ? iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3.$2.$1') : '';
  return {
    code: measure.code,
    title: measure.title,
    description: measure.description,
    actionFieldId: String(measure.actionFieldId),
    goalIds: measure.goalIds.map(String),
    leadDepartmentId: String(measure.leadDepartmentId),
    participatingDepartmentIds: measure.participatingDepartmentIds.map(String),
    level: measure.level,
    areaIds: measure.areaIds.map(String),
    targetGroups: measure.targetGroups,
    plannedStart: german(measure.plannedStart),
    plannedEnd: german(measure.plannedEnd),
    budget: measure.budget == null ? '' : String(measure.budget).replace('.', ','),
    version: String(measure.version),
  };
}

/** Posted values back into the form as typed (lists always as lists of strings). */
export function typedValues(form: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(form)) {
    if (key === '_csrf') continue;
    values[key] = LIST_FIELDS.has(key) ? asList(raw) : raw;
  }
  for (const field of LIST_FIELDS) values[field] ??= [];
  return values;
}
