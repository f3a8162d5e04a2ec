/** Vocabularies of measures and status reports, with their German labels. */
/** Bremen's levels; a plan may name its own (see levelsOf in framework/plan-shape.ts). */
export const MEASURE_LEVELS = ['land', 'bremen', 'bremerhaven'] as const;
export type BremenLevel = (typeof MEASURE_LEVELS)[number];
/** The code of one of the measure's plan's levels. */
export type MeasureLevel = string;

export const MEASURE_LIFECYCLES = ['active', 'discontinued', 'merged'] as const;
export type MeasureLifecycle = (typeof MEASURE_LIFECYCLES)[number];

export const MEASURE_STATUSES = [
  'planned',
  'in_progress',
  'ongoing',
  'completed',
  'delayed',
  'discontinued',
] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const REVIEW_STATES = ['submitted', 'accepted', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const STATUS_LABELS: Record<MeasureStatus, string> = {
  planned: 'geplant',
  in_progress: 'in Umsetzung',
  ongoing: 'Daueraufgabe',
  completed: 'umgesetzt',
  delayed: 'verzögert',
  discontinued: 'eingestellt',
};

export const LEVEL_LABELS: Record<BremenLevel, string> = {
  land: 'Land Bremen',
  bremen: 'Stadtgemeinde Bremen',
  bremerhaven: 'Stadtgemeinde Bremerhaven',
};

export const LIFECYCLE_LABELS: Record<MeasureLifecycle, string> = {
  active: 'aktiv',
  discontinued: 'eingestellt',
  merged: 'zusammengeführt',
};

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  submitted: 'eingereicht',
  accepted: 'angenommen',
  returned: 'zurückgegeben',
};

/** Shown wherever a measure has no accepted report yet. */
export const NO_REPORT_LABEL = 'keine Meldung';

/** Bremen's measure codes look like "3.1-04" (a plan may have its own rule, see measureCodeRule). */
export const MEASURE_CODE_PATTERN = /^\d+(\.\d+)*-[0-9A-Za-z]{1,10}$/;

/**
 * The order people expect for codes: numbers by value, so 3.2-01 comes before 3.10-01 (a plain text sort puts
 * 3.10 first). Every run of digits is padded to eight places; the code itself breaks ties (3.1-1 and 3.1-01).
 */
export function naturalSortKey(code: string): string {
  return code.replace(/\d+/g, (digits) => digits.padStart(8, '0'));
}
