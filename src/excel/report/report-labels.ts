/** What the Umsetzungsbericht's sheets share: their order, the Entwurf and Beispieldaten notices, its dates. */
import type ExcelJS from 'exceljs';
import type { PlanVocabulary } from '../../framework/plans.service.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import { dativePlural } from '../../web/format.js';
import { wordedIn } from '../plan-words.js';

/** The streaming writer every sheet of the report is written onto. */
export type ReportWorkbook = ExcelJS.stream.xlsx.WorkbookWriter;

export const REPORT_SHEETS = [
  'Übersicht',
  'Ziele',
  'Handlungsfelder',
  'Ressorts',
  'Maßnahmen',
  'Indikatoren',
  'Gremien',
  'Beschlüsse',
  'Änderungen',
] as const;

export const DRAFT_LABEL =
  'ENTWURF – der Berichtszyklus ist noch nicht abgeschlossen; die Angaben können sich noch ändern.';
export const EXAMPLE_NOTICE = `${EXAMPLE_LABEL}: Dieser Bericht enthält Beispieldaten des Demobetriebs – keine amtlichen Angaben.`;

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

/** Under the goals' counts, in the workbook and the documents: a measure counts once for each of its goals. */
export function goalsNote(words: PlanVocabulary): string {
  return wordedIn(
    words,
    'Eine Maßnahme kann zu mehreren Zielen beitragen und wird dann bei jedem gezählt.',
    `${words.measures} können zu mehreren ${dativePlural(words.goals)} beitragen und zählen dann je ${words.goal} einmal.`,
  );
}

/** Under the areas' counts: a measure counts once in each of its areas. */
export function areasNote(words: PlanVocabulary): string {
  return wordedIn(
    words,
    'Eine Maßnahme kann in mehreren Gebieten wirken und wird dann bei jedem gezählt.',
    `${words.measures} können in mehreren Gebieten wirken und werden dann bei jedem gezählt.`,
  );
}
