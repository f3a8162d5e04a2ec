/**
 * The German words of the audit trail, in one place: what an entity, an action and a field are called, and
 * how a recorded value reads ("Status: geplant → in Umsetzung"). The Protokoll page uses these; the trail
 * itself keeps the English code names, so that the API and filters stay stable.
 */
import { ROLE_LABELS } from '../auth/user.entity.js';
import {
  DECISION_KIND_LABELS,
  DECISION_STATE_LABELS,
  PARTICIPATION_TYPE_LABELS,
} from '../governance/governance.constants.js';
import {
  LEVEL_LABELS,
  LIFECYCLE_LABELS,
  REVIEW_STATE_LABELS,
  STATUS_LABELS,
} from '../measures/measure.constants.js';
import { CYCLE_STATE_LABELS } from '../reporting/reporting-cycle.entity.js';

export const ENTITY_LABELS: Record<string, string> = {
  Framework: 'Rahmenkonzept',
  Goal: 'Ziel',
  ActionField: 'Handlungsfeld',
  Department: 'Ressort',
  GovernanceBody: 'Gremium',
  ReportingCycle: 'Berichtszyklus',
  CycleSnapshot: 'Stichtagsstand (Berichtszyklus)',
  CycleSnapshotItem: 'Stichtagsstand einer Maßnahme',
  CycleSnapshotItemGoal: 'Stichtagsstand: Ziel einer Maßnahme',
  ImplementationReport: 'Umsetzungsbericht',
  Indicator: 'Indikator',
  IndicatorValue: 'Indikatorwert',
  Measure: 'Maßnahme',
  StatusReport: 'Sachstandsmeldung',
  Meeting: 'Sitzung',
  Decision: 'Beschluss',
  DecisionStateChange: 'Stand eines Beschlusses',
  MeasureChange: 'Änderung einer Maßnahme',
  User: 'Konto',
  AuditEntry: 'Protokolleintrag',
  Session: 'Anmeldung',
  InputTemplate: 'Erfassungsvorlage',
  MeasurePlan: 'Maßnahmenplan',
};

export const ACTION_LABELS: Record<string, string> = {
  create: 'angelegt',
  update: 'geändert',
  lifecycle: 'Lebenslauf geändert (eingestellt, zusammengeführt, reaktiviert)',
  discontinue: 'eingestellt',
  review: 'geprüft',
  transition: 'Zustand gewechselt',
  report: 'Bericht erstellt',
  report_failed: 'Bericht fehlgeschlagen',
  export: 'heruntergeladen',
  import: 'importiert',
  plan_import: 'Maßnahmenplan importiert',
  indicator_import: 'Indikatorwerte importiert',
  decision_state: 'Stand des Beschlusses geändert',
  decision_apply: 'Beschluss auf Maßnahme angewandt',
  framework_load: 'Rahmenkonzept geladen',
  example_data: 'Beispieldaten geladen',
  login: 'angemeldet',
  login_failed: 'Anmeldung fehlgeschlagen',
  login_blocked: 'Anmeldung gesperrt (zu viele Versuche)',
  logout: 'abgemeldet',
  deactivate: 'deaktiviert',
  password_reset: 'Passwort zurückgesetzt',
  password_change: 'Passwort geändert',
  password_change_failed: 'Passwortänderung fehlgeschlagen',
};

