/** What the Umsetzungsbericht's sheets share: their order, the Entwurf and Beispieldaten notices, its dates. */
import type ExcelJS from 'exceljs';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';

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
