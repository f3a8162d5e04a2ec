/**
 * The Maßnahmen sheet of the Umsetzungsbericht: one row per measure, read page by page so that memory stays
 * flat; the summary is counted and the status changes collected from exactly these rows on the way.
 */
import type { EntityManager } from 'typeorm';
import { ActionField } from '../../framework/action-field.entity.js';
import {
  LEVEL_LABELS,
  LIFECYCLE_LABELS,
  NO_REPORT_LABEL,
  STATUS_LABELS,
} from '../../measures/measure.constants.js';
import { EXAMPLE_LABEL } from '../../measures/measure.view.js';
import { isCounted, statusKeyOf } from '../../measures/measure-rules.js';
import type { MeasureState } from '../../reporting/measure-state.reader.js';
import { MEASURE_COLUMNS, STATUS_COLUMN } from '../measure-columns.js';
import type { ChangeCollector, SummaryCounter } from '../report-summary.js';
import { addStatusFormatting, addStyledRow, addTableSheet, excelDate } from '../workbook-style.js';
import type { ReportWorkbook } from './report-labels.js';

export type ProgressListener = (done: number, total: number) => void;

/**
 * Writes every measure row, page by page, counting the summary and collecting the changes on the way;
 * returns measureId → title for the changes sheet. `total` (the expected number of rows) is for the
 * progress only.
 */
export async function writeMeasuresSheet(
  workbook: ReportWorkbook,
  manager: EntityManager,
  pages: AsyncIterable<MeasureState[]>,
  counter: SummaryCounter,
  changes: ChangeCollector | null,
  total: number,
  onProgress?: ProgressListener,
): Promise<Map<number, string>> {
  const sheet = addTableSheet(workbook, 'Maßnahmen', MEASURE_COLUMNS);
  const fields = new Map((await manager.find(ActionField)).map((f) => [f.id, f]));
  const titles = new Map<number, string>();
  let done = 0;
  for await (const page of pages) {
    for (const state of page) {
      if (!isCounted(state.lifecycle)) continue;
      const key = statusKeyOf(state);
      // A closed cycle's goals: those frozen with the item, as cycle_snapshot_item_goals (same close).
      counter.add(state, state.master.goalIds);
      changes?.add(state.measureId, state.code, key, state.progress);
      // In the order of MEASURE_COLUMNS.
      addStyledRow(sheet, [
        state.code,
        state.master.title,
        `${state.master.actionFieldCode} ${state.master.actionFieldTitle || fields.get(state.actionFieldId)?.title || ''}`.trim(),
        state.master.goalCodes.join(', '),
        state.master.leadDepartmentName,
        state.master.participatingDepartmentCodes.join(', '),
        LEVEL_LABELS[state.level],
        state.targetGroups.join(', '),
        excelDate(state.master.plannedStart),
        excelDate(state.master.plannedEnd),
        state.master.budget,
        LIFECYCLE_LABELS[state.lifecycle],
        key === 'none' ? NO_REPORT_LABEL : STATUS_LABELS[key],
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