/** Field names of every entity, German. A name used by several entities means the same in each. */
export const FIELD_LABELS: Record<string, string> = {
  id: 'Nummer',
  code: 'Code',
  sortKey: 'Sortierschlüssel',
  sortOrder: 'Reihenfolge',
  name: 'Name',
  title: 'Titel',
  description: 'Beschreibung',
  region: 'Region',
  adopted: 'beschlossen am',
  version: 'Version',
  staleAfterDays: 'Meldung veraltet nach (Tagen)',
  targetGroups: 'Zielgruppen',
  sourceFile: 'Quelldatei',
  demoMode: 'Demobetrieb',
  kind: 'Art',
  actionFieldId: 'Handlungsfeld',
  goalIds: 'Ziele',
  areaIds: 'Gebiete',
  leadDepartmentId: 'federführendes Ressort',
  participatingDepartmentIds: 'beteiligte Ressorts',
  level: 'Ebene',
  plannedStart: 'geplanter Beginn',
  plannedEnd: 'geplantes Ende',
  budget: 'Budget',
  lifecycle: 'Lebenslauf',
  lifecycleReason: 'Begründung',
  mergedIntoId: 'zusammengeführt in Maßnahme',
  lifecycleDecisionId: 'Beschluss zum Lebenslauf',
  status: 'Status',
  progress: 'Fortschritt (%)',
  statusDate: 'Stand vom',
  isExample: 'Beispieldaten',
  createdAt: 'angelegt am',
  updatedAt: 'geändert am',
  measureId: 'Maßnahme',
  summary: 'Sachstand',
  obstacles: 'Hindernisse',
  nextSteps: 'nächste Schritte',
  reportedAt: 'Stichtag',
  authorId: 'gemeldet von',
  reviewState: 'Prüfstand',
  reviewComment: 'Prüfkommentar',
  reviewedById: 'geprüft von',
  reviewedAt: 'geprüft am',
  correctsReportId: 'ersetzt Meldung',
  periodStart: 'Zeitraum von',
  periodEnd: 'Zeitraum bis',
  inputDeadline: 'Meldeschluss',
  publicationTarget: 'geplante Veröffentlichung',
  state: 'Zustand',
  reopenReason: 'Grund der Wiedereröffnung',
  closedAt: 'abgeschlossen am',
  publishedAt: 'veröffentlicht am',
  unpublishReason: 'Grund der Rücknahme der Veröffentlichung',
  unpublishedAt: 'Veröffentlichung zurückgenommen am',
  publicReportTexts: 'Hindernisse und nächste Schritte veröffentlicht',
  publicBudget: 'Budget öffentlich',
  settingsVersion: 'Version der Einstellungen',
  cycleId: 'Berichtszyklus',
  cycleCode: 'Berichtszyklus',
  departmentId: 'Ressort',
  reportId: 'Bericht',
  fileName: 'Dateiname',
  sizeBytes: 'Größe (Bytes)',
  draft: 'Entwurf',
  containsExampleData: 'enthält Beispieldaten',
  measureCount: 'Anzahl Maßnahmen',
  generatedById: 'erstellt von',
  generatedBy: 'erstellt von',
  generatedAt: 'erstellt am',
  sha256: 'Prüfsumme (SHA-256)',
  snapshotId: 'Stichtagsstand',
  takenAt: 'eingefroren am',
  takenById: 'eingefroren von',
  supersededAt: 'ersetzt am',
  master: 'Stammdaten',
  email: 'E-Mail-Adresse',
  displayName: 'Name',
  role: 'Rolle',
  passwordHash: 'Passwort',
  active: 'aktiv',
  tokenGeneration: 'Anmeldungen beendet (Zähler)',
  isDemo: 'Demokonto',
  definition: 'Definition',
  unit: 'Einheit',
  source: 'Quelle',
  direction: 'Richtung',
  baselineYear: 'Ausgangsjahr',
  baselineValue: 'Ausgangswert',
  baselineNote: 'Anmerkung zum Ausgangswert',
  targetYear: 'Zieljahr',
  targetValue: 'Zielwert',
  groups: 'Gruppen',
  indicatorId: 'Indikator',
  year: 'Jahr',
  group: 'Gruppe',
  value: 'Wert',
  note: 'Anmerkung',
  minMeetingsPerYear: 'Sitzungen pro Jahr (mindestens)',
  maxMeetingsPerYear: 'Sitzungen pro Jahr (höchstens)',
  members: 'Mitglieder',
  meetingId: 'Sitzung',
  text: 'Text',
  responsibleDepartmentId: 'verantwortliches Ressort',
  dueDate: 'fällig am',
  decisionId: 'Beschluss',
  fromState: 'vorheriger Stand',
  toState: 'neuer Stand',
  comment: 'Kommentar',
  userId: 'Konto',
  reason: 'Begründung',
  bodyId: 'Gremium',
  date: 'Datum',
  place: 'Ort',
  attendingDepartmentIds: 'teilnehmende Ressorts',
  agenda: 'Tagesordnung',
  minutesSummary: 'Ergebnisse',
  participationType: 'Beteiligungsformat',
  topicActionFieldIds: 'Themen (Handlungsfelder)',
  participantCount: 'Teilnehmende',
};

