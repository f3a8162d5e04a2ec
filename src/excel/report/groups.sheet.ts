/**
 * The summary sheets of the Umsetzungsbericht (Ziele, Handlungsfelder, Ressorts): one row per group with its
 * count per status, a total per row and a Summe row as formulas, their counted results stored beside them.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import {
  type GroupBreakdown,
  STATUS_KEY_LABELS,
  STATUS_KEYS,
  type StatusKey,
} from '../../dashboard/dashboard.service.js';
import {
  addTableSheet,
  type ColumnSpec,
  columnLetter,
  DECIMAL_FORMAT,
  INTEGER_FORMAT,
  NOTE_FONT,
  TOTAL_FONT,
} from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

export function writeGroupsSheet(
  workbook: ReportWorkbook,
  name: string,
  label: string,
  groups: GroupBreakdown[],
  note?: string,
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const numeric = { numFmt: INTEGER_FORMAT, alignment: { vertical: 'top' as const } };
  const columns: ColumnSpec[] = [
    { header: 'Code', key: 'code', width: 9 },
    { header: label, key: 'title', width: 48 },
    { header: words.measures, key: 'total', width: 12, style: numeric },
    ...STATUS_KEYS.map((k) => ({ header: STATUS_KEY_LABELS[k], key: k, width: 13, style: numeric })),
    { header: 'Ø Fortschritt (%)', key: 'avg', width: 13, style: { numFmt: DECIMAL_FORMAT } },
  ];
  const sheet = addTableSheet(workbook, name, columns);
  for (const [index, group] of groups.entries()) {
    const rowNumber = 2 + index;
    sheet
      .addRow({
        code: group.code,
        title: group.title,
        total: {
          formula: `SUM(D${rowNumber}:${columnLetter(3 + STATUS_KEYS.length)}${rowNumber})`,
          result: group.total,
        },
        ...Object.fromEntries(STATUS_KEYS.map((k) => [k, group.counts[k]])),
        avg: group.averageProgress ?? null,
      })
      .commit();
  }
  const first = 2;
  const last = first + groups.length - 1;
  const sums: Record<string, unknown> = { code: '', title: 'Summe' };
  for (let column = 3; column <= 3 + STATUS_KEYS.length; column++) {
    const letter = columnLetter(column);
    const key = columns[column - 1].key;
    const result = groups.reduce((a, g) => a + (key === 'total' ? g.total : g.counts[key as StatusKey]), 0);
    sums[key] = { formula: `SUM(${letter}${first}:${letter}${last})`, result };
  }
  const totalRow = sheet.addRow(sums);
  totalRow.font = TOTAL_FONT;
  totalRow.commit();
  if (note) {
    const noteRow = sheet.addRow([note]);
    noteRow.font = NOTE_FONT;
    noteRow.commit();
  }
  sheet.commit();
}
