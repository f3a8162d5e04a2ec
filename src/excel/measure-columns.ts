/** The columns of the report's Maßnahmen sheet, shared with the benchmark's writer floor. */
import { type ColumnSpec, columnLetter, DATE_FORMAT, EURO_FORMAT, INTEGER_FORMAT } from './workbook-style.js';

/** Columns of the Maßnahmen sheet, in the order of the row values; the status column is referenced by the overview's formulas. */
export const MEASURE_COLUMNS: ColumnSpec[] = [
  { header: 'Code', key: 'code', width: 10 },
  { header: 'Maßnahme', key: 'title', width: 42 },
  { header: 'Handlungsfeld', key: 'field', width: 30 },
  { header: 'Ziele', key: 'goals', width: 10 },
  { header: 'Federführung', key: 'lead', width: 28 },
  { header: 'Beteiligte Ressorts', key: 'participating', width: 18 },
  { header: 'Ebene', key: 'level', width: 16 },
  { header: 'Zielgruppen', key: 'targetGroups', width: 22 },
  {
    header: 'Beginn',
    key: 'start',
    width: 12,
    style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Ende', key: 'end', width: 12, style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } } },
  {
    header: 'Budget',
    key: 'budget',
    width: 14,
    style: { numFmt: EURO_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Lebenszyklus', key: 'lifecycle', width: 14 },
  { header: 'Status', key: 'status', width: 15 },
  {
    header: 'Fortschritt (%)',
    key: 'progress',
    width: 11,
    style: { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' } },
  },
  {
    header: 'Stand vom',
    key: 'reportedAt',
    width: 12,
    style: { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } },
  },
  { header: 'Sachstand', key: 'summary', width: 60 },
  { header: 'Hindernisse', key: 'obstacles', width: 40 },
  { header: 'Nächste Schritte', key: 'nextSteps', width: 40 },
  { header: 'Beispieldaten', key: 'example', width: 13 },
];
export const STATUS_COLUMN = columnLetter(MEASURE_COLUMNS.findIndex((c) => c.key === 'status') + 1);