/** Fields whose recorded values are code words with a German name. */
const VALUE_LABELS: Record<string, Record<string, string>> = {
  status: STATUS_LABELS,
  reviewState: REVIEW_STATE_LABELS,
  level: LEVEL_LABELS,
  lifecycle: LIFECYCLE_LABELS,
  role: ROLE_LABELS,
  participationType: PARTICIPATION_TYPE_LABELS,
};

/** Fields named "state" or "kind" mean different vocabularies per entity. */
const ENTITY_VALUE_LABELS: Record<string, Record<string, Record<string, string>>> = {
  ReportingCycle: { state: CYCLE_STATE_LABELS },
  Decision: { state: DECISION_STATE_LABELS, kind: DECISION_KIND_LABELS },
  DecisionStateChange: { fromState: DECISION_STATE_LABELS, toState: DECISION_STATE_LABELS },
};

const MAX_VALUE_LENGTH = 80;

export function entityLabel(entity: string): string {
  return ENTITY_LABELS[entity] ?? entity;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** Fields that hold ids of framework records, and which kind of record they name. */
const REFERENCE_FIELDS: Record<string, 'department' | 'actionField' | 'goal'> = {
  departmentId: 'department',
  leadDepartmentId: 'department',
  responsibleDepartmentId: 'department',
  participatingDepartmentIds: 'department',
  attendingDepartmentIds: 'department',
  actionFieldId: 'actionField',
  topicActionFieldIds: 'actionField',
  goalIds: 'goal',
};

/** Names of framework records by id, so that "Ressort: 9" reads "Ressort: Kinder und Bildung". */
export type ReferenceNames = Partial<Record<'department' | 'actionField' | 'goal', Map<number, string>>>;

/** A recorded value as a person reads it: "–" for nothing, ja/nein, German names for code words, short. */
export function valueLabel(
  entity: string,
  field: string,
  value: unknown,
  names: ReferenceNames = {},
): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  const words = ENTITY_VALUE_LABELS[entity]?.[field] ?? VALUE_LABELS[field];
  if (typeof value === 'string' && words?.[value]) return words[value];
  const lookup = REFERENCE_FIELDS[field] ? names[REFERENCE_FIELDS[field]] : undefined;
  const name = (v: unknown): string => (typeof v === 'number' && lookup?.get(v)) || String(v);
  if (typeof value === 'number') return lookup ? name(value) : value.toLocaleString('de-DE');
  if (Array.isArray(value)) return value.length ? value.map(name).join(', ') : '–';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

export interface AuditChangeLine {
  field: string;
  label: string;
  from: string;
  to: string;
  /** A new record: only the value, no "alt → neu". */
  created: boolean;
}

/**
 * The changes of one entry as "Feld: alt → neu" lines; a new record (nothing before in any field) lists only
 * the values.
 */
export function changeLines(
  entity: string,
  changes: Record<string, { from: unknown; to: unknown }>,
  names: ReferenceNames = {},
): AuditChangeLine[] {
  const entries = Object.entries(changes ?? {});
  const created = entries.every(([, change]) => change?.from === null || change?.from === undefined);
  return entries.map(([field, change]) => ({
    field,
    label: fieldLabel(field),
    from: valueLabel(entity, field, change?.from, names),
    to: valueLabel(entity, field, change?.to, names),
    created,
  }));
}
