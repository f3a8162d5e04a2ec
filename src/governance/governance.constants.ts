/**
 * A meeting's participation format is one of its body's formats (governance_bodies.participationFormats),
 * stored by its name ("Workshop", "übergreifend"). Bremen's meetings were first stored with two codes; these
 * are their names, and an API client that still sends a code is understood.
 */
export const PARTICIPATION_TYPES = ['uebergreifend', 'themenspezifisch'] as const;
export const LEGACY_PARTICIPATION_TYPES: Record<string, string> = {
  uebergreifend: 'übergreifend',
  themenspezifisch: 'themenspezifisch',
};
/** The format's name as a plan calls it. */
export type ParticipationType = string;
/** Kept for the audit labels of entries written with the codes. */
export const PARTICIPATION_TYPE_LABELS: Record<string, string> = LEGACY_PARTICIPATION_TYPES;

/** The name of a stored participation format (a legacy code becomes its name). */
export function participationLabel(type: string): string {
  return LEGACY_PARTICIPATION_TYPES[type] ?? type;
}

export const DECISION_KINDS = ['new_measure', 'change', 'extension', 'discontinuation', 'other'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const DECISION_KIND_LABELS: Record<DecisionKind, string> = {
  new_measure: 'neue Maßnahme',
  change: 'Änderung',
  extension: 'Verlängerung',
  discontinuation: 'Einstellung',
  other: 'Sonstiges',
};

export const DECISION_STATES = ['open', 'in_progress', 'done', 'dropped'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];
export const DECISION_STATE_LABELS: Record<DecisionState, string> = {
  open: 'offen',
  in_progress: 'in Bearbeitung',
  done: 'erledigt',
  dropped: 'entfallen',
};
