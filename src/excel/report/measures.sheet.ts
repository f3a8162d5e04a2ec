/**
 * The Maßnahmen sheet of the Umsetzungsbericht: one row per measure, read page by page so that memory stays
 * flat; the rows come counted (report-data.ts), so the summary is that of exactly these rows.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../../framework/plans.service.js';
import { inPlanColumns, reportSheetName } from '../plan-words.js';
import type { EntityManager } from 'typeorm';
import { ActionField } from '../../framework/action-field.entity.js';
import { Framework } from '../../framework/framework.entity.js';
import { levelLabel } from '../../framework/plan-shape.js';
import { LIFECYCLE_LABELS, NO_REPORT_LABEL, STATUS_LABELS } from '../../measures/measure.constants.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import type { StatusKey } from '../../dashboard/dashboard.service.js';
import type { MeasureState } from '../../reporting/measure-state.reader.js';
import { MEASURE_COLUMNS, STATUS_COLUMN } from '../measure-columns.js';
import { addStatusFormatting, addStyledRow, addTableSheet, excelDate } from '../workbook-style.js';
import type { ReportMeasure } from './report-data.js';
import type { ReportWorkbook } from './report-labels.js';

export type ProgressListener = (done: number, total: number) => void;

/**
 * Writes every measure row, page by page (counted and compared on the way by `countedPages`); returns
 * measureId → title for the changes sheet. `total` (the expected number of rows) is for the progress only.
 */
export async function writeMeasuresSheet(
  workbook: ReportWorkbook,
  manager: EntityManager,
  pages: AsyncIterable<ReportMeasure[]>,
  total: number,
  onProgress?: ProgressListener,
  words: PlanVocabulary = DEFAULT_VOCABULARY,
): Promise<Map<number, string>> {
  const sheet = addTableSheet(
    workbook,
    reportSheetName('Maßnahmen', words),
    inPlanColumns(MEASURE_COLUMNS, words),
  );
  const fields = new Map((await manager.find(ActionField)).map((f) => [f.id, f]));
  const plans = new Map((await manager.find(Framework)).map((p) => [p.id, p]));
  const titles = new Map<number, string>();
  let done = 0;
  for await (const page of pages) {
    for (const { state, key } of page) {
      // In the order of MEASURE_COLUMNS.
      addStyledRow(sheet, [
        state.code,
        state.master.title,
        fieldLabel(state, fields),
        state.master.goalCodes.join(', '),
        state.master.leadDepartmentName,
        state.master.participatingDepartmentCodes.join(', '),
        levelLabel(plans.get(fields.get(state.actionFieldId)?.frameworkId ?? 0), state.level),
        state.targetGroups.join(', '),
        excelDate(state.master.plannedStart),
        excelDate(state.master.plannedEnd),
        state.master.budget,
        LIFECYCLE_LABELS[state.lifecycle],
        statusLabel(key),
        state.progress,
        excelDate(state.reportedAt),
        state.summary,
        state.obstacles,
        state.nextSteps,
        state.isExample ? EXAMPLE_LABEL : '',
      ]).commit();
      titles.set(state.measureId, state.master.title);
      done++;
    }
    onProgress?.(done, total);
  }
  // Written with the sheet's end, so the range can follow the rows.
  addStatusFormatting(sheet, `${STATUS_COLUMN}2:${STATUS_COLUMN}${Math.max(2, done + 1)}`);
  sheet.commit();
  return titles;
}

/** The status column's text: the status key's label, "keine Meldung" without a report. */
export function statusLabel(key: StatusKey): string {
  return key === 'none' ? NO_REPORT_LABEL : STATUS_LABELS[key];
}

/** The Handlungsfeld column's text: code and title as listed (frozen with a closed cycle's item). */
export function fieldLabel(state: MeasureState, fields: Map<number, ActionField>): string {
  return `${state.master.actionFieldCode} ${state.master.actionFieldTitle || fields.get(state.actionFieldId)?.title || ''}`.trim();
}
