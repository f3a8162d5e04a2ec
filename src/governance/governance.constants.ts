export const PARTICIPATION_TYPES = ['uebergreifend', 'themenspezifisch'] as const;
export type ParticipationType = (typeof PARTICIPATION_TYPES)[number];
export const PARTICIPATION_TYPE_LABELS: Record<ParticipationType, string> = {
  uebergreifend: 'übergreifend',
  themenspezifisch: 'themenspezifisch',
};

/** The body whose meetings are participation formats (with type, topics and participants). */
export const PARTICIPATION_BODY_CODE = 'beteiligungsformate';

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
