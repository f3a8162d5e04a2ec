/**
 * The Übersicht sheet of the Umsetzungsbericht: the cycle, its state, the Entwurf and Beispieldaten notices and
 * the count per status as formulas over the Maßnahmen sheet, with the counted results stored beside them.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import { reportSheetName, sheetRef } from '../plan-words.js';
import type ExcelJS from 'exceljs';
import { STATUS_KEY_LABELS, STATUS_KEYS } from '../../dashboard/dashboard.service.js';
import type { Framework } from '../../framework/framework.entity.js';
import { CYCLE_STATE_LABELS, type ReportingCycle } from '../../reporting/reporting-cycle.entity.js';
import { STATUS_COLUMN } from '../measure-columns.js';
import type { ReportSummary } from '../report-summary.js';
import {
  addStatusFormatting,
  DECIMAL_FORMAT,
  excelDate,
  NOTE_FONT,
  PERCENT_FORMAT,
  TITLE_FONT,
  TOTAL_FONT,
  WARNING_FONT,
} from '../workbook-style.js';
import { DRAFT_LABEL, EXAMPLE_NOTICE, formatDate, type ReportWorkbook } from './report-labels.js';

export function writeOverviewSheet(
  workbook: ReportWorkbook,
  cycle: ReportingCycle,
  summary: ReportSummary,
  framework: Framework | undefined,
  meta: { draft: boolean; generatedAt: Date; by: string },
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): void {
  const measuresSheet = reportSheetName('Maßnahmen', words);
  const measuresRef = sheetRef(measuresSheet);
  const sheet = workbook.addWorksheet('Übersicht', {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    properties: { tabColor: { argb: 'FF1F4E79' } },
  });
  sheet.columns = [{ width: 34 }, { width: 16 }, { width: 14 }, { width: 60 }];
  const add = (values: unknown[], font?: Partial<ExcelJS.Font>): ExcelJS.Row => {
    const row = sheet.addRow(values);
    if (font) row.font = font;
    return row;
  };
  add([`${words.report} ${cycle.code}`], TITLE_FONT);
  add([framework?.name ?? '']);
  add(['Region', framework?.region ?? '']);
  add([
    'Berichtszeitraum',
    `${excelDate(cycle.periodStart)?.toLocaleDateString('de-DE', { timeZone: 'UTC' })} bis ${excelDate(cycle.periodEnd)?.toLocaleDateString('de-DE', { timeZone: 'UTC' })}`,
  ]);
  add(['Stand des Berichtszyklus', CYCLE_STATE_LABELS[cycle.state]]);
  add(['Erstellt', `${formatDate(meta.generatedAt)} von ${meta.by}`]);
  add(
    [meta.draft ? DRAFT_LABEL : 'Eingefrorener Stand zum Abschluss des Berichtszyklus.'],
    meta.draft ? WARNING_FONT : NOTE_FONT,
  );
  add([summary.containsExampleData ? EXAMPLE_NOTICE : ''], WARNING_FONT);
  add([]);
  const headerRow = add(['Status', words.measures, 'Anteil']);
  headerRow.font = { bold: true };
  const firstDataRow = headerRow.number + 1;
  const total = summary.totals.total;
  const range = `${measuresRef}!$${STATUS_COLUMN}$2:$${STATUS_COLUMN}$${total + 1}`;
  const totalRowNumber = firstDataRow + STATUS_KEYS.length;
  STATUS_KEYS.forEach((key, index) => {
    const rowNumber = firstDataRow + index;
    const count = summary.totals.counts[key];
    const row = add([
      STATUS_KEY_LABELS[key],
      { formula: `COUNTIF(${range},"${STATUS_KEY_LABELS[key]}")`, result: count },
      {
        formula: `IF($B$${totalRowNumber}=0,0,B${rowNumber}/$B$${totalRowNumber})`,
        result: total === 0 ? 0 : count / total,
      },
    ]);
    row.getCell(3).numFmt = PERCENT_FORMAT;
  });
  const totalRow = add(
    [
      `${words.measures} gesamt`,
      { formula: `SUM(B${firstDataRow}:B${totalRowNumber - 1})`, result: total },
      { formula: `SUM(C${firstDataRow}:C${totalRowNumber - 1})`, result: total === 0 ? 0 : 1 },
    ],
    TOTAL_FONT,
  );
  totalRow.getCell(3).numFmt = PERCENT_FORMAT;
  add(
    [
      `Kontrolle: Zeilen im Blatt ${measuresSheet}`,
      { formula: `COUNTA(${measuresRef}!$A$2:$A$${total + 1})`, result: total },
    ],
    NOTE_FONT,
  );
  add(['Durchschnittlicher Fortschritt (%)', summary.totals.averageProgress ?? '–']).getCell(2).numFmt =
    DECIMAL_FORMAT;
  add([]);
  add(
    [
      `Zusammenfassende Zahlen je ${words.goal}, ${words.field} und ${words.organisation} stehen in den folgenden Blättern; jede ${words.measure} im Blatt „${measuresSheet}“.`,
    ],
    NOTE_FONT,
  );
  addStatusFormatting(sheet, `A${firstDataRow}:A${totalRowNumber - 1}`);
  sheet.commit();
}
